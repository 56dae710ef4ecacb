#include "repository_source.hpp"

#include <filesystem>
#include <regex>

namespace ctx {
namespace fs = std::filesystem;
namespace {

std::string canonical_folder(const std::string& path, const std::string& field) {
    if (path.empty() || path[0] != '/') throw SourceError(field + " must be an absolute path");
    std::error_code error;
    fs::path canonical = fs::canonical(path, error);
    if (error) throw SourceError(field + " '" + path + "' does not exist or cannot be read");
    if (!fs::is_directory(canonical, error)) throw SourceError(field + " '" + path + "' is not a folder");
    return canonical.string();
}

void check_under_roots(const std::string& canonical, const std::vector<std::string>& roots, const std::string& field) {
    if (roots.empty())
        throw SourceError(field + " names a local folder, but the operator allows none: list the folders agents may "
                                  "read in agents.context_analyzer.config.local_roots");
    for (const auto& root : roots) {
        std::error_code error;
        fs::path canonical_root = fs::canonical(root, error);
        if (error) continue;
        const std::string prefix = canonical_root.string();
        if (canonical == prefix || canonical.rfind(prefix == "/" ? prefix : prefix + "/", 0) == 0) return;
    }
    throw SourceError(field + " '" + canonical + "' is outside the folders the operator allows (local_roots)");
}

std::string repository_name(std::string text) {
    while (!text.empty() && text.back() == '/') text.pop_back();
    auto cut = text.find_last_of("/:");
    std::string name = cut == std::string::npos ? text : text.substr(cut + 1);
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".git") == 0) name.resize(name.size() - 4);
    return name.empty() ? "app" : name;
}

}  // namespace

RepositorySource resolve_source(const std::optional<std::string>& path, const std::optional<std::string>& repo_url,
                                const std::optional<std::string>& ref, const std::vector<std::string>& local_roots) {
    if (path && repo_url) throw SourceError("context.path and context.repo_url are exclusive: give one");
    if (!path && !repo_url) throw SourceError("context.repo_url (a git URL) or context.path (a local folder) is required");
    RepositorySource source;
    if (ref) {
        static const std::regex valid_ref(R"re(^[A-Za-z0-9_][A-Za-z0-9._/-]{0,199}$)re");
        if (!std::regex_match(*ref, valid_ref) || ref->find("..") != std::string::npos)
            throw SourceError("context.ref must be a branch or tag name (letters, digits, . _ / -), not '" + *ref + "'");
        source.ref = *ref;
    }
    if (path) {
        source.local_path = canonical_folder(*path, "context.path");
        check_under_roots(source.local_path, local_roots, "context.path");
        source.display = source.local_path;
        source.name = repository_name(source.local_path);
        return source;
    }
    const std::string& url = *repo_url;
    if (url.size() > 2048) throw SourceError("context.repo_url is longer than 2048 characters");
    // Only transports that fetch: never ext:: (runs a command) or a leading '-' (an option).
    static const std::regex remote(R"re(^(https?|ssh|git)://[A-Za-z0-9.-]+(:[0-9]{1,5})?/[A-Za-z0-9._~/-]+$)re");
    static const std::regex scp_like(R"re(^[A-Za-z0-9_.-]+@[A-Za-z0-9.-]+:[A-Za-z0-9._~/-]+$)re");
    if (url.rfind("file://", 0) == 0) {
        std::string folder = canonical_folder(url.substr(7), "context.repo_url");
        check_under_roots(folder, local_roots, "context.repo_url");
        source.url = "file://" + folder;
        source.network = false;
    } else if (std::regex_match(url, remote) || std::regex_match(url, scp_like)) {
        if (url.find("..") != std::string::npos) throw SourceError("context.repo_url must not contain '..'");
        source.url = url;
        source.network = true;
    } else {
        throw SourceError("context.repo_url must be an https://, http://, ssh://, git:// or file:// URL or "
                          "user@host:path, not '" + url + "'");
    }
    source.display = url;
    source.name = repository_name(url);
    return source;
}

std::string url_in_text(const std::string& text) {
    static const std::regex url(R"re(((?:https?|ssh|git|file)://[^\s"'<>]+|[A-Za-z0-9_.-]+@[A-Za-z0-9.-]+:[A-Za-z0-9._~/-]+\.git))re");
    std::smatch match;
    if (!std::regex_search(text, match, url)) return {};
    std::string found = match[1].str();
    while (!found.empty() && (found.back() == '.' || found.back() == ',' || found.back() == ')')) {
        if (found.size() > 4 && found.compare(found.size() - 4, 4, ".git") == 0) break;
        found.pop_back();
    }
    return found;
}

}  // namespace ctx
