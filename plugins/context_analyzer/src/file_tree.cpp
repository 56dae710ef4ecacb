#include "analyzer.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace ctx {
namespace fs = std::filesystem;

namespace {

// Folders that hold other people's code or build output, never the app's.
const std::set<std::string> kSkippedDirectories = {
    ".git", ".hg", ".svn", "node_modules", "vendor", "target", "build", "dist", "out", "__pycache__",
    ".venv", "venv", ".tox", ".mypy_cache", ".pytest_cache", ".gradle", ".idea", ".terraform", ".next", "coverage"};

bool looks_binary(const std::string& content) {
    return content.find('\0', 0) != std::string::npos && content.find('\0') < 8000;
}

std::vector<std::string> split_lines(const std::string& content) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < content.size()) {
        std::size_t end = content.find('\n', start);
        if (end == std::string::npos) end = content.size();
        std::string line = content.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        lines.push_back(std::move(line));
        start = end + 1;
    }
    return lines;
}

}  // namespace

std::vector<SourceFile> read_tree(const fs::path& root, const TreeLimits& limits, std::vector<std::string>& warnings) {
    std::vector<SourceFile> files;
    std::error_code error;
    fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, error);
    if (error) throw std::runtime_error("cannot read " + root.string() + ": " + error.message());
    std::size_t total = 0;
    std::size_t skipped_large = 0;
    bool capped = false;
    for (; it != fs::recursive_directory_iterator(); it.increment(error)) {
        if (error) break;
        const fs::directory_entry& entry = *it;
        const std::string name = entry.path().filename().string();
        if (entry.is_symlink(error)) {
            if (entry.is_directory(error)) it.disable_recursion_pending();
            continue;
        }
        if (entry.is_directory(error)) {
            if (kSkippedDirectories.count(name) != 0) it.disable_recursion_pending();
            continue;
        }
        if (!entry.is_regular_file(error)) continue;
        if (files.size() >= limits.max_files) {
            capped = true;
            break;
        }
        const auto size = entry.file_size(error);
        if (error || size > limits.max_file_bytes || total + size > limits.max_total_bytes) {
            ++skipped_large;
            continue;
        }
        std::ifstream in(entry.path(), std::ios::binary);
        std::ostringstream content;
        content << in.rdbuf();
        std::string text = content.str();
        if (looks_binary(text)) continue;
        total += text.size();
        files.push_back({fs::relative(entry.path(), root, error).generic_string(), split_lines(text)});
    }
    if (capped)
        warnings.push_back("only the first " + std::to_string(limits.max_files) + " files were read");
    if (skipped_large != 0)
        warnings.push_back(std::to_string(skipped_large) + " file(s) over " + std::to_string(limits.max_file_bytes) +
                           " bytes (or past the total) were not read");
    std::sort(files.begin(), files.end(), [](const SourceFile& a, const SourceFile& b) { return a.path < b.path; });
    return files;
}

}  // namespace ctx
