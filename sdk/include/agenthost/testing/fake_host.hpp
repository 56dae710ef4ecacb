// agenthost test harness: a fake host for a plugin's unit tests.
//
// Loads a built plugin library with dlopen and drives it through the C ABI
// the way the real host does (entry point, on_agent_create,
// on_agent_invoke, on_agent_destroy), so a test catches what only the
// boundary shows: a wrong name, an exception escaping, a result never set, a
// callback used after on_invoke returned. Every host service is there and
// scripted by the test: the agent's config, run memory (shared by the runs
// of one FakeHost, like a thread's), LLM answers, HTTP answers, exec
// results, the long-term store, approvals, interrupt answers and cancellation. Each invoke() returns a RunRecord of
// what the plugin did: status, result, error, events, and every request it
// made.
//
// Header-only, no test framework required: use it from Catch2, GoogleTest
// or a plain main(). Link the library that loads plugins (${CMAKE_DL_LIBS}).
//
//   agenthost::testing::FakeHost host("build/plugins/shout/libshout.so");
//   host.set_permissions({"events"});            // the manifest's
//   REQUIRE(host.create_agent("{}") == AGENTHOST_OK);
//   auto run = host.invoke(agenthost::testing::run_input("hello"));
//   CHECK(run.status == AGENTHOST_OK);
//   CHECK(run.result_json == R"({"text":"HELLO"})");
//   CHECK(host.violations().empty());
#ifndef AGENTHOST_TESTING_FAKE_HOST_HPP
#define AGENTHOST_TESTING_FAKE_HOST_HPP

#include <agenthost/abi.h>
#include <dlfcn.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cctype>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace agenthost::testing {

struct RecordedEvent {
    std::string type;
    std::string data_json;
};

// One call of the LLM service: the request and whether it was streamed.
struct LlmCall {
    std::string request_json;
    bool stream = false;
};

// What one on_agent_invoke call did.
struct RunRecord {
    agenthost_status status = AGENTHOST_OK;
    bool has_result = false;
    std::string result_json;
    std::string error;  // what the plugin passed to callback_run_set_error
    std::vector<RecordedEvent> events;
    // What callback_run_is_cancelled answers, and how often it was asked.
    // (A plugin may ask from a thread of its own, such as a CancelWatch's;
    // the harness expects one asking thread at a time.)
    bool cancelled = false;
    int cancellation_checks = 0;
    int cancel_after_checks = 0;  // > 0: cancelled from that check on
    std::string last_error;
    // Requests the plugin made, as JSON, in order.
    std::vector<std::string> approval_requests;
    std::vector<std::string> interrupt_requests;
    std::vector<std::string> exec_requests;
    std::vector<std::string> exec_check_requests;
    std::vector<std::string> http_requests;
    std::vector<std::string> store_requests;
    std::vector<LlmCall> llm_calls;
    // Answers handed to the plugin, alive until the run is over as the ABI
    // promises (exec answers kept apart for older tests).
    std::deque<std::string> exec_responses;
    std::deque<std::string> kept;

    // The events of one type, in order.
    std::vector<RecordedEvent> events_of(std::string_view type) const {
        std::vector<RecordedEvent> found;
        for (const auto& event : events)
            if (event.type == type) found.push_back(event);
        return found;
    }
};

// Escapes `text` as a JSON string literal (quotes included).
inline std::string json_quote(std::string_view text) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
    return std::string(buffer.GetString(), buffer.GetSize());
}

// The input the host passes to on_agent_invoke, as JSON text: run_id "r1",
// thread_id "t1", the task, the context (a JSON object) and attempt 1, plus
// any further members given as JSON text (e.g. R"("iteration":2)" or an
// "llm" object).
inline std::string run_input(std::string_view task, std::string_view context_json = "{}",
                             std::string_view more_members_json = "") {
    rapidjson::Document context;
    context.Parse(context_json.data(), context_json.size());
    if (context.HasParseError() || !context.IsObject()) throw std::invalid_argument("context must be a JSON object");
    std::string input = "{\"run_id\":\"r1\",\"thread_id\":\"t1\",\"task\":" + json_quote(task) +
                        ",\"context\":" + std::string(context_json) + ",\"attempt\":1";
    if (!more_members_json.empty()) input += "," + std::string(more_members_json);
    return input + "}";
}

// An LLM response object as the host returns it, for scripted answers.
inline std::string llm_response(std::string_view content, long long input_tokens = 10, long long output_tokens = 5) {
    return "{\"content\":" + json_quote(content) + ",\"usage\":{\"input_tokens\":" + std::to_string(input_tokens) +
           ",\"output_tokens\":" + std::to_string(output_tokens) +
           ",\"total_tokens\":" + std::to_string(input_tokens + output_tokens) +
           "},\"provider\":\"fake\",\"model\":\"fake\",\"finish_reason\":\"stop\"}";
}

// True while the library at `path` is mapped into the process. After the
// last dlclose a plugin must be gone: GNU unique symbols would pin it.
inline bool is_library_loaded(const std::string& path) {
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_NOLOAD);
    if (handle == nullptr) return false;
    dlclose(handle);
    return true;
}

class FakeHost {
  public:
    // Answers a service request: set `response_json` (or, for a failing
    // status, the reason) and return the status.
    using Handler = std::function<agenthost_status(const std::string& request_json, std::string& response_json)>;
    using ExecHandler = Handler;

    // Loads the library and calls its entry point; throws std::runtime_error
    // when either fails.
    explicit FakeHost(const std::string& library_path) {
        library_ = dlopen(library_path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (library_ == nullptr) throw std::runtime_error(std::string("dlopen failed: ") + dlerror());
        auto entry_point = reinterpret_cast<agenthost_plugin_init_fn>(dlsym(library_, AGENTHOST_ENTRY_POINT_NAME));
        if (entry_point == nullptr) throw_and_close("plugin does not export " AGENTHOST_ENTRY_POINT_NAME);
        api_ = make_api();
        descriptor_ = entry_point(&api_, AGENTHOST_ABI_VERSION);
        if (descriptor_ == nullptr) throw_and_close("plugin entry point returned no descriptor");
        if (AGENTHOST_VERSION_MAJOR(descriptor_->abi_version) != AGENTHOST_ABI_VERSION_MAJOR)
            throw_and_close("plugin was built for another major ABI version");
    }

    ~FakeHost() {
        if (agent_ != nullptr) descriptor_->on_agent_destroy(agent_);
        dlclose(library_);
        if (last_invoking_host() == this) last_invoking_host() = nullptr;
    }

    FakeHost(const FakeHost&) = delete;
    FakeHost& operator=(const FakeHost&) = delete;

    const agenthost_agent_descriptor& descriptor() const { return *descriptor_; }

    // Creates the agent with a config object (the real host passes the
    // manifest's default_config merged with the operator's). On failure the
    // plugin's reason is in create_error(). A plugin must make an instance:
    // OK with a NULL one is recorded as a violation.
    agenthost_status create_agent(std::string config_json) {
        config_json_ = std::move(config_json);
        agenthost_status status = descriptor_->on_agent_create(&api_, agent_handle(), to_str(config_json_), &agent_);
        if (status == AGENTHOST_OK && agent_ == nullptr) violations_.push_back("on_agent_create returned OK without an instance");
        return status;
    }
    const std::string& create_error() const { return create_error_; }

    // Runs one task; `cancelled` is what the host says when the plugin asks.
    RunRecord invoke(const std::string& input_json, bool cancelled = false) {
        return invoke_cancelled_after(input_json, cancelled ? 1 : 0);
    }
    // Runs one task that is cancelled while it runs: is_cancelled answers
    // false until the plugin's `checks`-th question, true from then on (0:
    // never cancelled).
    RunRecord invoke_cancelled_after(const std::string& input_json, int checks) {
        if (agent_ == nullptr) throw std::logic_error("invoke() before a successful create_agent()");
        RunRecord record;
        record.cancel_after_checks = checks;
        last_invoking_host() = this;
        active_run_ = &record;
        record.status = descriptor_->on_agent_invoke(agent_, run_handle(record), to_str(input_json));
        active_run_ = nullptr;
        if (record.status == AGENTHOST_OK && !record.has_result)
            violations_.push_back("on_agent_invoke returned OK without setting a result");
        return record;
    }

    // ---- Scripting the host ------------------------------------------------

    // The manifest's permissions: a service not listed answers
    // PERMISSION_DENIED, as in the real host. Until this is called every
    // service is permitted.
    void set_permissions(std::set<std::string> permissions) { permissions_ = std::move(permissions); }
    // Operations a person approved: request_approval answers OK for them.
    void approve(const std::string& operation) { approved_operations_.insert(operation); }
    // Answers to callback_run_interrupt (JSON text), in order: like the real
    // host, the n-th interrupt call of an invoke answers the n-th answer, and
    // a call past the last answer is INTERRUPTED (the real run would pause,
    // then be invoked again with one more answer). Kept across invokes.
    void resume_with(std::string answer_json) { interrupt_answers_.push_back(std::move(answer_json)); }
    // Makes the table look like a 1.2 host from before interrupts: the
    // wrapper's run.interrupt() then says "not supported".
    void emulate_without_interrupt() {
        api_.struct_size = static_cast<uint32_t>(offsetof(agenthost_host_api, callback_run_interrupt));
        api_.callback_run_interrupt = nullptr;
        api_.callback_run_store = nullptr;       // appended after interrupts
        api_.callback_run_exec_check = nullptr;  // appended after the store
    }
    // The shared run memory (key -> JSON text), kept across invokes.
    std::map<std::string, std::string>& memory() { return memory_; }
    // LLM answers, used in order by llm_complete and llm_stream (response
    // objects; see llm_response()). With none left the call is UNAVAILABLE.
    void script_llm(std::string response_json) { llm_answers_.push_back(std::move(response_json)); }
    void set_llm_handler(Handler handler) { llm_handler_ = std::move(handler); }
    // What callback_run_http_request and callback_run_exec do. Without a
    // handler they answer UNAVAILABLE.
    void set_http_handler(Handler handler) { http_handler_ = std::move(handler); }
    void set_exec_handler(ExecHandler handler) { exec_handler_ = std::move(handler); }
    // What callback_run_exec_check answers (the host's allow-list and
    // sandbox, decided without running). Without a handler every request is
    // allowed: {"allowed": true, "binary": "/usr/bin/<argv[0]>", "sandbox":
    // "fake"}. A test of an agent on a host that cannot run its command
    // answers PERMISSION_DENIED or UNAVAILABLE with the reason.
    void set_exec_check_handler(Handler handler) { exec_check_handler_ = std::move(handler); }
    // Makes the service table look like an older host's (minor 0 or 1): the
    // table ends before the first callback of the next minor.
    void emulate_abi(uint32_t minor) {
        if (minor >= AGENTHOST_ABI_VERSION_MINOR) return;
        size_t end = minor == 0 ? offsetof(agenthost_host_api, callback_run_request_approval)
                                : offsetof(agenthost_host_api, callback_run_exec);
        api_.struct_size = static_cast<uint32_t>(end);
        api_.abi_version = AGENTHOST_MAKE_VERSION(1, minor);
        if (minor < 2) api_.callback_run_exec = nullptr;
        if (minor < 2) api_.callback_run_interrupt = nullptr;
        if (minor < 2) api_.callback_run_store = nullptr;
        if (minor < 2) api_.callback_run_exec_check = nullptr;
        if (minor < 1) api_.callback_run_request_approval = nullptr;
    }
    void emulate_abi_1_1() { emulate_abi(1); }
    // A 1.2 host built before the store call: the table ends before it.
    void emulate_host_without_store() {
        api_.struct_size = static_cast<uint32_t>(offsetof(agenthost_host_api, callback_run_store));
        api_.callback_run_store = nullptr;
        api_.callback_run_exec_check = nullptr;  // appended after the store
    }
    // A 1.2 host built before the exec check: the table ends before it.
    void emulate_host_without_exec_check() {
        api_.struct_size = static_cast<uint32_t>(offsetof(agenthost_host_api, callback_run_exec_check));
        api_.callback_run_exec_check = nullptr;
    }
    // The long-term store: (namespace joined with '.', key) -> value JSON,
    // kept across invokes (as the real one is across runs and threads).
    std::map<std::pair<std::string, std::string>, std::string>& store_items() { return store_items_; }

    // ---- What the plugin did -------------------------------------------

    // Log lines as "<level>: <message>", level as in AGENTHOST_LOG_*.
    const std::vector<std::string>& logs() const { return logs_; }
    // ABI rules the plugin broke (a run callback on a run not in progress,
    // an event type the host refuses, OK without a result). Tests expect none.
    const std::vector<std::string>& violations() const { return violations_; }

  private:
    static agenthost_str to_str(const std::string& text) { return {text.data(), text.size()}; }
    static std::string to_string(agenthost_str text) { return text.ptr ? std::string(text.ptr, text.len) : ""; }

    agenthost_host_agent_ptr agent_handle() { return reinterpret_cast<agenthost_host_agent_ptr>(this); }
    static FakeHost& host_of(agenthost_host_agent_ptr agent) { return *reinterpret_cast<FakeHost*>(agent); }

    // A run handle is the address of its record on invoke()'s stack.
    static agenthost_host_run_ptr run_handle(RunRecord& record) {
        return reinterpret_cast<agenthost_host_run_ptr>(&record);
    }

    // The host that ran the latest invocation. Run callbacks find their host
    // through it rather than through the run handle, which a misbehaving
    // plugin might use after on_invoke returned, when it dangles.
    static FakeHost*& last_invoking_host() {
        static FakeHost* host = nullptr;
        return host;
    }

    static RunRecord& checked_run(agenthost_host_run_ptr run, const char* callback) noexcept {
        FakeHost* host = last_invoking_host();
        const bool in_progress =
            host != nullptr && host->active_run_ != nullptr && run == run_handle(*host->active_run_);
        if (in_progress) return *host->active_run_;
        if (host != nullptr) host->violations_.push_back(std::string(callback) + " on a run not in progress");
        // Keep going so the test reports the violation instead of crashing.
        static RunRecord stray;
        return stray;
    }

    // The permission check of the real host, with its message.
    static bool permitted(RunRecord& record, const char* permission, const char* service) {
        FakeHost* host = last_invoking_host();
        if (host == nullptr || !host->permissions_ || host->permissions_->count(permission) > 0) return true;
        record.last_error = std::string("used ") + service + " without the '" + permission + "' permission in its manifest";
        return false;
    }

    static agenthost_status misused(RunRecord& record, const char* callback, const std::string& reason) {
        record.last_error = std::string("callback ") + callback + " refused a bad argument: " + reason;
        if (FakeHost* host = last_invoking_host()) host->violations_.push_back(record.last_error);
        return AGENTHOST_ERROR_BAD_ARGUMENT;
    }

    static bool is_json(const std::string& text, bool object_only) {
        rapidjson::Document document;
        document.Parse(text.data(), text.size());
        return !document.HasParseError() && (!object_only || document.IsObject());
    }

    // The host's rule for plugin event types (abi.h, callback_run_emit_event).
    static bool is_plugin_event_type(const std::string& type) {
        if (type.empty() || type.size() > 64 || type.rfind("run.", 0) == 0 || type.rfind("llm.", 0) == 0 ||
            type.rfind("exec.", 0) == 0 || type.rfind("memory.", 0) == 0)
            return false;
        for (char c : type)
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.')) return false;
        return type.front() >= 'a' && type.front() <= 'z';
    }

    agenthost_host_api make_api() {
        agenthost_host_api api{};
        api.struct_size = sizeof(agenthost_host_api);
        api.abi_version = AGENTHOST_ABI_VERSION;
        api.callback_log = &log;
        api.callback_agent_config = &agent_config;
        api.callback_agent_set_error = &agent_set_error;
        api.callback_run_emit_event = &emit_event;
        api.callback_run_is_cancelled = &is_cancelled;
        api.callback_run_memory_get = &memory_get;
        api.callback_run_memory_put = &memory_put;
        api.callback_run_set_result = &set_result;
        api.callback_run_set_error = &set_error;
        api.callback_run_last_error = &last_error;
        api.callback_run_llm_complete = &llm_complete;
        api.callback_run_llm_stream = &llm_stream;
        api.callback_run_http_request = &http_request;
        api.callback_run_request_approval = &request_approval;
        api.callback_run_exec = &exec;
        api.callback_run_interrupt = &interrupt;
        api.callback_run_store = &store;
        api.callback_run_exec_check = &exec_check;
        return api;
    }

    [[noreturn]] void throw_and_close(const char* message) {
        dlclose(library_);
        throw std::runtime_error(message);
    }

    // ---- The service table ---------------------------------------------

    static void log(agenthost_host_agent_ptr agent, agenthost_log_level level, agenthost_str message) noexcept {
        host_of(agent).logs_.push_back(std::to_string(level) + ": " + to_string(message));
    }
    static agenthost_str agent_config(agenthost_host_agent_ptr agent) noexcept {
        return to_str(host_of(agent).config_json_);
    }
    static void agent_set_error(agenthost_host_agent_ptr agent, agenthost_str message) noexcept {
        host_of(agent).create_error_ = to_string(message);
    }
    static agenthost_status emit_event(agenthost_host_run_ptr run, agenthost_str type, agenthost_str data) noexcept {
        RunRecord& record = checked_run(run, "emit_event");
        if (!permitted(record, "events", "emit_event")) return AGENTHOST_ERROR_PERMISSION_DENIED;
        std::string type_text = to_string(type), data_text = to_string(data);
        if (!is_plugin_event_type(type_text))
            return misused(record, "emit_event", "event type '" + type_text + "' is not allowed: use lower-case [a-z0-9_.], not 'run.*'");
        if (!is_json(data_text, true)) return misused(record, "emit_event", "event data must be a JSON object");
        record.events.push_back({type_text, data_text});
        return AGENTHOST_OK;
    }
    static int32_t is_cancelled(agenthost_host_run_ptr run) noexcept {
        RunRecord& record = checked_run(run, "is_cancelled");
        int checks = ++record.cancellation_checks;
        if (record.cancel_after_checks > 0 && checks >= record.cancel_after_checks) record.cancelled = true;
        return record.cancelled ? 1 : 0;
    }
    static agenthost_status set_result(agenthost_host_run_ptr run, agenthost_str result) noexcept {
        RunRecord& record = checked_run(run, "set_result");
        std::string text = to_string(result);
        if (!is_json(text, true)) return misused(record, "set_result", "a run result must be a JSON object");
        record.has_result = true;
        record.result_json = std::move(text);
        return AGENTHOST_OK;
    }
    static void set_error(agenthost_host_run_ptr run, agenthost_str message) noexcept {
        checked_run(run, "set_error").error = to_string(message);
    }
    static agenthost_str last_error(agenthost_host_run_ptr run) noexcept {
        return to_str(checked_run(run, "last_error").last_error);
    }
    static agenthost_status memory_get(agenthost_host_run_ptr run, agenthost_str key, agenthost_str* out) noexcept {
        RunRecord& record = checked_run(run, "memory_get");
        if (!permitted(record, "memory", "memory_get")) return AGENTHOST_ERROR_PERMISSION_DENIED;
        FakeHost* host = last_invoking_host();
        auto found = host->memory_.find(to_string(key));
        if (found == host->memory_.end()) {
            record.last_error = "no run memory entry named '" + to_string(key) + "'";
            return AGENTHOST_ERROR_NOT_FOUND;
        }
        *out = to_str(record.kept.emplace_back(found->second));
        return AGENTHOST_OK;
    }
    static agenthost_status memory_put(agenthost_host_run_ptr run, agenthost_str key, agenthost_str value) noexcept {
        RunRecord& record = checked_run(run, "memory_put");
        if (!permitted(record, "memory", "memory_put")) return AGENTHOST_ERROR_PERMISSION_DENIED;
        std::string key_text = to_string(key), value_text = to_string(value);
        if (key_text.empty() || key_text.size() > 256) return misused(record, "memory_put", "run memory keys must be 1 to 256 bytes");
        if (!is_json(value_text, false)) return misused(record, "memory_put", "run memory values must be JSON");
        last_invoking_host()->memory_[key_text] = value_text;
        return AGENTHOST_OK;
    }

    // A scripted service: the handler's answer, kept alive for the run.
    static agenthost_status answer(RunRecord& record, const Handler& handler, const std::string& request,
                                   const char* service, agenthost_str* out) {
        if (!handler) {
            record.last_error = std::string(service) + ": nothing scripted in the fake host";
            return AGENTHOST_ERROR_UNAVAILABLE;
        }
        std::string response;
        agenthost_status status;
        try {
            status = handler(request, response);
        } catch (...) {
            status = AGENTHOST_ERROR_FAILED;
            response = std::string("the fake host's ") + service + " handler threw";
        }
        if (status != AGENTHOST_OK) {
            record.last_error = response;
            return status;
        }
        if (out != nullptr) *out = to_str(record.kept.emplace_back(std::move(response)));
        return AGENTHOST_OK;
    }

    static agenthost_status call_llm(agenthost_host_run_ptr run, agenthost_str request, bool stream,
                                     agenthost_token_sink sink, void* sink_user_data, agenthost_str* out) {
        RunRecord& record = checked_run(run, stream ? "llm_stream" : "llm_complete");
        if (!permitted(record, "llm", stream ? "llm_stream" : "llm_complete")) return AGENTHOST_ERROR_PERMISSION_DENIED;
        std::string text = to_string(request);
        record.llm_calls.push_back({text, stream});
        FakeHost* host = last_invoking_host();
        Handler handler = host->llm_handler_;
        if (!handler && !host->llm_answers_.empty()) {
            std::string scripted = host->llm_answers_.front();
            host->llm_answers_.pop_front();
            handler = [scripted](const std::string&, std::string& response) {
                response = scripted;
                return AGENTHOST_OK;
            };
        }
        agenthost_status status = answer(record, handler, text, "llm", out);
        if (status == AGENTHOST_OK && stream && sink != nullptr) {
            // The whole content as one token: enough for a sink's logic.
            rapidjson::Document response;
            response.Parse(out->ptr, out->len);
            if (!response.HasParseError() && response.IsObject() && response.HasMember("content") &&
                response["content"].IsString())
                sink(sink_user_data, {response["content"].GetString(), response["content"].GetStringLength()});
        }
        return status;
    }
    static agenthost_status llm_complete(agenthost_host_run_ptr run, agenthost_str request, agenthost_str* out) noexcept {
        return call_llm(run, request, false, nullptr, nullptr, out);
    }
    static agenthost_status llm_stream(agenthost_host_run_ptr run, agenthost_str request, agenthost_token_sink sink,
                                       void* user_data, agenthost_str* out) noexcept {
        return call_llm(run, request, true, sink, user_data, out);
    }
    static agenthost_status http_request(agenthost_host_run_ptr run, agenthost_str request, agenthost_str* out) noexcept {
        RunRecord& record = checked_run(run, "http_request");
        if (!permitted(record, "http", "http_request")) return AGENTHOST_ERROR_PERMISSION_DENIED;
        record.http_requests.push_back(to_string(request));
        return answer(record, last_invoking_host()->http_handler_, record.http_requests.back(), "http", out);
    }
    // Like the real host: OK for an operation approve() named, otherwise
    // APPROVAL_REQUIRED (the real run would pause, then run again).
    static agenthost_status request_approval(agenthost_host_run_ptr run, agenthost_str request) noexcept {
        RunRecord& record = checked_run(run, "request_approval");
        std::string text = to_string(request);
        record.approval_requests.push_back(text);
        rapidjson::Document parsed;
        parsed.Parse(text.data(), text.size());
        if (parsed.HasParseError() || !parsed.IsObject() || !parsed.HasMember("operation") ||
            !parsed["operation"].IsString() || parsed["operation"].GetStringLength() == 0)
            return misused(record, "request_approval", "an approval request is a JSON object with a non-empty \"operation\"");
        FakeHost* host = last_invoking_host();
        if (host != nullptr && host->approved_operations_.count(parsed["operation"].GetString()) > 0) return AGENTHOST_OK;
        record.last_error = "approval required";
        return AGENTHOST_ERROR_APPROVAL_REQUIRED;
    }
    // The real host's rule (abi.h, callback_run_interrupt): the n-th call of
    // an invoke answers the n-th scripted answer, else INTERRUPTED.
    static agenthost_status interrupt(agenthost_host_run_ptr run, agenthost_str request, agenthost_str* out) noexcept {
        RunRecord& record = checked_run(run, "interrupt");
        std::string text = to_string(request);
        record.interrupt_requests.push_back(text);
        rapidjson::Document parsed;
        parsed.Parse(text.data(), text.size());
        if (parsed.HasParseError() || !parsed.IsObject() || !parsed.HasMember("question"))
            return misused(record, "interrupt", "an interrupt request is a JSON object with a \"question\"");
        if (parsed.HasMember("schema") && !parsed["schema"].IsObject() && !parsed["schema"].IsBool())
            return misused(record, "interrupt", "\"schema\" must be a JSON Schema (an object)");
        if (out == nullptr) return misused(record, "interrupt", "the output pointer is NULL");
        FakeHost* host = last_invoking_host();
        size_t index = record.interrupt_requests.size() - 1;
        if (host == nullptr || index >= host->interrupt_answers_.size()) {
            record.last_error = "the run waits for a person's answer";
            return AGENTHOST_ERROR_INTERRUPTED;
        }
        *out = to_str(record.kept.emplace_back(host->interrupt_answers_[index]));
        return AGENTHOST_OK;
    }
    static agenthost_status exec(agenthost_host_run_ptr run, agenthost_str request, agenthost_str* out) noexcept {
        RunRecord& record = checked_run(run, "exec");
        if (!permitted(record, "exec", "exec")) return AGENTHOST_ERROR_PERMISSION_DENIED;
        record.exec_requests.push_back(to_string(request));
        agenthost_str kept{nullptr, 0};
        agenthost_status status = answer(record, last_invoking_host()->exec_handler_, record.exec_requests.back(), "exec", &kept);
        if (status == AGENTHOST_OK) *out = to_str(record.exec_responses.emplace_back(to_string(kept)));
        return status;
    }

    static agenthost_status exec_check(agenthost_host_run_ptr run, agenthost_str request, agenthost_str* out) noexcept {
        RunRecord& record = checked_run(run, "exec_check");
        if (!permitted(record, "exec", "exec check")) return AGENTHOST_ERROR_PERMISSION_DENIED;
        record.exec_check_requests.push_back(to_string(request));
        Handler handler = last_invoking_host()->exec_check_handler_;
        if (!handler)
            handler = [](const std::string& request_json, std::string& response_json) {
                rapidjson::Document parsed;
                parsed.Parse(request_json.c_str());
                if (!parsed.IsObject() || !parsed.HasMember("argv") || !parsed["argv"].IsArray() ||
                    parsed["argv"].Empty() || !parsed["argv"][0].IsString()) {
                    response_json = "bad exec request: argv must be a non-empty array of strings";
                    return AGENTHOST_ERROR_BAD_ARGUMENT;
                }
                rapidjson::StringBuffer buffer;
                rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
                writer.StartObject();
                writer.Key("allowed");
                writer.Bool(true);
                writer.Key("binary");
                writer.String(("/usr/bin/" + std::string(parsed["argv"][0].GetString())).c_str());
                writer.Key("sandbox");
                writer.String("fake");
                writer.EndObject();
                response_json = buffer.GetString();
                return AGENTHOST_OK;
            };
        return answer(record, handler, record.exec_check_requests.back(), "exec check", out);
    }

    // The long-term store, in memory: the real host's request shapes and
    // refusals (abi.h, callback_run_store), without expiry or ranking
    // (a search with a query keeps the items holding any of its words).
    static agenthost_status store(agenthost_host_run_ptr run, agenthost_str request, agenthost_str* out) noexcept {
        RunRecord& record = checked_run(run, "store");
        if (!permitted(record, "store", "store")) return AGENTHOST_ERROR_PERMISSION_DENIED;
        try {
            std::string text = to_string(request);
            record.store_requests.push_back(text);
            rapidjson::Document parsed;
            parsed.Parse(text.data(), text.size());
            if (parsed.HasParseError() || !parsed.IsObject() || !parsed.HasMember("op") || !parsed["op"].IsString())
                return misused(record, "store", "a store request is a JSON object with an \"op\"");
            std::string op = parsed["op"].GetString();
            auto& items = last_invoking_host()->store_items_;
            auto labels_of = [](const rapidjson::Value* value, std::string& joined) {
                if (value == nullptr || !value->IsArray()) return false;
                joined.clear();
                for (const auto& label : value->GetArray()) {
                    if (!label.IsString() || label.GetStringLength() == 0 ||
                        std::string_view(label.GetString()).find('.') != std::string_view::npos)
                        return false;
                    if (!joined.empty()) joined += '.';
                    joined += label.GetString();
                }
                return true;
            };
            auto member = [&parsed](const char* name) -> const rapidjson::Value* {
                auto found = parsed.FindMember(name);
                return found == parsed.MemberEnd() ? nullptr : &found->value;
            };
            auto item_json = [](const std::string& joined, const std::string& key, const std::string& value) {
                std::string labels;
                size_t start = 0;
                for (;;) {
                    size_t dot = joined.find('.', start);
                    if (!labels.empty()) labels += ',';
                    labels += json_quote(joined.substr(start, dot == std::string::npos ? dot : dot - start));
                    if (dot == std::string::npos) break;
                    start = dot + 1;
                }
                return "{\"namespace\":[" + labels + "],\"key\":" + json_quote(key) + ",\"value\":" + value +
                       ",\"created_at\":\"1970-01-01T00:00:00.000Z\",\"updated_at\":\"1970-01-01T00:00:00.000Z\"}";
            };
            auto reply = [&](std::string body) {
                if (out != nullptr) *out = to_str(record.kept.emplace_back(std::move(body)));
                return AGENTHOST_OK;
            };
            if (op == "put" || op == "get" || op == "delete") {
                std::string joined;
                if (!labels_of(member("namespace"), joined) || joined.empty())
                    return misused(record, "store", "/namespace: must be an array of labels (non-empty, without '.')");
                const rapidjson::Value* key = member("key");
                if (key == nullptr || !key->IsString() || key->GetStringLength() == 0)
                    return misused(record, "store", "/key: must be a non-empty string");
                auto id = std::make_pair(joined, std::string(key->GetString(), key->GetStringLength()));
                if (op == "put") {
                    const rapidjson::Value* value = member("value");
                    if (value == nullptr || !value->IsObject()) return misused(record, "store", "/value: must be a JSON object");
                    rapidjson::StringBuffer buffer;
                    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
                    value->Accept(writer);
                    items[id] = std::string(buffer.GetString(), buffer.GetSize());
                    return reply("{}");
                }
                auto found = items.find(id);
                if (op == "delete") {
                    bool removed = found != items.end();
                    if (removed) items.erase(found);
                    return reply(removed ? "{\"deleted\":true}" : "{\"deleted\":false}");
                }
                if (found == items.end()) {
                    record.last_error = "no store item '" + id.second + "' in namespace '" + id.first + "'";
                    return AGENTHOST_ERROR_NOT_FOUND;
                }
                return reply(item_json(found->first.first, found->first.second, found->second));
            }
            if (op == "search" || op == "list_namespaces") {
                std::string prefix;
                const rapidjson::Value* given = member(op == "search" ? "namespace_prefix" : "prefix");
                if (given != nullptr && !given->IsNull() && !labels_of(given, prefix))
                    return misused(record, "store", "the prefix must be an array of labels (non-empty, without '.')");
                auto under = [&prefix](const std::string& joined) {
                    return prefix.empty() || joined == prefix || joined.rfind(prefix + ".", 0) == 0;
                };
                std::vector<std::string> words;
                const rapidjson::Value* query = member("query");
                if (query != nullptr && query->IsString()) {
                    std::string word;
                    for (const char* c = query->GetString(); ; ++c) {
                        if (*c != '\0' && std::isalnum(static_cast<unsigned char>(*c))) {
                            word += static_cast<char>(std::tolower(static_cast<unsigned char>(*c)));
                            continue;
                        }
                        if (!word.empty()) words.push_back(word);
                        word.clear();
                        if (*c == '\0') break;
                    }
                }
                std::string body = op == "search" ? "{\"items\":[" : "{\"namespaces\":[";
                std::set<std::string> listed;
                bool first = true;
                for (const auto& [id, value] : items) {
                    if (!under(id.first)) continue;
                    if (op == "search") {
                        std::string lowered = value;
                        for (char& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                        bool hit = words.empty();
                        for (const auto& word : words) hit = hit || lowered.find(word) != std::string::npos;
                        if (!hit) continue;
                        body += (first ? "" : ",") + item_json(id.first, id.second, value);
                    } else {
                        if (!listed.insert(id.first).second) continue;
                        std::string labels = item_json(id.first, "", "{}");
                        body += (first ? "" : ",") + labels.substr(13, labels.find(']') - 12);
                    }
                    first = false;
                }
                return reply(body + "]}");
            }
            return misused(record, "store", "/op: must be put, get, delete, search or list_namespaces");
        } catch (...) {
            record.last_error = "the fake host's store failed";
            return AGENTHOST_ERROR_FAILED;
        }
    }

    void* library_ = nullptr;
    agenthost_host_api api_{};
    const agenthost_agent_descriptor* descriptor_ = nullptr;
    agenthost_module_agent_ptr agent_ = nullptr;
    std::string config_json_;
    std::string create_error_;
    RunRecord* active_run_ = nullptr;
    std::vector<std::string> logs_;
    std::vector<std::string> violations_;
    std::set<std::string> approved_operations_;
    std::vector<std::string> interrupt_answers_;
    std::optional<std::set<std::string>> permissions_;
    std::map<std::string, std::string> memory_;
    std::map<std::pair<std::string, std::string>, std::string> store_items_;
    std::deque<std::string> llm_answers_;
    Handler llm_handler_, http_handler_, exec_handler_, exec_check_handler_;
};

}  // namespace agenthost::testing

#endif  // AGENTHOST_TESTING_FAKE_HOST_HPP
