// The bubblewrap command line that confines one command of the exec
// service: a new root holding only read-only system directories (/usr, the
// /bin and /lib* links or directories, /etc), the command's own binary, any
// read-only paths the operator lists, a private /tmp, and the run's
// workspace as the only writable host directory (bound at the same path, so
// paths mean the same inside and out). Every namespace is unshared; the
// network only when the operator and the request both allow it. Depends on
// nothing else in the host.
#pragma once

#include <string>
#include <vector>

namespace agenthost::isolation {

// /usr/bin/bwrap, or AGENTHOST_BWRAP when set (a bubblewrap installed
// elsewhere; tests use it to stand in a bwrap that cannot sandbox).
const std::string& bwrap_path();

struct BwrapCommand {
    std::string bwrap = bwrap_path();
    std::string workspace;                    // absolute; empty: none (the probe)
    std::string cwd;                          // absolute, inside the workspace; empty: the workspace
    std::string binary;                       // absolute path of the command to run
    std::vector<std::string> args;            // argv[1..] of the command
    std::vector<std::string> read_only_paths; // extra host paths shown read-only
    bool network = false;
};

// How the root's system directories look on this host: "/bin" is a symlink
// to "usr/bin" on merged-/usr systems (Debian 12) and a directory elsewhere.
struct SystemLayout {
    struct Entry {
        std::string path;
        std::string symlink_target;  // empty: a directory, bound read-only
    };
    std::vector<Entry> entries;
};

// Reads /bin, /sbin, /lib, /lib32, /lib64 and /libx32 as they are here.
SystemLayout host_system_layout();

// argv for execve: bwrap's options, "--", the binary and its arguments.
std::vector<std::string> bwrap_argv(const BwrapCommand& command, const SystemLayout& layout);

// Whether bubblewrap can create the exec sandbox here (every namespace,
// /proc, a read-only root); probed once by running /bin/true in it, then
// cached. `reason` says why not ("bubblewrap is not installed", "cannot
// create namespaces here: <bwrap's message>").
bool exec_sandbox_available(std::string& reason);

}  // namespace agenthost::isolation
