#include "exec/process_runner.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <optional>
#include <thread>
#include <tuple>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace agenthost::exec {
namespace {

using Clock = std::chrono::steady_clock;

// After the group is killed, how long to wait for the pipes to close (a
// grandchild in another session could hold them open) before giving up.
constexpr auto kDrainAfterKill = std::chrono::seconds(2);

struct Pipe {
    int read = -1, write = -1;
    bool open() {
        int fds[2];
        if (pipe2(fds, O_CLOEXEC) != 0) return false;
        read = fds[0];
        write = fds[1];
        return true;
    }
    static void close_fd(int& fd) {
        if (fd >= 0) ::close(fd);
        fd = -1;
    }
    ~Pipe() {
        close_fd(read);
        close_fd(write);
    }
};

// Splits a stream into lines for on_line.
class LineSplitter {
  public:
    LineSplitter(const char* stream, const ProcessSpec& spec) : stream_(stream), spec_(spec) {}
    void add(std::string_view data) {
        if (!spec_.on_line) return;
        for (char c : data) {
            if (c == '\n') {
                emit();
                continue;
            }
            pending_.push_back(c);
            if (pending_.size() >= kMaxLineBytes) emit();
        }
    }
    void finish() {
        if (!pending_.empty()) emit();
    }

  private:
    void emit() {
        spec_.on_line(stream_, pending_);
        pending_.clear();
    }
    const char* stream_;
    const ProcessSpec& spec_;
    std::string pending_;
};

[[noreturn]] void exec_child(const ProcessSpec& spec, char* const* argv, char* const* envp, int in, int out, int err,
                             int report) noexcept {
    // Only async-signal-safe calls between fork and exec.
    setsid();
    dup2(in, STDIN_FILENO);
    dup2(out, STDOUT_FILENO);
    dup2(err, STDERR_FILENO);
    sigset_t none;
    sigemptyset(&none);
    pthread_sigmask(SIG_SETMASK, &none, nullptr);  // the host blocks its stop signals in every thread
    signal(SIGPIPE, SIG_DFL);
    rlimit files{static_cast<rlim_t>(spec.open_files), static_cast<rlim_t>(spec.open_files)};
    if (spec.open_files > 0) setrlimit(RLIMIT_NOFILE, &files);
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    if (!spec.cwd.empty() && chdir(spec.cwd.c_str()) != 0) {
        int code = errno;
        (void)!write(report, &code, sizeof code);
        _exit(127);
    }
    execve(argv[0], argv, envp);
    int code = errno;
    (void)!write(report, &code, sizeof code);
    _exit(127);
}

}  // namespace

ProcessResult run_process(const ProcessSpec& spec) {
    ProcessResult result;
    auto started = Clock::now();
    std::vector<std::string> argv_storage = spec.argv, env_storage = spec.env;
    std::vector<char*> argv, envp;
    for (auto& arg : argv_storage) argv.push_back(arg.data());
    argv.push_back(nullptr);
    for (auto& entry : env_storage) envp.push_back(entry.data());
    envp.push_back(nullptr);
    Pipe in, out, err, report;
    if (spec.argv.empty() || !in.open() || !out.open() || !err.open() || !report.open()) {
        result.start_error = spec.argv.empty() ? "no command" : std::string("cannot create pipes: ") + std::strerror(errno);
        return result;
    }
    pid_t pid = fork();
    if (pid < 0) {
        result.start_error = std::string("cannot fork: ") + std::strerror(errno);
        return result;
    }
    if (pid == 0) exec_child(spec, argv.data(), envp.data(), in.read, out.write, err.write, report.write);
    Pipe::close_fd(in.read);
    Pipe::close_fd(out.write);
    Pipe::close_fd(err.write);
    Pipe::close_fd(report.write);
    // execve succeeded when the close-on-exec report pipe closes unwritten.
    int exec_errno = 0;
    ssize_t reported;
    while ((reported = ::read(report.read, &exec_errno, sizeof exec_errno)) < 0 && errno == EINTR) {
    }
    if (reported == static_cast<ssize_t>(sizeof exec_errno)) {
        int status = 0;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        result.start_error = "cannot run " + spec.argv[0] + ": " + std::strerror(exec_errno);
        return result;
    }
    result.started = true;

    fcntl(in.write, F_SETFL, O_NONBLOCK);
    size_t stdin_written = 0;
    if (spec.stdin_data.empty()) Pipe::close_fd(in.write);
    LineSplitter out_lines("stdout", spec), err_lines("stderr", spec);
    size_t captured = 0;
    auto deadline = started + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(spec.timeout_seconds));
    std::optional<Clock::time_point> killed_at;
    auto kill_group = [&] {
        if (killed_at) return;
        ::kill(-pid, SIGKILL);
        ::kill(pid, SIGKILL);
        killed_at = Clock::now();
    };
    char buffer[16384];
    while (out.read >= 0 || err.read >= 0) {
        auto now = Clock::now();
        if (!killed_at && now >= deadline) {
            result.timed_out = true;
            kill_group();
        }
        if (!killed_at && spec.should_stop && spec.should_stop()) {
            result.stopped = true;
            kill_group();
        }
        if (killed_at && now - *killed_at > kDrainAfterKill) break;
        pollfd fds[3];
        nfds_t count = 0;
        int out_index = -1, err_index = -1, in_index = -1;
        if (out.read >= 0) fds[out_index = static_cast<int>(count++)] = {out.read, POLLIN, 0};
        if (err.read >= 0) fds[err_index = static_cast<int>(count++)] = {err.read, POLLIN, 0};
        if (in.write >= 0) fds[in_index = static_cast<int>(count++)] = {in.write, POLLOUT, 0};
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count();
        int wait_ms = static_cast<int>(std::max<long long>(0, std::min<long long>(left, 100)));
        if (killed_at) wait_ms = 100;
        int ready = ::poll(fds, count, wait_ms);
        if (ready < 0 && errno != EINTR) break;
        if (ready <= 0) continue;
        if (in_index >= 0 && (fds[in_index].revents & (POLLOUT | POLLERR | POLLHUP))) {
            ssize_t n = ::write(in.write, spec.stdin_data.data() + stdin_written, spec.stdin_data.size() - stdin_written);
            if (n > 0) stdin_written += static_cast<size_t>(n);
            // A command that stops reading (or exits) just gets no more input.
            if ((n < 0 && errno != EAGAIN && errno != EINTR) || stdin_written == spec.stdin_data.size())
                Pipe::close_fd(in.write);
        }
        for (auto [index, fd, text, lines] :
             {std::tuple<int, int*, std::string*, LineSplitter*>{out_index, &out.read, &result.stdout_text, &out_lines},
              std::tuple<int, int*, std::string*, LineSplitter*>{err_index, &err.read, &result.stderr_text, &err_lines}}) {
            if (index < 0 || !(fds[index].revents & (POLLIN | POLLERR | POLLHUP))) continue;
            ssize_t n = ::read(*fd, buffer, sizeof buffer);
            if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
            if (n <= 0) {
                Pipe::close_fd(*fd);
                continue;
            }
            size_t room = spec.max_output_bytes > captured ? spec.max_output_bytes - captured : 0;
            size_t kept = std::min(room, static_cast<size_t>(n));
            text->append(buffer, kept);
            lines->add(std::string_view(buffer, kept));
            captured += kept;
            if (kept < static_cast<size_t>(n) && !result.truncated) {
                // More output is of no use to anyone: stop the command
                // rather than let it spin until its deadline.
                result.truncated = true;
                kill_group();
            }
        }
    }
    out_lines.finish();
    err_lines.finish();
    Pipe::close_fd(in.write);
    // Its output is closed but it may still run (it closed stdout, or
    // forked into the background): the deadline and stop still apply.
    int status = 0;
    for (;;) {
        pid_t reaped = waitpid(pid, &status, WNOHANG);
        if (reaped == pid || (reaped < 0 && errno != EINTR)) break;
        if (!killed_at && Clock::now() >= deadline) {
            result.timed_out = true;
            kill_group();
        } else if (!killed_at && spec.should_stop && spec.should_stop()) {
            result.stopped = true;
            kill_group();
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
    else if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
    result.duration_ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
    return result;
}

}  // namespace agenthost::exec
