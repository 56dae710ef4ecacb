// Where the repository to analyse comes from: a local folder under one of
// the operator's `local_roots`, or a git URL (https, http, ssh, git, or
// file:// under a local root) cloned into the run's workspace. Checked here
// before anything is read or run, so a request cannot name /etc or smuggle
// a git option or transport (ext::) into the clone.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace ctx {

struct SourceError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct RepositorySource {
    std::string local_path;  // an absolute, canonical folder (path input)
    std::string url;         // a git URL to clone
    std::string ref;         // branch or tag to clone; empty: the default branch
    bool network = false;    // the clone needs the network (not file://)
    std::string display;     // what the result names as the source
    std::string name;        // the repository's name ("orders" for .../orders.git)
};

// `path` / `repo_url` / `ref` as the request gave them (at most one of path
// and repo_url). Throws SourceError naming the field.
RepositorySource resolve_source(const std::optional<std::string>& path, const std::optional<std::string>& repo_url,
                                const std::optional<std::string>& ref, const std::vector<std::string>& local_roots);

// The first git URL in free text ("analyze https://github.com/acme/shop"), or empty.
std::string url_in_text(const std::string& text);

}  // namespace ctx
