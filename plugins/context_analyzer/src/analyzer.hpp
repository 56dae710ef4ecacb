// context_analyzer's logic, free of SDK glue: reads a repository's files
// (never runs them) and says what it is: services, languages, frameworks,
// ports, commands, environment variables, backing services, and what
// Dockerfiles, IaC and CI already exist, each with its file and line.
#pragma once

#include <devkit/repository_context.hpp>

#include <cstddef>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

namespace ctx {

// A text file of the repository, split into lines.
struct SourceFile {
    std::string path;  // relative to the repository root, '/'-separated
    std::vector<std::string> lines;
};

struct TreeLimits {
    std::size_t max_files = 5000;
    std::size_t max_file_bytes = 512 * 1024;
    std::size_t max_total_bytes = 64 * 1024 * 1024;
};

// The repository's text files, sorted by path. Skips VCS and dependency
// folders (.git, node_modules, vendor, target, ...), binary files, files
// over the limit, and every symbolic link (a link could lead outside the
// repository). What it skipped for a limit goes to `warnings`.
std::vector<SourceFile> read_tree(const std::filesystem::path& root, const TreeLimits& limits,
                                  std::vector<std::string>& warnings);

// A dependency as a manifest declares it.
struct Dependency {
    std::string name;  // lower case; Go: the module path; Maven: the artifactId
    std::string file;
    int line = 0;
};

// The analysis of the files read.
devkit::RepositoryContext analyze(const std::vector<SourceFile>& files, const std::string& source,
                                  const std::string& repository_name);

// Helpers shared by the per-language detectors.
namespace detail {

struct Match {
    std::string value;
    const SourceFile* file = nullptr;
    int line = 0;
};

// The first line of `files` (in order) matching `pattern`, with capture
// group `group` as the value; lines over 4 KiB (minified code) are skipped.
Match first_match(const std::vector<const SourceFile*>& files, const std::regex& pattern, int group = 1);
// Every match in every line (e.g. environment variables).
std::vector<Match> all_matches(const std::vector<const SourceFile*>& files, const std::regex& pattern, int group = 1);
devkit::Finding finding(const Match& match, std::string_view service_path);
devkit::Finding finding(std::string value, const SourceFile& file, int line, std::string_view service_path,
                        std::string note = "");
// The first line of `file` containing `needle` (1-based), 0 when none.
int line_of(const SourceFile& file, std::string_view needle);
bool has_suffix(std::string_view text, std::string_view suffix);
std::string base_name(std::string_view path);

}  // namespace detail

// The files of one service (its folder, minus nested services' folders).
struct ServiceFiles {
    std::string path;  // "." or "services/api"
    std::vector<const SourceFile*> files;
    const SourceFile* file(std::string_view name_in_service) const;  // e.g. "package.json"
    std::vector<const SourceFile*> with_suffix(std::string_view suffix) const;
};

// Per language: fills the service from its files; false when the service
// is not of that language.
bool detect_python(const ServiceFiles& files, devkit::ServiceContext& service);
bool detect_node(const ServiceFiles& files, devkit::ServiceContext& service);
bool detect_go(const ServiceFiles& files, devkit::ServiceContext& service);
bool detect_java(const ServiceFiles& files, devkit::ServiceContext& service);

// Backing services (PostgreSQL, Redis, ...) implied by dependencies.
std::vector<devkit::Finding> backing_services(const std::vector<Dependency>& dependencies, std::string_view service_path);

}  // namespace ctx
