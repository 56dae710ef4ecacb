// The exec service behind callback_run_exec: one command a plugin asks for,
// checked against the operator's settings for its agent (allow-list,
// network), run inside the run's workspace under bubblewrap, its output
// streamed as exec.* run events and returned whole. Used by the host's
// service table in both isolation modes (in process mode the runner
// forwards the call and the host runs the command).
#pragma once

#include "exec/exec_settings.hpp"

#include <functional>
#include <string>

namespace agenthost::exec {

enum class ExecStatus {
    ok,               // the command ran (whatever its exit code), or timed out
    bad_request,      // the plugin's request is malformed
    denied,           // not on the allow-list, or network not allowed
    unavailable,      // not found on PATH, no workspace, no sandbox here
    cancelled,        // the run was cancelled and the command killed
    failed,           // it could not be started
};

struct ExecCall {
    std::string agent;
    const ExecSettings* settings = nullptr;
    std::string workspace;             // absolute; empty: the run has none
    std::function<bool()> should_stop; // the run was cancelled (or its invoke ended)
    // Appends a run event; failures to record are the caller's to swallow.
    std::function<void(const std::string& type, const std::string& data_json)> emit;
};

struct ExecAnswer {
    ExecStatus status = ExecStatus::failed;
    // {"exit_code","signal","timed_out","stdout","stderr","truncated",
    //  "duration_ms","sandbox"} when status is ok.
    std::string response_json;
    std::string error;  // why, otherwise
};

ExecAnswer run_exec(const ExecCall& call, const std::string& request_json);

// What run_exec would decide before starting anything (callback_run_exec_
// check): the same refusals with the same messages, or ok with {"allowed":
// true, "binary", "sandbox"}. Runs nothing and records no event; the
// request's cwd need not exist yet. An agent asks this before it asks a
// person to approve a command, so nobody approves what cannot run.
ExecAnswer check_exec(const ExecCall& call, const std::string& request_json);

// Why no program at all would run for `agent` on this host (its allow-list
// is empty, or the sandbox cannot start and unconfined programs are not
// accepted), naming the setting; empty when some could.
std::string why_nothing_runs(const std::string& agent, const ExecSettings& settings);

}  // namespace agenthost::exec
