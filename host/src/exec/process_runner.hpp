// Runs one prepared command line and captures what it writes: stdin fed
// from a string, stdout and stderr read with poll() and handed on line by
// line as they arrive, a deadline, an output cap and a stop request. The
// command runs in a session (and so a process group) of its own, and every
// way of ending it early kills the whole group with SIGKILL: nothing it
// started outlives it. Knows nothing about plugins or sandboxes.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace agenthost::exec {

struct ProcessSpec {
    std::vector<std::string> argv;  // argv[0] is an absolute path
    std::vector<std::string> env;   // "NAME=value", the whole environment
    std::string cwd;                // chdir before exec; empty: stay
    std::string stdin_data;
    double timeout_seconds = 60;
    size_t max_output_bytes = 1024 * 1024;  // stdout and stderr together
    long long open_files = 256;             // RLIMIT_NOFILE of the command
    // Asked every 100 ms at least; true ends the command (a cancelled run).
    std::function<bool()> should_stop;
    // Each complete line (without its newline) as it arrives, and the last
    // unterminated one at the end; `stream` is "stdout" or "stderr". Lines
    // longer than kMaxLineBytes are handed on in pieces.
    std::function<void(const char* stream, std::string_view line)> on_line;
};

constexpr size_t kMaxLineBytes = 4096;

struct ProcessResult {
    bool started = false;
    std::string start_error;  // why it did not start
    int exit_code = -1;       // -1 when killed by a signal
    int signal = 0;           // the signal that ended it, 0 if none
    bool timed_out = false;
    bool stopped = false;     // should_stop said so
    bool truncated = false;   // output past max_output_bytes was dropped and the command killed
    std::string stdout_text, stderr_text;
    double duration_ms = 0;
};

ProcessResult run_process(const ProcessSpec& spec);

}  // namespace agenthost::exec
