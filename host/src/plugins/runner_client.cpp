#include "plugins/runner_client.hpp"

#include "plugins/loaded_agent.hpp"
#include "plugins/plugin_library.hpp"
#include "util/log.hpp"

#include <algorithm>
#include <atomic>
#include <optional>
#include <sstream>
#include <csignal>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace agenthost::plugins {

using isolation::Frame;
using isolation::FrameKind;

namespace {

std::string g_runner_path;

// A runner that was asked to stop and did not return after this long is
// killed (the run was cancelled or timed out).
constexpr auto kKillGrace = std::chrono::seconds(2);
constexpr long kCreateTimeoutSeconds = 30;
constexpr auto kFirstRestartDelay = std::chrono::milliseconds(100);
constexpr auto kMaxRestartDelay = std::chrono::seconds(5);

std::string text_of(agenthost_str text) { return text.ptr == nullptr ? std::string() : std::string(text.ptr, text.len); }

// bubblewrap reports a child killed by a signal as exit code 128 + signal.
std::string describe_exit(pid_t pid, int status, bool sandboxed) {
    std::string who = "the runner (pid " + std::to_string(pid) + ")";
    bool signalled = WIFSIGNALED(status) || (sandboxed && WIFEXITED(status) && WEXITSTATUS(status) > 128);
    if (signalled) {
        int signal_number = WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status) - 128;
        const char* name = sigabbrev_np(signal_number);
        return who + " died of " + (name != nullptr ? "SIG" + std::string(name) : "signal " + std::to_string(signal_number));
    }
    if (WIFEXITED(status)) return who + " exited with code " + std::to_string(WEXITSTATUS(status));
    return who + " stopped";
}

// A line the plugin logged in its runner, tagged with the agent as in
// process.
void log_from_plugin(const std::string& agent, const Frame& frame) {
    int level = std::atoi(frame.field(0).c_str());
    log::Level mapped = level <= AGENTHOST_LOG_DEBUG  ? log::Level::debug
                        : level == AGENTHOST_LOG_INFO ? log::Level::info
                        : level == AGENTHOST_LOG_WARN ? log::Level::warn
                                                      : log::Level::error;
    log::write(mapped, frame.field(1), {{"agent", agent}});
}

}  // namespace

void set_runner_path(std::string path) { g_runner_path = std::move(path); }
const std::string& runner_path() { return g_runner_path; }

struct RunnerClient::PendingInvoke {
    // The run it executes for: valid until `done` or the runner's death,
    // both of which the reader thread sees after every frame before them.
    RunContext* run = nullptr;
    std::mutex mutex;
    std::condition_variable ready;
    std::deque<Frame> frames;
    std::string crash;  // set when the runner died
};

struct RunnerClient::Connection {
    int fd = -1;
    pid_t pid = 0;
    std::mutex write_mutex;
    std::mutex mutex;
    std::map<uint64_t, std::shared_ptr<PendingInvoke>> pending;
    bool alive = true;
    std::string death;

    bool send(const Frame& frame) { return isolation::write_frame(fd, write_mutex, frame); }
    ~Connection() {
        if (fd >= 0) close(fd);
    }
};

namespace {
// Serves one callback frame of a plugin in its runner (defined below).
Frame answer(RunContext& run, const Frame& call, RunnerClient::Connection& connection);
}  // namespace

struct RunnerClient::State : std::enable_shared_from_this<RunnerClient::State> {
    Manifest manifest;
    std::string config_json;
    RunnerSandbox sandbox;
    std::mutex mutex;
    std::shared_ptr<Connection> current;
    bool closing = false;
    long long crashes = 0;
    int crashes_in_a_row = 0;
    std::chrono::steady_clock::time_point last_crash{};
    std::deque<std::chrono::steady_clock::time_point> recent_crashes;  // within the crash-loop window
    std::chrono::steady_clock::time_point unavailable_until{};
    std::string unavailable_reason;  // empty: circuit closed
    std::atomic<uint64_t> next_invoke{1};

    // Called with `mutex` held when a runner died.
    void count_crash(const std::string& death);
    // Called with `mutex` held: whether the circuit is open now (closing
    // it once the cool-down has passed).
    bool circuit_open();

    std::shared_ptr<Connection> spawn(Identity& identity, std::string& error);
    std::shared_ptr<Connection> connection(std::string& error);
    static void read_loop(std::shared_ptr<State> state, std::shared_ptr<Connection> connection);
};

// Starts a runner and creates the agent in it. Called with `mutex` held.
std::shared_ptr<RunnerClient::Connection> RunnerClient::State::spawn(Identity& identity, std::string& error) {
    if (g_runner_path.empty() || access(g_runner_path.c_str(), X_OK) != 0) {
        error = "process isolation needs the runner executable, not found at '" + g_runner_path + "'";
        return nullptr;
    }
    int fds[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
        error = "cannot create the runner's socket";
        return nullptr;
    }
    // Everything the child needs is prepared before fork: between fork and
    // exec only async-signal-safe calls are allowed in a threaded process.
    std::vector<std::string> command = runner_command(sandbox, g_runner_path, "3");
    std::vector<char*> argv;
    for (std::string& part : command) argv.push_back(part.data());
    argv.push_back(nullptr);
    const RunnerLimits limits = sandbox.limits;
    sigset_t none;
    sigemptyset(&none);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        error = "cannot fork the runner";
        return nullptr;
    }
    if (pid == 0) {
        // The socket becomes descriptor 3 (dup2 clears close-on-exec); no
        // other descriptor of the host (listening socket, database) leaks.
        if (fds[1] != 3) dup2(fds[1], 3);
        else fcntl(3, F_SETFD, 0);
        close_range(4, ~0U, 0);
        pthread_sigmask(SIG_SETMASK, &none, nullptr);  // the host blocks SIGTERM in all its threads
        apply_limits(limits);
        execv(argv[0], argv.data());
        _exit(127);
    }
    close(fds[1]);
    auto connection = std::make_shared<Connection>();
    connection->fd = fds[0];
    connection->pid = pid;
    // The plugin may log while it creates its agent; then READY or FAILED,
    // within a bound: a create that hangs must not hang the host's start.
    timeval create_timeout{kCreateTimeoutSeconds, 0};
    setsockopt(connection->fd, SOL_SOCKET, SO_RCVTIMEO, &create_timeout, sizeof create_timeout);
    Frame reply;
    // The permissions let the runner send events it can check itself one way.
    std::string permissions;
    for (const auto& permission : manifest.permissions) permissions += permission + ",";
    bool answered = connection->send({FrameKind::create, 0, 0, {manifest.library_path, config_json, permissions}});
    while (answered && (answered = isolation::read_frame(connection->fd, reply)) && reply.kind == FrameKind::log)
        log_from_plugin(manifest.name, reply);
    timeval no_timeout{0, 0};
    setsockopt(connection->fd, SOL_SOCKET, SO_RCVTIMEO, &no_timeout, sizeof no_timeout);
    if (!answered) {
        int status = 0;
        bool hung = waitpid(pid, &status, WNOHANG) == 0;
        if (hung) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
        }
        error = "agent '" + manifest.name + "': " +
                (hung ? "the runner did not answer within " + std::to_string(kCreateTimeoutSeconds) + " s"
                      : describe_exit(pid, status, sandbox.use_bwrap)) +
                " while loading " + manifest.library_path;
        return nullptr;
    }
    if (reply.kind != FrameKind::ready) {
        error = "agent '" + manifest.name + "' in " + manifest.library_path +
                " failed to initialise in its runner: " + reply.field(0);
        kill(pid, SIGKILL);
        int status = 0;
        waitpid(pid, &status, 0);
        return nullptr;
    }
    identity.name = reply.field(0);
    identity.version = reply.field(1);
    identity.abi_version = static_cast<uint32_t>(std::stoul(reply.field(2).empty() ? "0" : reply.field(2)));
    return connection;
}

void RunnerClient::State::count_crash(const std::string& death) {
    auto now = std::chrono::steady_clock::now();
    ++crashes;
    ++crashes_in_a_row;
    last_crash = now;
    recent_crashes.push_back(now);
    auto window = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(sandbox.crash_loop.window_seconds));
    while (!recent_crashes.empty() && now - recent_crashes.front() > window) recent_crashes.pop_front();
    if (static_cast<int>(recent_crashes.size()) < sandbox.crash_loop.max_crashes || !unavailable_reason.empty()) return;
    unavailable_until = now + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                  std::chrono::duration<double>(sandbox.crash_loop.cooldown_seconds));
    std::ostringstream reason;
    reason << "its runner crashed " << recent_crashes.size() << " times within " << sandbox.crash_loop.window_seconds
           << " s (last: " << death << "); retried after " << sandbox.crash_loop.cooldown_seconds
           << " s or on POST /plugins/" << manifest.name << "/reload";
    unavailable_reason = reason.str();
    log::error("agent disabled after repeated runner crashes", {{"agent", manifest.name}, {"reason", unavailable_reason}});
}

bool RunnerClient::State::circuit_open() {
    if (unavailable_reason.empty()) return false;
    if (std::chrono::steady_clock::now() < unavailable_until) return true;
    // Cool-down over: try again, with a fresh window.
    log::info("agent available again after its cool-down", {{"agent", manifest.name}});
    unavailable_reason.clear();
    recent_crashes.clear();
    crashes_in_a_row = 0;
    return false;
}

std::shared_ptr<RunnerClient::Connection> RunnerClient::State::connection(std::string& error) {
    std::unique_lock<std::mutex> lock(mutex);
    if (circuit_open()) {
        error = "agent '" + manifest.name + "' is unavailable: " + unavailable_reason;
        return nullptr;
    }
    if (current && current->alive) return current;
    if (closing) {
        error = "agent '" + manifest.name + "' is being unloaded";
        return nullptr;
    }
    if (crashes_in_a_row > 0) {
        // A plugin that keeps crashing is restarted ever more slowly.
        auto delay = std::min<std::chrono::steady_clock::duration>(
            kFirstRestartDelay * (1LL << std::min(crashes_in_a_row - 1, 10)), kMaxRestartDelay);
        auto wait = last_crash + delay - std::chrono::steady_clock::now();
        if (wait > std::chrono::steady_clock::duration::zero()) std::this_thread::sleep_for(wait);
    }
    Identity identity;
    current = spawn(identity, error);
    if (!current) {
        count_crash(error);
        return nullptr;
    }
    log::info("plugin runner started", {{"agent", manifest.name}, {"pid", static_cast<long long>(current->pid)}});
    std::thread(read_loop, shared_from_this(), current).detach();
    return current;
}

void RunnerClient::State::read_loop(std::shared_ptr<State> state, std::shared_ptr<Connection> connection) {
    const std::string agent = state->manifest.name;
    Frame frame;
    while (isolation::read_frame(connection->fd, frame)) {
        if (frame.kind == FrameKind::log) {
            log_from_plugin(agent, frame);
            continue;
        }
        std::shared_ptr<PendingInvoke> pending;
        {
            std::lock_guard<std::mutex> lock(connection->mutex);
            auto found = connection->pending.find(frame.invoke);
            if (found != connection->pending.end()) pending = found->second;
        }
        if (!pending) continue;
        // One-way callbacks (events, the result) are handled here, in
        // order: the worker waiting for the invoke wakes only for what
        // needs it (a reply, `done`), which is most of process mode's
        // added latency.
        if (frame.kind == FrameKind::callback && frame.call == 0 && frame.field(0) != "exec") {
            answer(*pending->run, frame, *connection);
            continue;
        }
        {
            std::lock_guard<std::mutex> lock(pending->mutex);
            pending->frames.push_back(std::move(frame));
        }
        pending->ready.notify_all();
    }
    // The socket closed: the runner is gone (or going). Its exit status
    // says how, for the runs it leaves behind.
    int status = 0;
    waitpid(connection->pid, &status, 0);
    std::string death = describe_exit(connection->pid, status, state->sandbox.use_bwrap);
    bool closing;
    {
        std::lock_guard<std::mutex> lock(state->mutex);
        closing = state->closing;
        if (!closing) state->count_crash(death);
        if (state->current == connection) state->current.reset();
    }
    size_t executing = 0;
    {
        std::lock_guard<std::mutex> lock(connection->mutex);
        connection->alive = false;
        connection->death = death;
        executing = connection->pending.size();
        for (auto& [id, pending] : connection->pending) {
            std::lock_guard<std::mutex> pending_lock(pending->mutex);
            pending->crash = death;
            pending->ready.notify_all();
        }
    }
    if (!closing)
        log::error("plugin runner died; its runs fail as plugin_crashed and the next run starts a new one",
                   {{"agent", agent}, {"cause", death}, {"runs", static_cast<long long>(executing)}});
}

std::unique_ptr<RunnerClient> RunnerClient::start(const Manifest& manifest, const std::string& config_json,
                                                  const RunnerSandbox& sandbox, Identity& identity,
                                                  std::string& error) {
    auto state = std::make_shared<State>();
    state->manifest = manifest;
    state->config_json = config_json;
    state->sandbox = sandbox;
    {
        std::lock_guard<std::mutex> lock(state->mutex);
        state->current = state->spawn(identity, error);
        if (!state->current) return nullptr;
    }
    log::info("plugin runner started", {{"agent", manifest.name}, {"pid", static_cast<long long>(state->current->pid)}});
    std::thread(State::read_loop, state, state->current).detach();
    return std::unique_ptr<RunnerClient>(new RunnerClient(state));
}

RunnerClient::~RunnerClient() {
    std::shared_ptr<Connection> connection;
    {
        std::lock_guard<std::mutex> lock(state_->mutex);
        state_->closing = true;
        connection = state_->current;
    }
    // The runner destroys its agent and exits; its reader thread reaps it.
    if (connection) connection->send({FrameKind::shutdown, 0, 0, {}});
}

pid_t RunnerClient::pid() const {
    std::lock_guard<std::mutex> lock(state_->mutex);
    return state_->current ? state_->current->pid : 0;
}

const RunnerSandbox& RunnerClient::sandbox() const { return state_->sandbox; }

std::string RunnerClient::unavailable_reason() const {
    std::lock_guard<std::mutex> lock(state_->mutex);
    return state_->circuit_open() ? state_->unavailable_reason : "";
}

long long RunnerClient::crashes() const {
    std::lock_guard<std::mutex> lock(state_->mutex);
    return state_->crashes;
}

namespace {

struct TokenForward {
    RunnerClient::Connection* connection;
    uint64_t invoke, call;
};

void forward_token(void* user_data, agenthost_str token) noexcept {
    auto* forward = static_cast<TokenForward*>(user_data);
    try {
        forward->connection->send({FrameKind::token, forward->invoke, forward->call, {text_of(token)}});
    } catch (...) {
    }
}

// One callback the plugin made in its runner, served by the host's own
// service table (same permission checks, events and accounting as in
// process), and its reply.
Frame answer(RunContext& run, const Frame& call, RunnerClient::Connection& connection) {
    const agenthost_host_api& api = host_api();
    agenthost_host_run_ptr handle = to_handle(&run);
    auto view = [&call](size_t index) {
        const std::string& text = call.field(index);
        return agenthost_str{text.data(), text.size()};
    };
    const std::string& name = call.field(0);
    agenthost_status status = AGENTHOST_OK;
    agenthost_str out{nullptr, 0};
    std::string value;
    if (name == "emit_event") status = api.callback_run_emit_event(handle, view(1), view(2));
    else if (name == "is_cancelled") value = api.callback_run_is_cancelled(handle) != 0 ? "1" : "0";
    else if (name == "memory_get") status = api.callback_run_memory_get(handle, view(1), &out);
    else if (name == "memory_put") status = api.callback_run_memory_put(handle, view(1), view(2));
    else if (name == "set_result") status = api.callback_run_set_result(handle, view(1));
    else if (name == "set_error") api.callback_run_set_error(handle, view(1));
    else if (name == "last_error") value = text_of(api.callback_run_last_error(handle));
    else if (name == "llm_complete") status = api.callback_run_llm_complete(handle, view(1), &out);
    else if (name == "llm_stream") {
        TokenForward forward{&connection, call.invoke, call.call};
        status = api.callback_run_llm_stream(handle, view(1), &forward_token, &forward, &out);
    } else if (name == "http_request") status = api.callback_run_http_request(handle, view(1), &out);
    else if (name == "request_approval") status = api.callback_run_request_approval(handle, view(1));
    else if (name == "exec") status = api.callback_run_exec(handle, view(1), &out);
    else if (name == "interrupt") status = api.callback_run_interrupt(handle, view(1), &out);
    else if (name == "store") status = api.callback_run_store(handle, view(1), &out);
    else if (name == "exec_check") status = api.callback_run_exec_check(handle, view(1), &out);
    else status = AGENTHOST_ERROR_FAILED;
    if (out.ptr != nullptr && status == AGENTHOST_OK) value = text_of(out);
    return {FrameKind::reply, call.invoke, call.call, {std::to_string(status), value}};
}

}  // namespace

agenthost_status RunnerClient::invoke(RunContext& run, const std::string& input_json, std::string& crash) {
    std::string error;
    std::shared_ptr<Connection> connection = state_->connection(error);
    if (!connection) {
        crash = error;
        return AGENTHOST_ERROR_FAILED;
    }
    auto pending = std::make_shared<PendingInvoke>();
    pending->run = &run;
    uint64_t id = state_->next_invoke.fetch_add(1);
    {
        std::lock_guard<std::mutex> lock(connection->mutex);
        if (!connection->alive) {
            crash = connection->death;
            return AGENTHOST_ERROR_FAILED;
        }
        connection->pending[id] = pending;
    }
    connection->send({FrameKind::invoke, id, 0, {input_json}});
    // The runner answers is_cancelled from its own flag; this loop tells it
    // (at once if the run was cancelled already, else within 100 ms).
    bool cancel_sent = false;
    auto forward_cancel = [&] {
        if (cancel_sent || !run.cancelled.load()) return;
        cancel_sent = connection->send({FrameKind::cancel, id, 0, {}});
    };
    forward_cancel();
    run.abandoned = false;
    // An exec call blocks until its command ends: it is answered on a thread
    // of its own so the plugin's other callbacks (progress events, asking
    // whether it was cancelled) are served meanwhile.
    std::vector<std::thread> exec_calls;
    agenthost_status status = AGENTHOST_ERROR_FAILED;
    std::optional<std::chrono::steady_clock::time_point> cancelled_at;
    bool killed = false;
    for (;;) {
        forward_cancel();
        std::unique_lock<std::mutex> lock(pending->mutex);
        pending->ready.wait_for(lock, std::chrono::milliseconds(100),
                                [&] { return !pending->frames.empty() || !pending->crash.empty(); });
        if (!pending->frames.empty()) {
            Frame frame = std::move(pending->frames.front());
            pending->frames.pop_front();
            lock.unlock();
            if (frame.kind == FrameKind::done) {
                status = static_cast<agenthost_status>(std::atoi(frame.field(0).c_str()));
                break;
            }
            if (frame.kind == FrameKind::callback && frame.field(0) == "exec")
                exec_calls.emplace_back([&run, connection, frame = std::move(frame)] {
                    connection->send(answer(run, frame, *connection));
                });
            else if (frame.kind == FrameKind::callback) connection->send(answer(run, frame, *connection));
            continue;
        }
        if (!pending->crash.empty()) {
            crash = pending->crash;
            break;
        }
        lock.unlock();
        // Told to stop (cancelled, or past its timeout) and still going
        // after the grace period: unlike in process, this can be ended.
        if (!run.cancelled.load() || killed) continue;
        auto now = std::chrono::steady_clock::now();
        if (!cancelled_at) cancelled_at = now;
        else if (now - *cancelled_at > kKillGrace) {
            log::warn("killing a plugin runner that ignores cancellation",
                      {{"agent", state_->manifest.name}, {"pid", static_cast<long long>(connection->pid)}});
            kill(connection->pid, SIGKILL);
            killed = true;
        }
    }
    // The run context must outlive every exec call answering for it. One
    // still running now has nobody to answer to (the runner died, or the
    // plugin returned without waiting for it, against the ABI), so its
    // command is killed.
    run.abandoned = true;
    for (std::thread& call : exec_calls) call.join();
    {
        std::lock_guard<std::mutex> lock(connection->mutex);
        connection->pending.erase(id);
    }
    if (crash.empty()) {
        std::lock_guard<std::mutex> lock(state_->mutex);
        state_->crashes_in_a_row = 0;
    }
    return status;
}

}  // namespace agenthost::plugins
