// The host side of process isolation: one agenthost-plugin-runner process
// per agent, loaded with the plugin, and the proxy that carries each invoke
// to it and each of the plugin's callbacks back to the host's service table
// (so permissions, events and accounting are exactly those of in-process
// mode). A runner that dies fails only the invokes it was executing, with
// error_type plugin_crashed and the signal or exit code; the next invoke
// starts a new one, after a delay that doubles with each crash in a row.
#pragma once

#include "isolation/frame.hpp"
#include "plugins/manifest.hpp"
#include "plugins/run_context.hpp"
#include "plugins/runner_sandbox.hpp"

#include <agenthost/abi.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <sys/types.h>
#include <thread>

namespace agenthost::plugins {

// Where the runner executable is (beside agenthost); set once at start.
void set_runner_path(std::string path);
const std::string& runner_path();

class RunnerClient {
  public:
    // What the plugin reported when the first runner created its agent.
    struct Identity {
        std::string name, version;
        uint32_t abi_version = 0;
    };

    // Starts the runner and creates the agent in it; null and `error` on
    // failure (the plugin's own message when its create failed).
    static std::unique_ptr<RunnerClient> start(const Manifest& manifest, const std::string& config_json,
                                               const RunnerSandbox& sandbox, Identity& identity, std::string& error);
    ~RunnerClient();
    RunnerClient(const RunnerClient&) = delete;
    RunnerClient& operator=(const RunnerClient&) = delete;

    // Runs one invoke in the runner, serving its callbacks on this thread,
    // and returns the plugin's status. When the runner died meanwhile,
    // `crash` says how ("the runner (pid 12) died of SIGSEGV").
    agenthost_status invoke(RunContext& run, const std::string& input_json, std::string& crash);

    // The live runner's pid, or 0 between a crash and the next start.
    pid_t pid() const;
    // Runner processes that died since the agent was loaded.
    long long crashes() const;
    const RunnerSandbox& sandbox() const;
    // Why the agent is given up on after crashing too often, until the
    // cool-down ends (or a reload replaces the agent); empty while it may run.
    std::string unavailable_reason() const;

    struct Connection;
    struct PendingInvoke;
    struct State;

  private:
    explicit RunnerClient(std::shared_ptr<State> state) : state_(std::move(state)) {}
    // Shared with the detached reader threads, which may outlive this.
    std::shared_ptr<State> state_;
};

}  // namespace agenthost::plugins
