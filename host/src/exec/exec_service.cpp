#include "exec/exec_service.hpp"

#include "exec/command_resolver.hpp"
#include "exec/exec_request.hpp"
#include "exec/process_runner.hpp"
#include "isolation/bubblewrap.hpp"
#include "json/json_util.hpp"
#include "metrics/host_metrics.hpp"
#include "util/log.hpp"

#include <algorithm>
#include <filesystem>
#include <map>

namespace agenthost::exec {
namespace {

namespace fs = std::filesystem;

// Inside the sandbox binaries come from the bound system directories; the
// command itself is named by its absolute path.
constexpr const char* kSandboxPath = "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin";

// Each output line is a durable event: a chatty program could otherwise
// write hundreds of thousands of them. Past this many per command, lines
// still reach the result but not the event log (exec.finished counts them).
constexpr size_t kMaxOutputEvents = 1000;

ExecAnswer refuse(ExecStatus status, std::string error) {
    ExecAnswer answer;
    answer.status = status;
    answer.error = std::move(error);
    return answer;
}

void emit_safely(const ExecCall& call, const char* type, const rapidjson::Document& data) {
    if (!call.emit) return;
    try {
        call.emit(type, json::serialize(data));
    } catch (const std::exception& e) {
        // Events are a view of the command, never a condition of it.
        log::warn("recording an exec event failed", {{"agent", call.agent}, {"error", e.what()}});
    }
}

// The working directory: inside the workspace by its real path too (a
// symbolic link the command made earlier must not lead out of it).
bool resolve_cwd(const std::string& workspace, const std::string& cwd, std::string& out, std::string& error) {
    std::error_code code;
    fs::path root = fs::canonical(workspace, code);
    if (code) {
        error = "the run's workspace is gone: " + workspace;
        return false;
    }
    fs::path target = fs::canonical(root / cwd, code);
    if (code || !fs::is_directory(target, code)) {
        error = "cwd '" + cwd + "' is not a directory in the run's workspace";
        return false;
    }
    auto mismatch = std::mismatch(root.begin(), root.end(), target.begin(), target.end());
    if (mismatch.first != root.end()) {
        error = "cwd '" + cwd + "' leads outside the run's workspace";
        return false;
    }
    out = target.string();
    return true;
}

// The command's whole environment: a fixed base, then the plugin's
// variables, then the operator's (which win).
std::vector<std::string> environment(const ExecCall& call, const ExecRequest& request) {
    std::map<std::string, std::string> env = {
        {"PATH", kSandboxPath}, {"HOME", call.workspace}, {"TMPDIR", "/tmp"}, {"LANG", "C.UTF-8"}};
    for (const auto& [name, value] : request.env) env[name] = value;
    for (const auto& [name, value] : call.settings->env) env[name] = value;
    std::vector<std::string> entries;
    for (const auto& [name, value] : env) entries.push_back(name + "=" + value);
    return entries;
}

rapidjson::Value string_list(const std::vector<std::string>& items, rapidjson::Document::AllocatorType& allocator) {
    rapidjson::Value list(rapidjson::kArrayType);
    for (const auto& item : items) list.PushBack(json::string_value(item, allocator), allocator);
    return list;
}

}  // namespace

namespace {

// What the operator's settings allow of a request, decided without running
// it: shared by exec and its check, so both refuse with the same words.
struct Permitted {
    std::optional<ExecRequest> request;
    std::string binary;   // absolute path on the host
    bool sandboxed = false;
    std::string why_not;  // why there is no sandbox, when there is none
};

std::optional<ExecAnswer> permit(const ExecCall& call, const std::string& request_json, Permitted& permitted) {
    std::string error;
    permitted.request = parse_exec_request(request_json, error);
    if (!permitted.request) return refuse(ExecStatus::bad_request, "bad exec request: " + error);
    const ExecRequest& request = *permitted.request;
    const ExecSettings& settings = *call.settings;
    if (call.workspace.empty())
        return refuse(ExecStatus::unavailable, "this run has no workspace, so exec cannot run (agent '" + call.agent + "')");
    std::optional<std::string> binary =
        resolve_command(request.argv[0], settings.allow, host_search_path(), call.agent, error);
    if (!binary) {
        bool listed = std::find(settings.allow.begin(), settings.allow.end(), request.argv[0]) != settings.allow.end();
        return refuse(listed ? ExecStatus::unavailable : ExecStatus::denied, error);
    }
    permitted.binary = *binary;
    // After the allow-list: a refused binary is the more useful message.
    if (request.network && !settings.network)
        return refuse(ExecStatus::denied, "exec with network is not allowed for agent '" + call.agent +
                                              "' (the operator sets agents." + call.agent + ".exec.network: true)");
    permitted.sandboxed = isolation::exec_sandbox_available(permitted.why_not);
    if (!permitted.sandboxed && !settings.allow_unsandboxed)
        return refuse(ExecStatus::unavailable, "exec is refused because the sandbox cannot start here: " +
                                                   permitted.why_not +
                                                   " (an operator who accepts unconfined commands sets agents." +
                                                   call.agent + ".exec.allow_unsandboxed: true)");
    return std::nullopt;
}

std::string sandbox_name(const Permitted& permitted) {
    return permitted.sandboxed
               ? std::string("bwrap") + (permitted.request->network ? " (network)" : " (no network)")
               : "none: " + permitted.why_not;
}

ExecAnswer run_checked(const ExecCall& call, const std::string& request_json, const char*& outcome) {
    outcome = "refused";
    Permitted permitted;
    if (std::optional<ExecAnswer> refused = permit(call, request_json, permitted)) return *refused;
    const ExecRequest& request = *permitted.request;
    const ExecSettings& settings = *call.settings;
    const std::string& binary = permitted.binary;
    const bool sandboxed = permitted.sandboxed;
    std::string error, cwd;
    if (!resolve_cwd(call.workspace, request.cwd, cwd, error)) return refuse(ExecStatus::bad_request, error);

    ProcessSpec spec;
    std::vector<std::string> args(request.argv.begin() + 1, request.argv.end());
    if (sandboxed) {
        isolation::BwrapCommand command;
        command.workspace = call.workspace;
        command.cwd = cwd;
        command.binary = binary;
        command.args = args;
        command.read_only_paths = settings.read_only_paths;
        command.network = request.network;
        static const isolation::SystemLayout layout = isolation::host_system_layout();
        spec.argv = isolation::bwrap_argv(command, layout);
    } else {
        spec.argv = {binary};
        spec.argv.insert(spec.argv.end(), args.begin(), args.end());
        spec.cwd = cwd;
    }
    spec.env = environment(call, request);
    spec.stdin_data = request.stdin_data;
    spec.timeout_seconds = std::min(request.timeout_seconds, settings.max_timeout_seconds);
    spec.max_output_bytes = request.max_output_bytes;
    spec.should_stop = call.should_stop;
    size_t output_events = 0, lines_not_emitted = 0;
    spec.on_line = [&](const char* stream, std::string_view line) {
        if (output_events >= kMaxOutputEvents) {
            ++lines_not_emitted;
            return;
        }
        ++output_events;
        rapidjson::Document data(rapidjson::kObjectType);
        auto& allocator = data.GetAllocator();
        data.AddMember("stream", rapidjson::StringRef(stream), allocator);
        data.AddMember("line", json::string_value(line, allocator), allocator);
        emit_safely(call, "exec.output", data);
    };
    const std::string sandbox = sandbox_name(permitted);
    {
        rapidjson::Document data(rapidjson::kObjectType);
        auto& allocator = data.GetAllocator();
        data.AddMember("argv", string_list(request.argv, allocator), allocator);
        data.AddMember("binary", json::string_value(binary, allocator), allocator);
        data.AddMember("cwd", json::string_value(request.cwd, allocator), allocator);
        data.AddMember("timeout_seconds", spec.timeout_seconds, allocator);
        data.AddMember("network", request.network, allocator);
        data.AddMember("sandbox", json::string_value(sandbox, allocator), allocator);
        emit_safely(call, "exec.started", data);
    }
    if (call.should_stop && call.should_stop())
        return refuse(ExecStatus::cancelled, "the run was cancelled; '" + request.argv[0] + "' was not started");
    ProcessResult result = run_process(spec);
    if (!result.started) {
        outcome = "failed";
        return refuse(ExecStatus::failed, "exec of '" + request.argv[0] + "' failed: " + result.start_error);
    }
    metrics::host_metrics().exec_duration.observe({call.agent}, result.duration_ms / 1000.0);
    // bubblewrap passes a signalled command's end on as 128 + the signal (so
    // a program that itself exits 129..192 is reported as signalled too).
    if (sandboxed && result.signal == 0 && result.exit_code > 128 && result.exit_code < 128 + 65) {
        result.signal = result.exit_code - 128;
        result.exit_code = -1;
    }
    outcome = result.stopped     ? "cancelled"
              : result.timed_out ? "timed_out"
              : result.truncated ? "truncated"
              : result.signal != 0 ? "signalled"
                                   : "exited";
    rapidjson::Document response(rapidjson::kObjectType);
    auto& allocator = response.GetAllocator();
    response.AddMember("exit_code", result.exit_code, allocator);
    response.AddMember("signal", result.signal, allocator);
    response.AddMember("timed_out", result.timed_out, allocator);
    response.AddMember("truncated", result.truncated, allocator);
    response.AddMember("duration_ms", static_cast<int64_t>(result.duration_ms), allocator);
    {
        rapidjson::Document data(rapidjson::kObjectType);
        data.CopyFrom(response, data.GetAllocator());
        data.AddMember("cancelled", result.stopped, data.GetAllocator());
        data.AddMember("lines_not_emitted", static_cast<uint64_t>(lines_not_emitted), data.GetAllocator());
        emit_safely(call, "exec.finished", data);
    }
    if (result.stopped)
        return refuse(ExecStatus::cancelled, "the run was cancelled; '" + request.argv[0] + "' was killed");
    response.AddMember("stdout", json::string_value(result.stdout_text, allocator), allocator);
    response.AddMember("stderr", json::string_value(result.stderr_text, allocator), allocator);
    response.AddMember("sandbox", json::string_value(sandbox, allocator), allocator);
    ExecAnswer answer;
    answer.status = ExecStatus::ok;
    answer.response_json = json::serialize(response);
    return answer;
}

}  // namespace

std::string why_nothing_runs(const std::string& agent, const ExecSettings& settings) {
    if (settings.allow.empty())
        return "the operator allows agent '" + agent + "' no program (agents." + agent + ".exec.allow is empty)";
    std::string why_not;
    if (!isolation::exec_sandbox_available(why_not) && !settings.allow_unsandboxed)
        return "the sandbox cannot start here (" + why_not + ") and agents." + agent +
               ".exec.allow_unsandboxed is not set";
    return "";
}

ExecAnswer check_exec(const ExecCall& call, const std::string& request_json) {
    Permitted permitted;
    if (std::optional<ExecAnswer> refused = permit(call, request_json, permitted)) return *refused;
    rapidjson::Document response(rapidjson::kObjectType);
    auto& allocator = response.GetAllocator();
    response.AddMember("allowed", true, allocator);
    response.AddMember("binary", json::string_value(permitted.binary, allocator), allocator);
    response.AddMember("sandbox", json::string_value(sandbox_name(permitted), allocator), allocator);
    ExecAnswer answer;
    answer.status = ExecStatus::ok;
    answer.response_json = json::serialize(response);
    return answer;
}

ExecAnswer run_exec(const ExecCall& call, const std::string& request_json) {
    const char* outcome = "refused";
    ExecAnswer answer = run_checked(call, request_json, outcome);
    metrics::host_metrics().exec_commands.add({call.agent, outcome});
    return answer;
}

}  // namespace agenthost::exec
