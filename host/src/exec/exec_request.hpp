// What a plugin asks the exec service to run (callback_run_exec's request
// JSON), checked before anything is resolved or started: a malformed request
// is the plugin's mistake and answered with a message naming the field.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace agenthost::exec {

// A command's captured output (stdout and stderr together) may not exceed
// this, whatever the plugin asks.
constexpr size_t kMaxOutputLimit = 16 * 1024 * 1024;
constexpr size_t kDefaultOutputLimit = 1024 * 1024;
constexpr double kDefaultTimeoutSeconds = 60;

struct ExecRequest {
    std::vector<std::string> argv;  // argv[0] is a binary name, never a path
    std::string cwd = ".";          // relative to the run's workspace
    std::map<std::string, std::string> env;
    std::string stdin_data;
    double timeout_seconds = kDefaultTimeoutSeconds;
    bool network = false;
    size_t max_output_bytes = kDefaultOutputLimit;
};

// Parses and validates `request_json`; nullopt with `error` naming the
// offending field otherwise.
std::optional<ExecRequest> parse_exec_request(const std::string& request_json, std::string& error);

// Whether `cwd` stays inside the workspace by its text alone: relative, no
// "..", no NUL. (Symbolic links are checked against the real directory.)
bool is_workspace_relative(const std::string& cwd);

}  // namespace agenthost::exec
