// The operator's word on what one agent may run through the exec service
// (agents.<name>.exec in the config). Nothing runs unless it is named in
// `allow`; the defaults deny the network and keep commands short.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace agenthost::exec {

struct ExecSettings {
    // Binary names (not paths) resolved on the host's PATH; only these run.
    std::vector<std::string> allow;
    // Set in every command's environment; wins over what the plugin asks.
    std::map<std::string, std::string> env;
    // Whether a command may ask for the network (request "network": true).
    bool network = false;
    // Upper bound of a command's timeout; longer requests are cut to it.
    double max_timeout_seconds = 600;
    // Host paths the sandbox shows read-only besides the system directories
    // (a kubeconfig, a CA bundle elsewhere).
    std::vector<std::string> read_only_paths;
    // Where bubblewrap cannot create namespaces, exec is refused unless the
    // operator accepts running commands unconfined (rlimits, no_new_privs and
    // the workspace as working directory only: the filesystem and the network
    // are the host's).
    bool allow_unsandboxed = false;
};

}  // namespace agenthost::exec
