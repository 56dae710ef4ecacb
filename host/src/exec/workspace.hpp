// A run's private working directory for the exec service:
// <data dir>/workspaces/<agent>/<run id>, created when the run starts
// executing in an agent with the "exec" permission and removed with
// everything in it when that execution ends (whatever the outcome), so
// nothing one run leaves behind reaches the next.
#pragma once

#include <string>

namespace agenthost::exec {

// The folder under which each agent's workspaces are made.
std::string agent_workspace_root(const std::string& workspaces_dir, const std::string& agent);

class Workspace {
  public:
    // Creates the directory (0700); path() is empty and error() says why
    // when that failed.
    Workspace(const std::string& agent_root, const std::string& run_id);
    ~Workspace();
    Workspace(const Workspace&) = delete;
    Workspace& operator=(const Workspace&) = delete;

    const std::string& path() const { return path_; }
    const std::string& error() const { return error_; }

  private:
    std::string path_;
    std::string error_;
};

}  // namespace agenthost::exec
