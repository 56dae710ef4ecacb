// What confines a runner process beyond its own address space: resource
// limits and no_new_privs (always), and bubblewrap when it works here (a
// read-only view of the filesystem with a private /tmp, and no network
// unless the plugin declares the "http" permission). Where bubblewrap is
// missing or the kernel refuses it namespaces, the runner starts without it
// and says so (log, GET /plugins) instead of failing.
#pragma once

#include <string>
#include <vector>

namespace agenthost::plugins {

struct RunnerLimits {
    long long memory_mb = 2048;  // RLIMIT_AS; 0: none
    long long cpu_seconds = 0;   // RLIMIT_CPU; 0: none
    long long open_files = 256;  // RLIMIT_NOFILE
};

// When a plugin that keeps crashing its runner is given up on for a while:
// `max_crashes` within `window_seconds` opens the circuit (the agent is
// unavailable) for `cooldown_seconds` or until a reload.
struct CrashLoopPolicy {
    int max_crashes = 5;
    double window_seconds = 60;
    double cooldown_seconds = 300;
};

struct RunnerSandbox {
    bool use_bwrap = false;  // bubblewrap found and working
    bool network = false;    // the plugin declares "http"
    // Host directories the runner may write (the agent's exec workspaces),
    // bound read-write at the same path.
    std::vector<std::string> writable_dirs;
    // Files the runner must read (the plugin's library): one under /tmp
    // would be hidden by the private /tmp, so its tree is bound read-only.
    std::vector<std::string> readable_paths;
    RunnerLimits limits;
    CrashLoopPolicy crash_loop;
    // "bwrap: read-only filesystem, private /tmp, no network" or
    // "none: <why>"; shown in GET /plugins.
    std::string description() const;
};

// Whether bubblewrap can start a confined process here; probed once, then
// cached. `reason` says why not.
bool bwrap_available(std::string& reason);

// The command that starts `runner` with `argument`, inside bubblewrap when
// the sandbox uses it.
std::vector<std::string> runner_command(const RunnerSandbox& sandbox, const std::string& runner,
                                        const std::string& argument);

// Applies the limits and no_new_privs to the calling process. Between fork
// and exec: async-signal-safe calls only.
void apply_limits(const RunnerLimits& limits) noexcept;

}  // namespace agenthost::plugins
