// The exec service's process runner, without a sandbox: output by line and
// whole, stdin, and every early end (deadline, output cap, stop request)
// killing the command's whole process group.
#include "exec/process_runner.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <fstream>
#include <thread>
#include <vector>

using namespace agenthost::exec;
using Catch::Matchers::Contains;

namespace {

ProcessSpec shell(const std::string& script) {
    ProcessSpec spec;
    spec.argv = {"/bin/sh", "-c", script};
    spec.env = {"PATH=/usr/bin:/bin"};
    spec.timeout_seconds = 10;
    return spec;
}

bool alive(pid_t pid) { return kill(pid, 0) == 0; }

}  // namespace

TEST_CASE("a command's output arrives by line and whole, with its exit code", "[exec]") {
    ProcessSpec spec = shell("echo one; echo two >&2; printf 'three'; exit 3");
    std::vector<std::string> lines;
    spec.on_line = [&](const char* stream, std::string_view line) { lines.push_back(std::string(stream) + ":" + std::string(line)); };
    ProcessResult result = run_process(spec);
    REQUIRE(result.started);
    CHECK(result.exit_code == 3);
    CHECK(result.signal == 0);
    CHECK(result.stdout_text == "one\nthree");
    CHECK(result.stderr_text == "two\n");
    CHECK(std::count(lines.begin(), lines.end(), "stdout:one") == 1);
    CHECK(std::count(lines.begin(), lines.end(), "stderr:two") == 1);
    CHECK(std::count(lines.begin(), lines.end(), "stdout:three") == 1);
    CHECK_FALSE(result.timed_out);
    CHECK_FALSE(result.truncated);
}

TEST_CASE("stdin is fed to the command, larger than a pipe's buffer", "[exec]") {
    ProcessSpec spec = shell("wc -c");
    spec.stdin_data.assign(300000, 'x');
    ProcessResult result = run_process(spec);
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.stdout_text, Contains("300000"));
}

TEST_CASE("a command past its deadline is killed with everything it started", "[exec]") {
    std::string pid_file = "/tmp/agenthost-runner-test-" + std::to_string(getpid());
    ProcessSpec spec = shell("sleep 30 & echo $! > " + pid_file + "; sleep 30");
    spec.timeout_seconds = 0.5;
    auto started = std::chrono::steady_clock::now();
    ProcessResult result = run_process(spec);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
    CHECK(result.timed_out);
    CHECK(result.signal == SIGKILL);
    pid_t background = 0;
    std::ifstream(pid_file) >> background;
    REQUIRE(background > 0);
    // The background sleep was in the command's process group: gone too.
    bool gone = false;
    for (int i = 0; i < 100 && !gone; ++i) {
        gone = !alive(background);
        if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    CHECK(gone);
    std::remove(pid_file.c_str());
}

TEST_CASE("output past the cap is dropped and the command stopped", "[exec]") {
    ProcessSpec spec = shell("yes");
    spec.max_output_bytes = 1000;
    ProcessResult result = run_process(spec);
    CHECK(result.truncated);
    CHECK(result.stdout_text.size() == 1000);
    CHECK(result.signal != 0);
    CHECK_FALSE(result.timed_out);
}

TEST_CASE("a stop request kills the command", "[exec]") {
    ProcessSpec spec = shell("sleep 30");
    std::atomic<bool> stop{false};
    spec.should_stop = [&] { return stop.load(); };
    std::thread stopper([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        stop = true;
    });
    auto started = std::chrono::steady_clock::now();
    ProcessResult result = run_process(spec);
    stopper.join();
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(3));
    CHECK(result.stopped);
    CHECK(result.signal == SIGKILL);
}

TEST_CASE("a command that cannot start says why", "[exec]") {
    ProcessSpec spec;
    spec.argv = {"/nonexistent/tool"};
    ProcessResult result = run_process(spec);
    CHECK_FALSE(result.started);
    CHECK_THAT(result.start_error, Contains("/nonexistent/tool") && Contains("No such file"));
    ProcessSpec in_missing_dir = shell("true");
    in_missing_dir.cwd = "/nonexistent-dir";
    CHECK_FALSE(run_process(in_missing_dir).started);
}

TEST_CASE("the command sees only the environment given", "[exec]") {
    ProcessSpec spec = shell("echo \"$ONLY:$HOME\"");
    spec.env = {"PATH=/usr/bin:/bin", "ONLY=this"};
    CHECK(run_process(spec).stdout_text == "this:\n");
}
