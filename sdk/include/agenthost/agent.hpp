// agenthost C++ helper over the C ABI in abi.h.
//
// A plugin author writes one class and one macro:
//
//   class Echo : public agenthost::Agent {
//    public:
//     explicit Echo(agenthost::Host& host) : agenthost::Agent(host) {}
//     rapidjson::Document invoke(agenthost::Run& run) override {
//       rapidjson::Document result(rapidjson::kObjectType);
//       result.AddMember("echo", agenthost::json::string(run.task(), result), result.GetAllocator());
//       return result;
//     }
//   };
//   AGENTHOST_AGENT(Echo, "echo", "1.0.0")
//
// Everything here is header-only and compiled into the plugin, so nothing of
// the plugin's C++ runtime (exceptions, std::string, allocators) ever crosses
// into the host. Exceptions thrown by the author are caught at the boundary
// and turned into a status code plus message.
#ifndef AGENTHOST_AGENT_HPP
#define AGENTHOST_AGENT_HPP

#include <agenthost/abi.h>

// The ABI minor this plugin targets: the oldest host it must load in. Hosts
// of that minor and newer load it; helpers needing a newer minor do not
// compile (a static_assert names the helper and the minor it needs).
// agenthost_add_plugin() sets it from the manifest's abi_version; without
// CMake, define it before this include. Default: this SDK's minor.
#ifndef AGENTHOST_TARGET_ABI_MINOR
#define AGENTHOST_TARGET_ABI_MINOR AGENTHOST_ABI_VERSION_MINOR
#endif
#if AGENTHOST_TARGET_ABI_MINOR > AGENTHOST_ABI_VERSION_MINOR
#error "AGENTHOST_TARGET_ABI_MINOR is newer than this SDK's ABI: use a newer SDK"
#endif

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace agenthost {

inline agenthost_str to_abi(std::string_view text) noexcept { return agenthost_str{text.data(), text.size()}; }
inline std::string_view from_abi(agenthost_str text) noexcept {
    return text.ptr == nullptr ? std::string_view{} : std::string_view{text.ptr, text.len};
}

// An error with the ABI status it maps to. Throw the subclasses from invoke().
class Error : public std::runtime_error {
  public:
    Error(agenthost_status status, const std::string& message) : std::runtime_error(message), status_(status) {}
    agenthost_status status() const noexcept { return status_; }

  private:
    agenthost_status status_;
};

// The input does not suit the agent: the caller gets 422 with this message.
struct InvalidInput : Error {
    explicit InvalidInput(const std::string& message) : Error(AGENTHOST_ERROR_INVALID_INPUT, message) {}
};
// The run was cancelled; throw after Run::cancelled() turned true.
struct Cancelled : Error {
    Cancelled() : Error(AGENTHOST_ERROR_CANCELLED, "cancelled") {}
};
// The operation needs a person's approval first; Run::require_approval
// throws it and the run pauses until someone decides.
struct ApprovalRequired : Error {
    explicit ApprovalRequired(const std::string& message) : Error(AGENTHOST_ERROR_APPROVAL_REQUIRED, message) {}
};

#ifdef AGENTHOST_ERROR_INTERRUPTED
// The run waits for a person's answer; Run::interrupt throws it and the run
// pauses until someone resumes it (it is then invoked again from the start
// and the same call returns the answer). Let it escape invoke().
struct Interrupted : Error {
    explicit Interrupted(const std::string& message) : Error(AGENTHOST_ERROR_INTERRUPTED, message) {}
};
#endif

namespace detail {
// Fails to compile only when instantiated: a helper's stand-in for plugins
// that target a minor older than the helper needs.
template <typename... Args>
struct needs_newer_abi {
    static constexpr bool value = sizeof...(Args) == static_cast<std::size_t>(-1);
};
}  // namespace detail

namespace json {

inline rapidjson::Value string(std::string_view text, rapidjson::Document::AllocatorType& allocator) {
    // An empty view may have no data at all; rapidjson would memcpy from it.
    if (text.empty()) return rapidjson::Value(rapidjson::kStringType);
    return rapidjson::Value(text.data(), static_cast<rapidjson::SizeType>(text.size()), allocator);
}
inline rapidjson::Value string(std::string_view text, rapidjson::Document& owner) {
    return string(text, owner.GetAllocator());
}

inline std::string serialize(const rapidjson::Value& value) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    value.Accept(writer);
    return std::string(buffer.GetString(), buffer.GetSize());
}

// Parses JSON text; throws Error(FAILED) when the text is not JSON.
inline rapidjson::Document parse(std::string_view text) {
    rapidjson::Document document;
    document.Parse(text.data(), text.size());
    if (document.HasParseError()) throw Error(AGENTHOST_ERROR_FAILED, "host passed malformed JSON");
    return document;
}

}  // namespace json

// Services scoped to the loaded agent: logging and configuration.
class Host {
  public:
    Host(const agenthost_host_api* api, agenthost_host_agent_ptr handle, agenthost_str config_json)
        : api_(api), handle_(handle), config_(json::parse(from_abi(config_json))) {}

    void log(agenthost_log_level level, std::string_view message) const noexcept {
        api_->callback_log(handle_, level, to_abi(message));
    }
    // A log line with structured fields, written as `message key=value ...`
    // (values with spaces or quotes are quoted), so the host's log keeps
    // them greppable: host.info("fetched", {{"url", url}, {"status", "200"}}).
    using Fields = std::vector<std::pair<std::string_view, std::string_view>>;
    void log(agenthost_log_level level, std::string_view message, const Fields& fields) const noexcept {
        try {
            std::string line(message);
            for (const auto& [key, value] : fields) {
                line.append(" ").append(key).append("=");
                bool quote = value.empty() || value.find_first_of(" \t\"=") != std::string_view::npos;
                if (!quote) {
                    line.append(value);
                    continue;
                }
                line += '"';
                for (char c : value) {
                    if (c == '"' || c == '\\') line += '\\';
                    line += c;
                }
                line += '"';
            }
            log(level, line);
        } catch (...) {
            log(level, message);
        }
    }
    void info(std::string_view message, const Fields& fields) const noexcept { log(AGENTHOST_LOG_INFO, message, fields); }
    void warn(std::string_view message, const Fields& fields) const noexcept { log(AGENTHOST_LOG_WARN, message, fields); }
    void debug(std::string_view message) const noexcept { log(AGENTHOST_LOG_DEBUG, message); }
    void info(std::string_view message) const noexcept { log(AGENTHOST_LOG_INFO, message); }
    void warn(std::string_view message) const noexcept { log(AGENTHOST_LOG_WARN, message); }
    void error(std::string_view message) const noexcept { log(AGENTHOST_LOG_ERROR, message); }

    // The agent's config object, validated by the host against the manifest
    // (the same text the host returns from callback_agent_config).
    const rapidjson::Document& config() const noexcept { return config_; }

    const agenthost_host_api* api() const noexcept { return api_; }
    agenthost_host_agent_ptr handle() const noexcept { return handle_; }

  private:
    const agenthost_host_api* api_;
    agenthost_host_agent_ptr handle_;
    rapidjson::Document config_;
};

// A call of the configured LLM (Run::llm), instead of hand-written JSON.
struct LlmMessage {
    std::string role;  // "system", "user" or "assistant"
    std::string content;
};
struct LlmRequest {
    std::vector<LlmMessage> messages;  // at least one
    std::string model;                 // empty: the provider's configured model
    bool json_mode = false;            // ask for a JSON object as the answer
    int max_tokens = 0;                // 0: the provider's default
    double temperature = -1;           // < 0: the provider's default; else 0..2
};
struct LlmResponse {
    std::string content;
    long long input_tokens = 0, output_tokens = 0;
    std::string provider, model, finish_reason;
};

// A file an agent made, for Run::add_artifact: it goes into the result's
// "artifacts" array, which the host also records as one "artifact" run
// event each.
struct Artifact {
    std::string path;        // relative, e.g. "k8s/deployment.yaml"
    std::string content;
    std::string media_type;  // e.g. "application/yaml"
};

// A program to run through the host's exec service (Run::exec). argv[0] is
// the bare name of a binary the operator allows (agents.<name>.exec.allow);
// cwd is relative to the run's workspace.
struct ExecOptions {
    std::vector<std::string> argv;
    std::string cwd = ".";
    std::map<std::string, std::string> env;
    std::string stdin_data;
    double timeout_seconds = 60;
    bool network = false;
    std::size_t max_output_bytes = 1024 * 1024;
};

// How the program ended and what it wrote.
struct ExecResult {
    int exit_code = -1;  // -1 when a signal ended it
    int signal = 0;
    bool timed_out = false;
    bool truncated = false;  // output past max_output_bytes was dropped and the program killed
    std::string stdout_text;
    std::string stderr_text;
    long long duration_ms = 0;
    std::string sandbox;  // how it was confined, e.g. "bwrap (no network)"
    bool succeeded() const noexcept { return exit_code == 0 && signal == 0 && !timed_out; }
};

// What Run::check_exec learnt: the host would run the command.
struct ExecCheck {
    // False on a host from before the check (abi.h, callback_run_exec_check):
    // nothing is known until exec itself is tried.
    bool checked = false;
    std::string binary;   // the absolute path the host would run
    std::string sandbox;  // how it would be confined, e.g. "bwrap (network)"
};

// One run: its input and the run-scoped host services.
// Watches a run for cancellation on a thread of its own and calls `stop`
// once when the host says the run was cancelled (asked every 50 ms, like
// Run::wait_for). For work that cannot poll Run::cancelled(): a blocking
// read, a condition variable, a child process, a library's own event loop;
// `stop` closes, notifies or kills it. Destroying the watch (or calling
// release()) ends the watching and waits for a `stop` in progress, so
// `stop` may use the invoke's locals that outlive the watch. `stop` must not
// throw (an exception there calls std::terminate).
class CancelWatch {
  public:
    CancelWatch() = default;
    CancelWatch(std::function<bool()> is_cancelled, std::function<void()> stop)
        : state_(std::make_shared<State>()) {
        auto state = state_;
        thread_ = std::thread([state, is_cancelled = std::move(is_cancelled), stop = std::move(stop)] {
            std::unique_lock<std::mutex> lock(state->mutex);
            while (!state->released) {
                lock.unlock();
                bool cancelled = is_cancelled();
                lock.lock();
                if (state->released) return;
                if (cancelled) {
                    state->fired = true;
                    lock.unlock();
                    stop();
                    return;
                }
                state->wake.wait_for(lock, std::chrono::milliseconds(50), [&] { return state->released; });
            }
        });
    }
    CancelWatch(CancelWatch&&) noexcept = default;
    CancelWatch& operator=(CancelWatch&& other) noexcept {
        if (this != &other) {
            release();
            state_ = std::move(other.state_);
            thread_ = std::move(other.thread_);
        }
        return *this;
    }
    CancelWatch(const CancelWatch&) = delete;
    CancelWatch& operator=(const CancelWatch&) = delete;
    ~CancelWatch() { release(); }

    // Stops watching; returns once a `stop` in progress has returned.
    void release() noexcept {
        if (!state_) return;
        {
            std::lock_guard<std::mutex> lock(state_->mutex);
            state_->released = true;
        }
        state_->wake.notify_all();
        if (thread_.joinable()) thread_.join();
        state_.reset();
    }
    // True once `stop` was called.
    bool fired() const noexcept {
        if (!state_) return false;
        std::lock_guard<std::mutex> lock(state_->mutex);
        return state_->fired;
    }

  private:
    struct State {
        std::mutex mutex;
        std::condition_variable wake;
        bool released = false;
        bool fired = false;
    };
    std::shared_ptr<State> state_;
    std::thread thread_;
};

// The long-term store (needs the "store" permission; abi.h,
// callback_run_store): JSON items by namespace and key that outlive
// threads, shared by the runs of the run's tenant. Get it from
// Run::store(). On a host whose service table ends before the store call
// (older hosts) every method throws Error(AGENTHOST_ERROR_UNAVAILABLE);
// available() says so beforehand.
class StoreClient {
  public:
    using Namespace = std::vector<std::string>;

    StoreClient(const agenthost_host_api* api, agenthost_host_run_ptr run) noexcept : api_(api), run_(run) {}

    bool available() const noexcept {
        return api_->struct_size >= offsetof(agenthost_host_api, callback_run_store) + sizeof(void*) &&
               api_->callback_run_store != nullptr;
    }

    // Stores `value` (a JSON object) under namespace and key, replacing
    // what was there; `ttl_minutes` > 0 makes it expire.
    void put(const Namespace& ns, std::string_view key, const rapidjson::Value& value,
             std::optional<double> ttl_minutes = std::nullopt) const {
        rapidjson::Document request = item_request("put", ns, key);
        request.AddMember("value", rapidjson::Value(value, request.GetAllocator()), request.GetAllocator());
        if (ttl_minutes) request.AddMember("ttl", *ttl_minutes, request.GetAllocator());
        call(request);
    }
    // The item ({"namespace", "key", "value", "created_at", "updated_at"}),
    // or nullopt when there is none (or it expired).
    std::optional<rapidjson::Document> get(const Namespace& ns, std::string_view key) const {
        std::string text = json::serialize(item_request("get", ns, key));
        agenthost_str response{nullptr, 0};
        agenthost_status status = raw(text, &response);
        if (status == AGENTHOST_ERROR_NOT_FOUND) return std::nullopt;
        check(status);
        return json::parse(from_abi(response));
    }
    // False when there was no such item.
    bool remove(const Namespace& ns, std::string_view key) const {
        rapidjson::Document answer = call(item_request("delete", ns, key));
        auto found = answer.FindMember("deleted");
        return found != answer.MemberEnd() && found->value.IsBool() && found->value.GetBool();
    }
    // {"items": [...]}: items under `prefix`, ranked by `query` when it has
    // words (best first, each with a "score"), else newest first.
    rapidjson::Document search(const Namespace& prefix, std::string_view query = {}, size_t limit = 10,
                               size_t offset = 0) const {
        rapidjson::Document request(rapidjson::kObjectType);
        auto& allocator = request.GetAllocator();
        request.AddMember("op", "search", allocator);
        request.AddMember("namespace_prefix", labels(prefix, allocator), allocator);
        if (!query.empty()) request.AddMember("query", json::string(query, allocator), allocator);
        request.AddMember("limit", static_cast<uint64_t>(limit), allocator);
        request.AddMember("offset", static_cast<uint64_t>(offset), allocator);
        return call(request);
    }
    // {"namespaces": [[...], ...]} under `prefix`, cut to `max_depth` (0: whole).
    rapidjson::Document list_namespaces(const Namespace& prefix = {}, size_t max_depth = 0, size_t limit = 100) const {
        rapidjson::Document request(rapidjson::kObjectType);
        auto& allocator = request.GetAllocator();
        request.AddMember("op", "list_namespaces", allocator);
        request.AddMember("prefix", labels(prefix, allocator), allocator);
        if (max_depth > 0) request.AddMember("max_depth", static_cast<uint64_t>(max_depth), allocator);
        request.AddMember("limit", static_cast<uint64_t>(limit), allocator);
        return call(request);
    }
    // Any request object ({"op", ...} as abi.h describes), for members the
    // helpers above do not set (a search filter, a suffix); the response.
    rapidjson::Document call(const rapidjson::Value& request) const {
        std::string text = json::serialize(request);
        agenthost_str response{nullptr, 0};
        check(raw(text, &response));
        return json::parse(response.len == 0 ? std::string_view("{}") : from_abi(response));
    }

  private:
    agenthost_status raw(const std::string& text, agenthost_str* response) const {
        if (!available())
            throw Error(AGENTHOST_ERROR_UNAVAILABLE, "this host has no store service (its ABI table ends before "
                                                     "callback_run_store)");
        return api_->callback_run_store(run_, to_abi(text), response);
    }
    void check(agenthost_status status) const {
        if (status == AGENTHOST_OK) return;
        throw Error(status, std::string(from_abi(api_->callback_run_last_error(run_))));
    }
    static rapidjson::Value labels(const Namespace& ns, rapidjson::Document::AllocatorType& allocator) {
        rapidjson::Value out(rapidjson::kArrayType);
        for (const auto& label : ns) out.PushBack(json::string(label, allocator), allocator);
        return out;
    }
    static rapidjson::Document item_request(const char* op, const Namespace& ns, std::string_view key) {
        rapidjson::Document request(rapidjson::kObjectType);
        auto& allocator = request.GetAllocator();
        request.AddMember("op", rapidjson::StringRef(op), allocator);
        request.AddMember("namespace", labels(ns, allocator), allocator);
        request.AddMember("key", json::string(key, allocator), allocator);
        return request;
    }

    const agenthost_host_api* api_;
    agenthost_host_run_ptr run_;
};

class Run {
  public:
    Run(const Host& host, agenthost_host_run_ptr handle, agenthost_str input_json)
        : host_(host), handle_(handle), input_(json::parse(from_abi(input_json))) {}

    const rapidjson::Document& input() const noexcept { return input_; }
    std::string_view run_id() const noexcept { return member_string("run_id"); }
    std::string_view thread_id() const noexcept { return member_string("thread_id"); }
    std::string_view task() const noexcept { return member_string("task"); }

    // The request's `context` object; an empty object when absent.
    const rapidjson::Value& context() const noexcept {
        static const rapidjson::Value empty(rapidjson::kObjectType);
        auto found = input_.FindMember("context");
        return found != input_.MemberEnd() && found->value.IsObject() ? found->value : empty;
    }

    const Host& host() const noexcept { return host_; }

    // Which execution of the run this is: 1, or more after its host died
    // and another took it over (run-time approval rounds do not count).
    int attempt() const noexcept { return member_int("attempt", 1); }
    // The current iteration of a looping run (input "iteration", 1-based),
    // 0 when the run does not loop.
    int iteration() const noexcept { return member_int("iteration", 0); }
    // The previous iteration's result in a looping run, or nullptr.
    const rapidjson::Value* previous_result() const noexcept { return member("previous_result"); }
    // When the host retries because the last result failed its checks:
    // {"try": n, "reasons": [...], "previous_result": {...}}; else nullptr.
    const rapidjson::Value* remediation() const noexcept { return member("remediation"); }
    // For agents with the "llm" permission: {"provider", "model",
    // "fallback"}; nullptr otherwise. provider "offline" means no real model
    // answers: an agent may use its own offline algorithm instead.
    const rapidjson::Value* llm() const noexcept { return member("llm"); }
    std::string_view llm_provider() const noexcept {
        const rapidjson::Value* value = llm();
        if (value == nullptr || !value->IsObject()) return {};
        auto found = value->FindMember("provider");
        return found != value->MemberEnd() && found->value.IsString()
                   ? std::string_view(found->value.GetString(), found->value.GetStringLength())
                   : std::string_view();
    }

    // Adds a file to the result's "artifacts" (see Artifact).
    void add_artifact(std::string path, std::string content, std::string media_type = "text/plain") {
        artifacts_.push_back({std::move(path), std::move(content), std::move(media_type)});
    }
    const std::vector<Artifact>& artifacts() const noexcept { return artifacts_; }

    // Waits up to `duration`, waking early when the run is cancelled (the
    // host is asked every 50 ms); false when it was cancelled.
    template <typename Rep, typename Period>
    bool wait_for(std::chrono::duration<Rep, Period> duration) const {
        auto deadline = std::chrono::steady_clock::now() + duration;
        for (;;) {
            if (cancelled()) return false;
            auto now = std::chrono::steady_clock::now();
            if (now >= deadline) return true;
            std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
                deadline - now, std::chrono::milliseconds(50)));
        }
    }
    // The same, throwing Cancelled when the run was cancelled.
    template <typename Rep, typename Period>
    void sleep_for(std::chrono::duration<Rep, Period> duration) const {
        if (!wait_for(duration)) throw Cancelled();
    }

    // Appends an event to the run's log (needs the "events" permission).
    void emit(std::string_view type, const rapidjson::Value& data) const {
        std::string text = json::serialize(data);
        check(api()->callback_run_emit_event(handle_, to_abi(type), to_abi(text)));
    }

    // Emits an "agent.progress" event with a message and an optional
    // completed fraction in [0, 1].
    void progress(std::string_view message, double fraction = -1.0) const {
        rapidjson::Document data(rapidjson::kObjectType);
        data.AddMember("message", json::string(message, data), data.GetAllocator());
        if (fraction >= 0.0) data.AddMember("fraction", fraction, data.GetAllocator());
        emit("agent.progress", data);
    }

    bool cancelled() const noexcept { return api()->callback_run_is_cancelled(handle_) != 0; }
    // Calls `stop` (once, on the watch's thread) if the run is cancelled
    // while the returned watch lives; see CancelWatch.
    [[nodiscard]] CancelWatch on_cancel(std::function<void()> stop) const {
        const agenthost_host_api* host = api();
        agenthost_host_run_ptr handle = handle_;
        return CancelWatch([host, handle] { return host->callback_run_is_cancelled(handle) != 0; }, std::move(stop));
    }
    // Throws Cancelled when the run was cancelled: call between steps.
    void throw_if_cancelled() const {
        if (cancelled()) throw Cancelled();
    }

    // Shared run memory (needs the "memory" permission). Values are JSON text.
    std::optional<std::string> memory_get(std::string_view key) const {
        agenthost_str value{nullptr, 0};
        agenthost_status status = api()->callback_run_memory_get(handle_, to_abi(key), &value);
        if (status == AGENTHOST_ERROR_NOT_FOUND) return std::nullopt;
        check(status);
        return std::string(from_abi(value));
    }
    void memory_put(std::string_view key, std::string_view value_json) const {
        check(api()->callback_run_memory_put(handle_, to_abi(key), to_abi(value_json)));
    }

    // Calls the configured LLM (needs the "llm" permission); returns the
    // response object's JSON text.
    std::string llm_complete(std::string_view request_json) const {
        agenthost_str response{nullptr, 0};
        check(api()->callback_run_llm_complete(handle_, to_abi(request_json), &response));
        return std::string(from_abi(response));
    }

    // The same, calling `on_token` for each token as it arrives.
    template <typename OnToken>
    std::string llm_stream(std::string_view request_json, OnToken&& on_token) const {
        struct Sink {
            OnToken* callback;
            static void call(void* self, agenthost_str token) noexcept {
                // An exception must not unwind through the host: tokens
                // after a throwing callback are dropped.
                try {
                    (*static_cast<Sink*>(self)->callback)(from_abi(token));
                } catch (...) {
                }
            }
        } sink{&on_token};
        agenthost_str response{nullptr, 0};
        check(api()->callback_run_llm_stream(handle_, to_abi(request_json), &Sink::call, &sink, &response));
        return std::string(from_abi(response));
    }

#if AGENTHOST_TARGET_ABI_MINOR >= 1
    // The typed form of llm_complete (needs the "llm" permission).
    LlmResponse llm(const LlmRequest& request) const {
        std::string text = llm_request_json(request);
        return llm_response_of(llm_complete(text));
    }
    // The typed form of llm_stream.
    template <typename OnToken>
    LlmResponse llm(const LlmRequest& request, OnToken&& on_token) const {
        std::string text = llm_request_json(request);
        return llm_response_of(llm_stream(text, std::forward<OnToken>(on_token)));
    }

    // Returns when `operation` is approved for this run; otherwise throws
    // ApprovalRequired, which pauses the run until a person decides (an
    // approved run is invoked again from the start, and this call returns).
    // Call it before the side effect, never after.
    void require_approval(std::string_view operation, std::string_view reason,
                          const rapidjson::Value* details = nullptr) const {
        if (api()->struct_size < offsetof(agenthost_host_api, callback_run_request_approval) + sizeof(void*))
            throw Error(AGENTHOST_ERROR_FAILED, "this host cannot ask for approvals (ABI older than 1.1)");
        rapidjson::Document request(rapidjson::kObjectType);
        request.AddMember("operation", json::string(operation, request), request.GetAllocator());
        request.AddMember("reason", json::string(reason, request), request.GetAllocator());
        if (details != nullptr)
            request.AddMember("details", rapidjson::Value(*details, request.GetAllocator()), request.GetAllocator());
        std::string text = json::serialize(request);
        agenthost_status status = api()->callback_run_request_approval(handle_, to_abi(text));
        if (status == AGENTHOST_OK) return;
        std::string why(from_abi(api()->callback_run_last_error(handle_)));
        if (status == AGENTHOST_ERROR_APPROVAL_REQUIRED) throw ApprovalRequired(why);
        throw Error(status, why);
    }
#else
    template <typename... Args>
    void require_approval(Args&&...) const {
        static_assert(detail::needs_newer_abi<Args...>::value,
                      "Run::require_approval needs ABI 1.1, but this plugin targets 1.0 (its manifest's abi_version)");
    }
#endif

    // Outbound HTTP through the host (needs the "http" permission):
    // {"method","url","headers","body"} -> {"status","headers","body"}.
    std::string http_request(std::string_view request_json) const {
        agenthost_str response{nullptr, 0};
        check(api()->callback_run_http_request(handle_, to_abi(request_json), &response));
        return std::string(from_abi(response));
    }

    // The run's private working directory (absolute path), for agents with
    // the "exec" permission on a 1.2 host; empty otherwise. Emptied for each
    // execution of the run and removed when it ends.
    std::string_view workspace() const noexcept { return member_string("workspace"); }

#if AGENTHOST_TARGET_ABI_MINOR >= 2
    // Runs a program in the run's workspace, sandboxed by the host, and
    // waits for it (needs the "exec" permission; abi.h, callback_run_exec).
    // A non-zero exit is a result, not an exception: check succeeded().
    // Throws Error when the host refuses (binary not allowed, no sandbox
    // here, network not allowed) and Cancelled when the run was cancelled
    // while it ran.
    ExecResult exec(const ExecOptions& options) const {
        if (api()->struct_size < offsetof(agenthost_host_api, callback_run_exec) + sizeof(void*) ||
            api()->callback_run_exec == nullptr)
            throw Error(AGENTHOST_ERROR_UNAVAILABLE, "this host has no exec service (ABI older than 1.2)");
        std::string text = exec_request_json(options);
        agenthost_str response{nullptr, 0};
        agenthost_status status = api()->callback_run_exec(handle_, to_abi(text), &response);
        if (status == AGENTHOST_ERROR_CANCELLED) throw Cancelled();
        check(status);
        rapidjson::Document answer = json::parse(from_abi(response));
        ExecResult result;
        auto integer = [&answer](const char* name) -> long long {
            auto found = answer.FindMember(name);
            return found != answer.MemberEnd() && found->value.IsInt64() ? found->value.GetInt64() : 0;
        };
        auto flag = [&answer](const char* name) {
            auto found = answer.FindMember(name);
            return found != answer.MemberEnd() && found->value.IsBool() && found->value.GetBool();
        };
        auto text_of = [&answer](const char* name) {
            auto found = answer.FindMember(name);
            return found != answer.MemberEnd() && found->value.IsString()
                       ? std::string(found->value.GetString(), found->value.GetStringLength())
                       : std::string();
        };
        result.exit_code = static_cast<int>(integer("exit_code"));
        result.signal = static_cast<int>(integer("signal"));
        result.timed_out = flag("timed_out");
        result.truncated = flag("truncated");
        result.stdout_text = text_of("stdout");
        result.stderr_text = text_of("stderr");
        result.duration_ms = integer("duration_ms");
        result.sandbox = text_of("sandbox");
        return result;
    }

    // Would exec(options) run? Asks the host without running anything
    // (abi.h, callback_run_exec_check): the allow-list, the binary on the
    // host's PATH, network and the sandbox. Throws Error with the host's
    // reason (PERMISSION_DENIED, UNAVAILABLE) when it would refuse. Call it
    // before require_approval, so no person approves a command this host can
    // never run. On a host from before the check it returns checked = false.
    ExecCheck check_exec(const ExecOptions& options) const {
        ExecCheck result;
        if (api()->struct_size < offsetof(agenthost_host_api, callback_run_exec_check) + sizeof(void*) ||
            api()->callback_run_exec_check == nullptr)
            return result;
        std::string text = exec_request_json(options);
        agenthost_str response{nullptr, 0};
        check(api()->callback_run_exec_check(handle_, to_abi(text), &response));
        rapidjson::Document answer = json::parse(from_abi(response));
        auto text_of = [&answer](const char* name) {
            auto found = answer.FindMember(name);
            return found != answer.MemberEnd() && found->value.IsString()
                       ? std::string(found->value.GetString(), found->value.GetStringLength())
                       : std::string();
        };
        result.checked = true;
        result.binary = text_of("binary");
        result.sandbox = text_of("sandbox");
        return result;
    }

    // The same question as check_exec, answered rather than thrown: the
    // host's refusal (its status, e.g. PERMISSION_DENIED, and its words,
    // which name the setting), or nullopt when it would run `options` or is
    // too old to say. Throws only Cancelled. For an agent that goes on
    // without the command (another option, a person) instead of failing.
    std::optional<Error> exec_refusal(const ExecOptions& options) const {
        if (api()->struct_size < offsetof(agenthost_host_api, callback_run_exec_check) + sizeof(void*) ||
            api()->callback_run_exec_check == nullptr)
            return std::nullopt;
        std::string text = exec_request_json(options);
        agenthost_status status = api()->callback_run_exec_check(handle_, to_abi(text), nullptr);
        if (status == AGENTHOST_OK) return std::nullopt;
        if (status == AGENTHOST_ERROR_CANCELLED) throw Cancelled();
        return Error(status, std::string(from_abi(api()->callback_run_last_error(handle_))));
    }

    // Asks a person and returns the answer as JSON text (abi.h,
    // callback_run_interrupt). `request_json` is {"question": ..., "schema"?:
    // {...}, "details"?: {...}}. The first time the run gets here this throws
    // Interrupted: let it escape invoke(); the run pauses without holding a
    // thread, and once someone resumes it the run is invoked again from the
    // start and this call returns their answer (already checked against the
    // schema). Several calls in one run answer in order, so ask the same
    // questions in the same order each time and do side effects after the
    // answers. Throws Error(UNAVAILABLE) on a host without interrupts.
    std::string interrupt(std::string_view request_json) const {
        if (api()->struct_size < offsetof(agenthost_host_api, callback_run_interrupt) + sizeof(void*) ||
            api()->callback_run_interrupt == nullptr)
            throw Error(AGENTHOST_ERROR_UNAVAILABLE, "interrupts are not supported by this host (it predates them)");
        agenthost_str answer{nullptr, 0};
        agenthost_status status = api()->callback_run_interrupt(handle_, to_abi(request_json), &answer);
        if (status == AGENTHOST_OK) return std::string(from_abi(answer));
        std::string why(from_abi(api()->callback_run_last_error(handle_)));
        if (status == AGENTHOST_ERROR_INTERRUPTED) throw Interrupted(why);
        throw Error(status, why);
    }
    // The same with a question and an optional schema for the answer.
    std::string interrupt(std::string_view question, const rapidjson::Value* answer_schema) const {
        rapidjson::Document request(rapidjson::kObjectType);
        request.AddMember("question", json::string(question, request), request.GetAllocator());
        if (answer_schema != nullptr)
            request.AddMember("schema", rapidjson::Value(*answer_schema, request.GetAllocator()), request.GetAllocator());
        return interrupt(json::serialize(request));
    }
    // The long-term store (needs the "store" permission): run.store().put(...).
    StoreClient store() const noexcept { return StoreClient(api(), handle_); }
#else
    template <typename... Args>
    ExecResult exec(Args&&...) const {
        static_assert(detail::needs_newer_abi<Args...>::value,
                      "Run::exec needs ABI 1.2, but this plugin targets an older minor (its manifest's abi_version)");
        return {};
    }
    template <typename... Args>
    std::optional<Error> exec_refusal(Args&&...) const {
        static_assert(detail::needs_newer_abi<Args...>::value,
                      "Run::exec_refusal needs ABI 1.2, but this plugin targets an older minor (its manifest's abi_version)");
        return {};
    }
    template <typename... Args>
    ExecCheck check_exec(Args&&...) const {
        static_assert(detail::needs_newer_abi<Args...>::value,
                      "Run::check_exec needs ABI 1.2, but this plugin targets an older minor (its manifest's abi_version)");
        return {};
    }
    template <typename... Args>
    std::string interrupt(Args&&...) const {
        static_assert(detail::needs_newer_abi<Args...>::value,
                      "Run::interrupt needs ABI 1.2, but this plugin targets an older minor (its manifest's abi_version)");
        return {};
    }
#endif

    agenthost_host_run_ptr handle() const noexcept { return handle_; }

  private:
    const agenthost_host_api* api() const noexcept { return host_.api(); }

#if AGENTHOST_TARGET_ABI_MINOR >= 2
    // callback_run_exec's request (and its check's) for `options`.
    static std::string exec_request_json(const ExecOptions& options) {
        rapidjson::Document request(rapidjson::kObjectType);
        auto& allocator = request.GetAllocator();
        rapidjson::Value argv(rapidjson::kArrayType);
        for (const auto& arg : options.argv) argv.PushBack(json::string(arg, allocator), allocator);
        request.AddMember("argv", argv, allocator);
        request.AddMember("cwd", json::string(options.cwd, allocator), allocator);
        rapidjson::Value env(rapidjson::kObjectType);
        for (const auto& [name, value] : options.env)
            env.AddMember(json::string(name, allocator), json::string(value, allocator), allocator);
        request.AddMember("env", env, allocator);
        request.AddMember("stdin", json::string(options.stdin_data, allocator), allocator);
        request.AddMember("timeout_seconds", options.timeout_seconds, allocator);
        request.AddMember("network", options.network, allocator);
        request.AddMember("max_output_bytes", static_cast<uint64_t>(options.max_output_bytes), allocator);
        return json::serialize(request);
    }
#endif

    const rapidjson::Value* member(const char* name) const noexcept {
        auto found = input_.FindMember(name);
        return found == input_.MemberEnd() || found->value.IsNull() ? nullptr : &found->value;
    }
    int member_int(const char* name, int fallback) const noexcept {
        const rapidjson::Value* value = member(name);
        return value != nullptr && value->IsInt() ? value->GetInt() : fallback;
    }

    static std::string llm_request_json(const LlmRequest& request) {
        rapidjson::Document document(rapidjson::kObjectType);
        auto& allocator = document.GetAllocator();
        rapidjson::Value messages(rapidjson::kArrayType);
        for (const auto& message : request.messages) {
            rapidjson::Value entry(rapidjson::kObjectType);
            entry.AddMember("role", json::string(message.role, allocator), allocator);
            entry.AddMember("content", json::string(message.content, allocator), allocator);
            messages.PushBack(entry, allocator);
        }
        document.AddMember("messages", messages, allocator);
        if (!request.model.empty()) document.AddMember("model", json::string(request.model, allocator), allocator);
        if (request.json_mode) document.AddMember("json_mode", true, allocator);
        if (request.max_tokens > 0) document.AddMember("max_tokens", request.max_tokens, allocator);
        if (request.temperature >= 0) document.AddMember("temperature", request.temperature, allocator);
        return json::serialize(document);
    }
    static LlmResponse llm_response_of(const std::string& text) {
        rapidjson::Document answer = json::parse(text);
        LlmResponse response;
        auto string_of = [](const rapidjson::Value& object, const char* name) {
            auto found = object.FindMember(name);
            return found != object.MemberEnd() && found->value.IsString()
                       ? std::string(found->value.GetString(), found->value.GetStringLength())
                       : std::string();
        };
        if (!answer.IsObject()) return response;
        response.content = string_of(answer, "content");
        response.provider = string_of(answer, "provider");
        response.model = string_of(answer, "model");
        response.finish_reason = string_of(answer, "finish_reason");
        auto usage = answer.FindMember("usage");
        if (usage != answer.MemberEnd() && usage->value.IsObject()) {
            auto tokens = [&usage](const char* name) {
                auto found = usage->value.FindMember(name);
                return found != usage->value.MemberEnd() && found->value.IsInt64() ? found->value.GetInt64() : 0;
            };
            response.input_tokens = tokens("input_tokens");
            response.output_tokens = tokens("output_tokens");
        }
        return response;
    }

    std::string_view member_string(const char* name) const noexcept {
        auto found = input_.FindMember(name);
        if (found == input_.MemberEnd() || !found->value.IsString()) return {};
        return {found->value.GetString(), found->value.GetStringLength()};
    }

    // Turns a failing host callback into an exception carrying the host's reason.
    void check(agenthost_status status) const {
        if (status == AGENTHOST_OK) return;
        throw Error(status, std::string(from_abi(api()->callback_run_last_error(handle_))));
    }

    const Host& host_;
    agenthost_host_run_ptr handle_;
    rapidjson::Document input_;
    std::vector<Artifact> artifacts_;
};

// Base class of every C++ agent. One instance serves many runs, possibly
// concurrently: keep invoke() free of unsynchronised shared state.
class Agent {
  public:
    explicit Agent(Host& host) : host_(host) {}
    virtual ~Agent() = default;
    Agent(const Agent&) = delete;
    Agent& operator=(const Agent&) = delete;

    // Returns the result object. Throw InvalidInput for bad input, Cancelled
    // when cancelled, anything else for failure.
    virtual rapidjson::Document invoke(Run& run) = 0;

  protected:
    Host& host() const noexcept { return host_; }

  private:
    Host& host_;
};

namespace detail {

// What the host holds as the plugin's agent pointer: the Host services and
// the author's agent, destroyed together.
struct Instance {
    std::unique_ptr<Host> host;
    std::unique_ptr<Agent> agent;
};

inline agenthost_status report_exception(const agenthost_host_api* api, agenthost_host_run_ptr run) noexcept {
    try {
        throw;
    } catch (const Error& error) {
        api->callback_run_set_error(run, to_abi(error.what()));
        return error.status() == AGENTHOST_OK ? AGENTHOST_ERROR_FAILED : error.status();
    } catch (const std::exception& error) {
        std::string message = std::string("unhandled exception in agent: ") + error.what();
        api->callback_run_set_error(run, to_abi(message));
    } catch (...) {
        api->callback_run_set_error(run, to_abi("unhandled non-standard exception in agent"));
    }
    return AGENTHOST_ERROR_FAILED;
}

template <typename AgentType>
agenthost_status create(const agenthost_host_api* api, agenthost_host_agent_ptr handle, agenthost_str config_json,
                        agenthost_module_agent_ptr* out) noexcept {
    try {
        auto instance = std::make_unique<Instance>();
        instance->host = std::make_unique<Host>(api, handle, config_json);
        instance->agent = std::make_unique<AgentType>(*instance->host);
        *out = instance.release();
        return AGENTHOST_OK;
    } catch (const std::exception& error) {
        api->callback_agent_set_error(handle, to_abi(error.what()));
    } catch (...) {
        api->callback_agent_set_error(handle, to_abi("unhandled non-standard exception while creating agent"));
    }
    return AGENTHOST_ERROR_FAILED;
}

inline void destroy(agenthost_module_agent_ptr agent) noexcept { delete static_cast<Instance*>(agent); }

inline agenthost_status invoke(agenthost_module_agent_ptr agent, agenthost_host_run_ptr run,
                               agenthost_str input_json) noexcept {
    auto* instance = static_cast<Instance*>(agent);
    const agenthost_host_api* api = instance->host->api();
    try {
        Run context(*instance->host, run, input_json);
        rapidjson::Document result = instance->agent->invoke(context);
        if (!result.IsObject()) throw Error(AGENTHOST_ERROR_FAILED, "agent returned a result that is not a JSON object");
        if (!context.artifacts().empty()) {
            auto& allocator = result.GetAllocator();
            if (!result.HasMember("artifacts") || !result["artifacts"].IsArray()) {
                result.RemoveMember("artifacts");
                result.AddMember("artifacts", rapidjson::Value(rapidjson::kArrayType), allocator);
            }
            for (const auto& artifact : context.artifacts()) {
                rapidjson::Value entry(rapidjson::kObjectType);
                entry.AddMember("path", json::string(artifact.path, allocator), allocator);
                entry.AddMember("content", json::string(artifact.content, allocator), allocator);
                entry.AddMember("media_type", json::string(artifact.media_type, allocator), allocator);
                result["artifacts"].PushBack(entry, allocator);
            }
        }
        std::string text = json::serialize(result);
        agenthost_status status = api->callback_run_set_result(run, to_abi(text));
        if (status != AGENTHOST_OK) {
            api->callback_run_set_error(run, api->callback_run_last_error(run));
            return status;
        }
        return AGENTHOST_OK;
    } catch (...) {
        return report_exception(api, run);
    }
}

}  // namespace detail
}  // namespace agenthost

// Declares the plugin's one exported entry point for AgentType, whose
// constructor takes (agenthost::Host&), for ABI MAJOR.MINOR: hosts of that
// minor or newer load it. NAME, VERSION and the ABI must match the manifest
// (agenthost_add_plugin checks at build time). MINOR may not be older than
// AGENTHOST_TARGET_ABI_MINOR, the minor the code was compiled against, so
// the compiler has checked that no newer helper is used.
#define AGENTHOST_AGENT_FOR_ABI(AgentType, NAME, VERSION, MAJOR, MINOR)                                             \
    static_assert((MAJOR) == AGENTHOST_ABI_VERSION_MAJOR, "this SDK builds plugins for ABI major 1 only");        \
    static_assert((MINOR) <= AGENTHOST_ABI_VERSION_MINOR, "the ABI minor is newer than this SDK's");               \
    static_assert((MINOR) >= AGENTHOST_TARGET_ABI_MINOR,                                                           \
                  "declaring an older ABI minor than the code was compiled for: set the manifest's abi_version "   \
                  "(or define AGENTHOST_TARGET_ABI_MINOR before including agent.hpp) to that minor");               \
    extern "C" AGENTHOST_EXPORT const agenthost_agent_descriptor* AGENTHOST_ENTRY_POINT(                           \
        const agenthost_host_api* host, uint32_t host_abi_version) noexcept {                                       \
        static const char agent_name[] = NAME;                                                                      \
        static const char agent_version[] = VERSION;                                                                \
        static const agenthost_agent_descriptor descriptor = {                                                      \
            sizeof(agenthost_agent_descriptor),                                                                     \
            AGENTHOST_MAKE_VERSION(MAJOR, MINOR),                                                                   \
            {agent_name, sizeof(agent_name) - 1},                                                                   \
            {agent_version, sizeof(agent_version) - 1},                                                             \
            &::agenthost::detail::create<AgentType>,                                                                \
            &::agenthost::detail::destroy,                                                                          \
            &::agenthost::detail::invoke,                                                                           \
        };                                                                                                          \
        /* The host compares versions and refuses with a message naming both. */                                  \
        (void)host;                                                                                                 \
        (void)host_abi_version;                                                                                     \
        return &descriptor;                                                                                         \
    }

// The same for the minor the code was compiled against
// (AGENTHOST_TARGET_ABI_MINOR: the manifest's, under agenthost_add_plugin).
#define AGENTHOST_AGENT(AgentType, NAME, VERSION) \
    AGENTHOST_AGENT_FOR_ABI(AgentType, NAME, VERSION, AGENTHOST_ABI_VERSION_MAJOR, AGENTHOST_TARGET_ABI_MINOR)

#endif  // AGENTHOST_AGENT_HPP
