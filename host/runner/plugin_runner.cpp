// agenthost-plugin-runner: process isolation's other half. Loads one agent
// plugin library and serves it to the host over the socket it inherits
// (descriptor given as its one argument), speaking isolation/frame.hpp. It
// offers the plugin a service table of its own whose every run callback
// travels to the host and waits for the answer there, so a plugin cannot
// tell which mode it runs in: the same .so works either way. Each invoke
// runs on a thread of its own, so several run at once, and callbacks from
// the plugin's own threads work like any other.
//
// When the plugin crashes, only this process dies; the host sees the
// socket close, fails the runs that were executing here and starts a new
// runner.
#include "isolation/event_rules.hpp"
#include "isolation/frame.hpp"

#include <agenthost/abi.h>

#include <rapidjson/document.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <deque>
#include <dlfcn.h>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <sys/prctl.h>
#include <thread>
#include <unistd.h>

using agenthost::isolation::Frame;
using agenthost::isolation::FrameKind;

namespace {

int g_fd = -1;
std::mutex g_write_mutex;
std::string g_config;
std::string g_create_error;

// A run handle on this side: the invoke it belongs to and the strings
// handed to the plugin, kept until on_invoke returns (the ABI's promise).
struct RunnerRun {
    uint64_t invoke = 0;
    // Set by the host's cancel frame: is_cancelled is answered here, without
    // a round trip to the host (plugins ask often).
    std::shared_ptr<std::atomic<bool>> cancelled;
    std::mutex mutex;
    std::deque<std::string> kept;
    agenthost_str keep(std::string value) {
        std::lock_guard<std::mutex> lock(mutex);
        const std::string& stored = kept.emplace_back(std::move(value));
        return {stored.data(), stored.size()};
    }
};

RunnerRun& run_of(agenthost_host_run_ptr handle) { return *reinterpret_cast<RunnerRun*>(handle); }
std::string text_of(agenthost_str text) { return text.ptr == nullptr ? std::string() : std::string(text.ptr, text.len); }

// Callbacks waiting for the host's answer, by call id.
struct PendingCall {
    std::mutex mutex;
    std::condition_variable ready;
    std::deque<Frame> frames;
    bool gone = false;  // the host went away
};

std::mutex g_calls_mutex;
std::map<uint64_t, std::shared_ptr<PendingCall>> g_calls;
std::atomic<uint64_t> g_next_call{1};

// Sends one callback to the host and waits for its reply; tokens of a
// streamed LLM answer arriving meanwhile go to `sink` on this thread, as
// the ABI promises.
Frame call_host(uint64_t invoke, std::vector<std::string> fields, agenthost_token_sink sink = nullptr,
                void* sink_user_data = nullptr) {
    auto pending = std::make_shared<PendingCall>();
    uint64_t id = g_next_call.fetch_add(1);
    {
        std::lock_guard<std::mutex> lock(g_calls_mutex);
        g_calls[id] = pending;
    }
    Frame request{FrameKind::callback, invoke, id, std::move(fields)};
    Frame answer{FrameKind::reply, invoke, id, {std::to_string(AGENTHOST_ERROR_UNAVAILABLE), ""}};
    if (agenthost::isolation::write_frame(g_fd, g_write_mutex, request)) {
        std::unique_lock<std::mutex> lock(pending->mutex);
        for (;;) {
            pending->ready.wait(lock, [&] { return !pending->frames.empty() || pending->gone; });
            if (pending->frames.empty()) break;
            Frame frame = std::move(pending->frames.front());
            pending->frames.pop_front();
            if (frame.kind == FrameKind::token) {
                lock.unlock();
                if (sink != nullptr) sink(sink_user_data, {frame.field(0).data(), frame.field(0).size()});
                lock.lock();
                continue;
            }
            answer = std::move(frame);
            break;
        }
    }
    std::lock_guard<std::mutex> lock(g_calls_mutex);
    g_calls.erase(id);
    return answer;
}

agenthost_status status_of(const Frame& reply) { return static_cast<agenthost_status>(std::atoi(reply.field(0).c_str())); }

// ---- The service table the plugin sees ---------------------------------

void on_log(agenthost_host_agent_ptr, agenthost_log_level level, agenthost_str message) noexcept {
    try {
        agenthost::isolation::write_frame(g_fd, g_write_mutex,
                                          {FrameKind::log, 0, 0, {std::to_string(level), text_of(message)}});
    } catch (...) {
    }
}

agenthost_str on_agent_config(agenthost_host_agent_ptr) noexcept { return {g_config.data(), g_config.size()}; }

void on_agent_set_error(agenthost_host_agent_ptr, agenthost_str message) noexcept {
    try {
        g_create_error = text_of(message);
    } catch (...) {
    }
}

// A callback with string arguments answering a status (and maybe a value
// for `out`).
agenthost_status forward(agenthost_host_run_ptr handle, std::vector<std::string> fields, agenthost_str* out = nullptr,
                         agenthost_token_sink sink = nullptr, void* sink_user_data = nullptr) noexcept {
    try {
        RunnerRun& run = run_of(handle);
        Frame reply = call_host(run.invoke, std::move(fields), sink, sink_user_data);
        agenthost_status status = status_of(reply);
        if (out != nullptr && status == AGENTHOST_OK) *out = run.keep(reply.field(1));
        return status;
    } catch (...) {
        return AGENTHOST_ERROR_FAILED;
    }
}

// A callback whose answer the plugin does not need: sent without waiting
// (call id 0 asks for no reply). The host serves an invoke's frames in
// order, so it is applied before anything the plugin does next.
void send_one_way(agenthost_host_run_ptr handle, std::vector<std::string> fields) noexcept {
    try {
        agenthost::isolation::write_frame(g_fd, g_write_mutex,
                                          {FrameKind::callback, run_of(handle).invoke, 0, std::move(fields)});
    } catch (...) {
    }
}

bool g_may_emit_events = false;  // the manifest declares "events"

// An event the host would accept (permission, type, a JSON object) goes one
// way: progress events are the commonest callback. Anything else takes the
// round trip, so the refusal and last_error are the host's own.
agenthost_status on_emit_event(agenthost_host_run_ptr run, agenthost_str type, agenthost_str data) noexcept {
    try {
        std::string type_text = text_of(type), data_text = text_of(data);
        if (g_may_emit_events && agenthost::isolation::is_plugin_event_type(type_text)) {
            rapidjson::Document document;
            document.Parse(data_text.data(), data_text.size());
            if (!document.HasParseError() && document.IsObject()) {
                send_one_way(run, {"emit_event", std::move(type_text), std::move(data_text)});
                return AGENTHOST_OK;
            }
        }
        return forward(run, {"emit_event", std::move(type_text), std::move(data_text)});
    } catch (...) {
        return AGENTHOST_ERROR_FAILED;
    }
}

int32_t on_is_cancelled(agenthost_host_run_ptr handle) noexcept {
    RunnerRun& run = run_of(handle);
    return run.cancelled && run.cancelled->load() ? 1 : 0;
}

agenthost_status on_memory_get(agenthost_host_run_ptr run, agenthost_str key, agenthost_str* out) noexcept {
    return forward(run, {"memory_get", text_of(key)}, out);
}

agenthost_status on_memory_put(agenthost_host_run_ptr run, agenthost_str key, agenthost_str value) noexcept {
    return forward(run, {"memory_put", text_of(key), text_of(value)});
}

// The host accepts any JSON object as a result; one is sent one way, saving
// a round trip on every run. Anything else goes the long way, so the host's
// refusal and its last_error are exactly those of in-process mode.
agenthost_status on_set_result(agenthost_host_run_ptr run, agenthost_str result) noexcept {
    try {
        std::string text = text_of(result);
        rapidjson::Document document;
        document.Parse(text.data(), text.size());
        if (!document.HasParseError() && document.IsObject()) {
            send_one_way(run, {"set_result", std::move(text)});
            return AGENTHOST_OK;
        }
        return forward(run, {"set_result", std::move(text)});
    } catch (...) {
        return AGENTHOST_ERROR_FAILED;
    }
}

void on_set_error(agenthost_host_run_ptr run, agenthost_str message) noexcept {
    send_one_way(run, {"set_error", text_of(message)});
}

agenthost_str on_last_error(agenthost_host_run_ptr handle) noexcept {
    try {
        RunnerRun& run = run_of(handle);
        return run.keep(call_host(run.invoke, {"last_error"}).field(1));
    } catch (...) {
        return {nullptr, 0};
    }
}

agenthost_status on_llm_complete(agenthost_host_run_ptr run, agenthost_str request, agenthost_str* out) noexcept {
    return forward(run, {"llm_complete", text_of(request)}, out);
}

agenthost_status on_llm_stream(agenthost_host_run_ptr run, agenthost_str request, agenthost_token_sink sink,
                               void* sink_user_data, agenthost_str* out) noexcept {
    return forward(run, {"llm_stream", text_of(request)}, out, sink, sink_user_data);
}

agenthost_status on_http_request(agenthost_host_run_ptr run, agenthost_str request, agenthost_str* out) noexcept {
    return forward(run, {"http_request", text_of(request)}, out);
}

agenthost_status on_request_approval(agenthost_host_run_ptr run, agenthost_str request) noexcept {
    return forward(run, {"request_approval", text_of(request)});
}

// The command runs in the host, which owns the workspace, the allow-list
// and the sandbox; the runner only carries the request and the answer.
agenthost_status on_exec(agenthost_host_run_ptr run, agenthost_str request, agenthost_str* out) noexcept {
    return forward(run, {"exec", text_of(request)}, out);
}

// The host keeps the run's answers and pending question; the runner only
// carries the request and the answer.
agenthost_status on_interrupt(agenthost_host_run_ptr run, agenthost_str request, agenthost_str* out) noexcept {
    return forward(run, {"interrupt", text_of(request)}, out);
}

// The long-term store is the host's database: the runner carries the call.
agenthost_status on_store(agenthost_host_run_ptr run, agenthost_str request, agenthost_str* out) noexcept {
    return forward(run, {"store", text_of(request)}, out);
}

// The check, like exec itself, is the host's: it knows the allow-list.
agenthost_status on_exec_check(agenthost_host_run_ptr run, agenthost_str request, agenthost_str* out) noexcept {
    return forward(run, {"exec_check", text_of(request)}, out);
}

const agenthost_host_api kServiceTable = {
    sizeof(agenthost_host_api), AGENTHOST_ABI_VERSION,
    &on_log,          &on_agent_config,  &on_agent_set_error, &on_emit_event,   &on_is_cancelled,
    &on_memory_get,   &on_memory_put,    &on_set_result,      &on_set_error,    &on_last_error,
    &on_llm_complete, &on_llm_stream,    &on_http_request,    &on_request_approval, &on_exec,
    &on_interrupt,
    &on_store,
    &on_exec_check,
};

// ---- Serving ------------------------------------------------------------

const agenthost_agent_descriptor* g_descriptor = nullptr;
agenthost_module_agent_ptr g_instance = nullptr;

void send(Frame frame) { agenthost::isolation::write_frame(g_fd, g_write_mutex, frame); }

// Cancellation flags of the invokes in progress, by invoke id.
std::mutex g_cancel_mutex;
std::map<uint64_t, std::shared_ptr<std::atomic<bool>>> g_cancel_flags;

void invoke(uint64_t id, std::string input, std::shared_ptr<std::atomic<bool>> cancelled) {
    RunnerRun run;
    run.invoke = id;
    run.cancelled = std::move(cancelled);
    auto handle = reinterpret_cast<agenthost_host_run_ptr>(&run);
    // As in the host: an exception a raw-ABI plugin lets escape fails the
    // run instead of ending this process in std::terminate.
    using ThrowingInvoke = agenthost_status (*)(agenthost_module_agent_ptr, agenthost_host_run_ptr, agenthost_str);
    agenthost_status status = AGENTHOST_ERROR_FAILED;
    try {
        status = reinterpret_cast<ThrowingInvoke>(g_descriptor->on_agent_invoke)(g_instance, handle,
                                                                                {input.data(), input.size()});
    } catch (const std::exception& e) {
        std::string message = text_of(g_descriptor->name) + " let an exception escape on_agent_invoke: " + e.what();
        on_set_error(handle, {message.data(), message.size()});
    } catch (...) {
        std::string message = text_of(g_descriptor->name) + " let an exception escape on_agent_invoke";
        on_set_error(handle, {message.data(), message.size()});
    }
    {
        std::lock_guard<std::mutex> lock(g_cancel_mutex);
        g_cancel_flags.erase(id);
    }
    send({FrameKind::done, id, 0, {std::to_string(status)}});
}

// Invokes run on threads of their own, several at once; a thread that
// finished one waits a while for the next instead of exiting, so a busy
// agent does not pay a thread's creation per invoke.
struct InvokeTask {
    uint64_t id = 0;
    std::string input;
    std::shared_ptr<std::atomic<bool>> cancelled;
};
std::mutex g_pool_mutex;
std::condition_variable g_pool_ready;
std::deque<InvokeTask> g_tasks;
int g_idle_threads = 0;
constexpr auto kIdleThreadLifetime = std::chrono::seconds(30);

void invoke_thread(std::atomic<int>* running) {
    std::unique_lock<std::mutex> lock(g_pool_mutex);
    for (;;) {
        ++g_idle_threads;
        bool got = g_pool_ready.wait_for(lock, kIdleThreadLifetime, [] { return !g_tasks.empty(); });
        --g_idle_threads;
        if (!got) return;
        InvokeTask task = std::move(g_tasks.front());
        g_tasks.pop_front();
        lock.unlock();
        invoke(task.id, std::move(task.input), std::move(task.cancelled));
        running->fetch_sub(1);
        lock.lock();
    }
}

void start_invoke(InvokeTask task, std::atomic<int>& running) {
    running.fetch_add(1);
    bool spawn;
    {
        std::lock_guard<std::mutex> lock(g_pool_mutex);
        g_tasks.push_back(std::move(task));
        spawn = g_idle_threads < static_cast<int>(g_tasks.size());
    }
    g_pool_ready.notify_one();
    if (spawn) std::thread(invoke_thread, &running).detach();
}

// Opens the library and creates the agent; the answer is READY or FAILED.
bool create(const Frame& frame) {
    const std::string& path = frame.field(0);
    g_config = frame.field(1);
    g_may_emit_events = (std::string(",") + frame.field(2)).find(",events,") != std::string::npos;
    void* library = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (library == nullptr) {
        send({FrameKind::failed, 0, 0, {std::string("cannot open ") + path + ": " + dlerror()}});
        return false;
    }
    auto entry = reinterpret_cast<agenthost_plugin_init_fn>(dlsym(library, AGENTHOST_ENTRY_POINT_NAME));
    if (entry == nullptr) {
        send({FrameKind::failed, 0, 0, {path + " does not export " + AGENTHOST_ENTRY_POINT_NAME}});
        return false;
    }
    g_descriptor = entry(&kServiceTable, AGENTHOST_ABI_VERSION);
    if (g_descriptor == nullptr) {
        send({FrameKind::failed, 0, 0, {path + ": the entry point refused this host"}});
        return false;
    }
    std::string name = text_of(g_descriptor->name), version = text_of(g_descriptor->version);
    // The agent handle is never read on this side: every agent-level
    // callback serves the one agent of this process.
    static int agent_handle;
    agenthost_status status = g_descriptor->on_agent_create(
        &kServiceTable, reinterpret_cast<agenthost_host_agent_ptr>(&agent_handle), {g_config.data(), g_config.size()}, &g_instance);
    if (status != AGENTHOST_OK || g_instance == nullptr) {
        send({FrameKind::failed, 0, 0,
              {g_create_error.empty() ? "on_agent_create failed with status " + std::to_string(status)
                                      : g_create_error}});
        return false;
    }
    send({FrameKind::ready, 0, 0, {name, version, std::to_string(g_descriptor->abi_version)}});
    return true;
}

void host_gone() {
    std::lock_guard<std::mutex> lock(g_calls_mutex);
    for (auto& [id, pending] : g_calls) {
        std::lock_guard<std::mutex> call_lock(pending->mutex);
        pending->gone = true;
        pending->ready.notify_all();
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        const char usage[] = "usage: agenthost-plugin-runner FD (started by agenthost, not by hand)\n";
        (void)!write(STDERR_FILENO, usage, sizeof usage - 1);
        return 2;
    }
    // A runner never outlives its host.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    signal(SIGPIPE, SIG_IGN);
    g_fd = std::atoi(argv[1]);

    Frame frame;
    if (!agenthost::isolation::read_frame(g_fd, frame) || frame.kind != FrameKind::create) return 1;
    if (!create(frame)) return 1;

    std::atomic<int> running{0};
    while (agenthost::isolation::read_frame(g_fd, frame)) {
        if (frame.kind == FrameKind::invoke) {
            // Registered here, in frame order, so a cancel frame right
            // behind the invoke finds it.
            auto cancelled = std::make_shared<std::atomic<bool>>(false);
            {
                std::lock_guard<std::mutex> lock(g_cancel_mutex);
                g_cancel_flags[frame.invoke] = cancelled;
            }
            start_invoke({frame.invoke, frame.field(0), std::move(cancelled)}, running);
        } else if (frame.kind == FrameKind::cancel) {
            std::lock_guard<std::mutex> lock(g_cancel_mutex);
            auto found = g_cancel_flags.find(frame.invoke);
            if (found != g_cancel_flags.end()) found->second->store(true);
        } else if (frame.kind == FrameKind::reply || frame.kind == FrameKind::token) {
            std::shared_ptr<PendingCall> pending;
            {
                std::lock_guard<std::mutex> lock(g_calls_mutex);
                auto found = g_calls.find(frame.call);
                if (found != g_calls.end()) pending = found->second;
            }
            if (!pending) continue;
            std::lock_guard<std::mutex> lock(pending->mutex);
            pending->frames.push_back(std::move(frame));
            pending->ready.notify_all();
        } else if (frame.kind == FrameKind::shutdown) {
            break;
        }
    }
    host_gone();
    // The instance is destroyed only when no invoke is in progress (ABI);
    // otherwise the process ends with it.
    if (running.load() == 0 && g_descriptor != nullptr) g_descriptor->on_agent_destroy(g_instance);
    _exit(0);
}
