// An agent whose library is loaded and whose instance is created: the only
// object that calls into plugin code. It keeps the library loaded for as long
// as anyone (a run, the registry) holds it.
#pragma once

#include "exec/exec_settings.hpp"
#include "outbound/http_settings.hpp"
#include "plugins/library_file.hpp"
#include "plugins/manifest.hpp"
#include "plugins/run_context.hpp"
#include "plugins/runner_client.hpp"

#include <agenthost/abi.h>

#include <boost/dll/shared_library.hpp>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>

namespace agenthost::plugins {

// How an invoke ended, in the ABI's terms.
struct InvokeOutcome {
    agenthost_status status = AGENTHOST_ERROR_FAILED;
    std::string result_json;  // set when status == AGENTHOST_OK
    std::string error;        // set otherwise
    std::string error_type;   // set when the host knows better than the status (plugin_crashed)
};

// How a plugin runs: in the host's address space, or in a runner process of
// its own that may crash without taking the host along.
enum class Isolation { in_process, process };
const char* to_string(Isolation isolation);

class LoadedAgent {
  public:
    // Opens the library, checks it and creates the agent with `config_json`.
    // Returns null and sets `error` (naming the file and reason) on failure.
    static std::shared_ptr<LoadedAgent> load(const Manifest& manifest, const std::string& config_json,
                                             std::string& error, Isolation isolation = Isolation::in_process,
                                             const RunnerSandbox& sandbox = {});

    // What the agent may run through the exec service, and the folder its
    // runs' workspaces are made in (agents with the "exec" permission).
    void set_exec(exec::ExecSettings settings, std::string workspace_root) {
        exec_settings_ = std::move(settings);
        workspace_root_ = std::move(workspace_root);
    }
    const exec::ExecSettings& exec_settings() const { return exec_settings_; }
    const std::string& workspace_root() const { return workspace_root_; }

    // The operator's limits on the agent's outbound HTTP (agents.<name>.http).
    void set_http(outbound::HttpSettings settings) { http_settings_ = std::move(settings); }
    const outbound::HttpSettings& http_settings() const { return http_settings_; }

    // At most `limit` invokes at once (0: no bound); the others wait.
    void set_max_concurrency(int limit) { max_concurrency_ = limit; }
    int max_concurrency() const { return max_concurrency_; }
    ~LoadedAgent();
    LoadedAgent(const LoadedAgent&) = delete;
    LoadedAgent& operator=(const LoadedAgent&) = delete;

    // Runs the agent on `input_json` ({"run_id","thread_id","task","context"}).
    InvokeOutcome invoke(RunContext& run, const std::string& input_json) const;

    const Manifest& manifest() const { return manifest_; }
    const std::string& name() const { return manifest_.name; }
    const std::string& config_json() const { return config_json_; }
    const std::string& reported_version() const { return reported_version_; }
    uint32_t reported_abi_version() const { return reported_abi_version_; }
    Isolation isolation() const { return runner_ ? Isolation::process : Isolation::in_process; }
    // The runner process in process mode (0 while it restarts); 0 in process.
    pid_t runner_pid() const { return runner_ ? runner_->pid() : 0; }
    long long runner_crashes() const { return runner_ ? runner_->crashes() : 0; }
    // Non-empty while the agent is given up on after repeated runner
    // crashes (process mode); new runs are refused meanwhile.
    std::string unavailable_reason() const { return runner_ ? runner_->unavailable_reason() : ""; }
    // The build of the library this agent was loaded from (stat before
    // loading): a different file at the path now means a rebuild.
    const LibraryIdentity& library_identity() const { return library_identity_; }
    // How the runner is confined (process mode only).
    std::string sandbox_description() const { return runner_ ? runner_->sandbox().description() : ""; }

    // Called by the host service table while the plugin creates its agent.
    void set_create_error(std::string message) { create_error_ = std::move(message); }

  private:
    LoadedAgent(Manifest manifest, std::string config_json);

    Manifest manifest_;
    std::string config_json_;
    std::string reported_version_;
    std::string create_error_;
    uint32_t reported_abi_version_ = 0;
    LibraryIdentity library_identity_;
    std::unique_ptr<RunnerClient> runner_;  // process mode: the library is loaded there, not here
    int max_concurrency_ = 0;
    exec::ExecSettings exec_settings_;
    outbound::HttpSettings http_settings_;
    std::string workspace_root_;
    mutable std::mutex slots_mutex_;
    mutable std::condition_variable slot_free_;
    mutable int invoking_ = 0;
    std::shared_ptr<boost::dll::shared_library> library_;
    const agenthost_agent_descriptor* descriptor_ = nullptr;
    agenthost_module_agent_ptr instance_ = nullptr;
};

}  // namespace agenthost::plugins

// The opaque handle types of abi.h are the host's own classes.
inline agenthost_host_agent_ptr to_handle(const agenthost::plugins::LoadedAgent* agent) {
    return reinterpret_cast<agenthost_host_agent_ptr>(const_cast<agenthost::plugins::LoadedAgent*>(agent));
}
inline agenthost_host_run_ptr to_handle(agenthost::plugins::RunContext* run) {
    return reinterpret_cast<agenthost_host_run_ptr>(run);
}
