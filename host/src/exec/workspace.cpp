#include "exec/workspace.hpp"

#include "util/log.hpp"

#include <filesystem>

namespace agenthost::exec {

namespace fs = std::filesystem;

std::string agent_workspace_root(const std::string& workspaces_dir, const std::string& agent) {
    return (fs::absolute(workspaces_dir) / agent).lexically_normal().string();
}

Workspace::Workspace(const std::string& agent_root, const std::string& run_id) {
    std::error_code error;
    fs::path path = fs::path(agent_root) / run_id;
    // A directory left by a host that died mid-run belongs to no one now.
    fs::remove_all(path, error);
    fs::create_directories(path, error);
    if (error) {
        error_ = "cannot create the run's workspace " + path.string() + ": " + error.message();
        return;
    }
    fs::permissions(path, fs::perms::owner_all, fs::perm_options::replace, error);
    path_ = path.string();
}

Workspace::~Workspace() {
    if (path_.empty()) return;
    std::error_code error;
    fs::remove_all(path_, error);
    if (error) log::warn("removing a run's workspace failed", {{"path", path_}, {"error", error.message()}});
}

}  // namespace agenthost::exec
