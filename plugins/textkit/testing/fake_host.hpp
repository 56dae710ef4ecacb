// A fake agenthost host for plugin tests.
//
// Loads a built plugin library with dlopen and drives it through the C ABI
// the way the real host does (entry point, on_agent_create, on_agent_invoke,
// on_agent_destroy), recording everything the plugin reports back. Testing
// through the .so rather than the C++ classes is what catches mistakes in the
// SDK glue: a wrong name, an exception escaping, a result never set.
//
// Header-only so every plugin's tests can use it; link ${CMAKE_DL_LIBS}.
#ifndef TEXTKIT_TESTING_FAKE_HOST_HPP
#define TEXTKIT_TESTING_FAKE_HOST_HPP

#include <agenthost/abi.h>
#include <dlfcn.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstddef>
#include <deque>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace textkit::testing {

struct RecordedEvent {
    std::string type;
    std::string data_json;
};

// What one on_agent_invoke call did.
struct RunRecord {
    agenthost_status status = AGENTHOST_OK;
    bool has_result = false;
    std::string result_json;
    std::string error;
    std::vector<RecordedEvent> events;
    // What callback_run_is_cancelled answers, and how often it was asked.
    bool cancelled = false;
    int cancellation_checks = 0;
    std::string last_error;
    // Approval requests the plugin made (their JSON), approved or not.
    std::vector<std::string> approval_requests;
    // Exec requests the plugin made (their JSON), and the answers handed
    // back (kept here, alive until the run is over, as the ABI promises).
    std::vector<std::string> exec_requests;
    std::deque<std::string> exec_responses;
};

// The input the host passes to on_agent_invoke, as JSON text. The context
// is given as JSON text and must be an object.
inline std::string run_input(std::string_view task, std::string_view context_json = "{}") {
    rapidjson::Document input(rapidjson::kObjectType);
    auto& allocator = input.GetAllocator();
    rapidjson::Document context;
    context.Parse(context_json.data(), context_json.size());
    if (context.HasParseError() || !context.IsObject()) throw std::invalid_argument("context must be a JSON object");
    input.AddMember("run_id", "r1", allocator);
    input.AddMember("thread_id", "t1", allocator);
    input.AddMember("task", rapidjson::Value(task.data(), static_cast<rapidjson::SizeType>(task.size()), allocator),
                    allocator);
    input.AddMember("context", rapidjson::Value(context, allocator), allocator);
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    input.Accept(writer);
    return std::string(buffer.GetString(), buffer.GetSize());
}

// A context object holding `text`, plus any members given as JSON text
// (e.g. R"("max_sentences":2)").
inline std::string text_context(std::string_view text, std::string_view more_members_json = "") {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
    std::string context = std::string("{\"text\":") + buffer.GetString();
    if (!more_members_json.empty()) context += "," + std::string(more_members_json);
    return context + "}";
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
    // plugin's reason is in create_error().
    agenthost_status create_agent(std::string config_json) {
        config_json_ = std::move(config_json);
        return descriptor_->on_agent_create(&api_, agent_handle(), to_str(config_json_), &agent_);
    }
    const std::string& create_error() const { return create_error_; }

    // Runs one task; `cancelled` is what the host says when the plugin asks.
    RunRecord invoke(const std::string& input_json, bool cancelled = false) {
        if (agent_ == nullptr) throw std::logic_error("invoke() before a successful create_agent()");
        RunRecord record;
        record.cancelled = cancelled;
        last_invoking_host() = this;
        active_run_ = &record;
        record.status = descriptor_->on_agent_invoke(agent_, run_handle(record), to_str(input_json));
        active_run_ = nullptr;
        return record;
    }

    // Log lines as "<level>: <message>", level as in AGENTHOST_LOG_*.
    const std::vector<std::string>& logs() const { return logs_; }
    // Operations a person approved: request_approval answers OK for them.
    void approve(const std::string& operation) { approved_operations_.push_back(operation); }
    // What callback_run_exec does: given the request JSON, set the response
    // JSON (or, for a failing status, the reason) and return the status.
    // Without a handler every exec is refused as UNAVAILABLE.
    using ExecHandler = std::function<agenthost_status(const std::string& request_json, std::string& response_json)>;
    void set_exec_handler(ExecHandler handler) { exec_handler_ = std::move(handler); }
    // Makes the service table look like an ABI 1.1 host's (no exec), as a
    // plugin built against SDK 1.2 finds it in an older host.
    void emulate_abi_1_1() {
        api_.struct_size = static_cast<uint32_t>(offsetof(agenthost_host_api, callback_run_exec));
        api_.abi_version = AGENTHOST_MAKE_VERSION(1, 1);
        api_.callback_run_exec = nullptr;
    }
    // ABI rules the plugin broke, such as calling a run callback on a run
    // that is not in progress. Tests expect none.
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
        checked_run(run, "emit_event").events.push_back({to_string(type), to_string(data)});
        return AGENTHOST_OK;
    }
    static int32_t is_cancelled(agenthost_host_run_ptr run) noexcept {
        RunRecord& record = checked_run(run, "is_cancelled");
        ++record.cancellation_checks;
        return record.cancelled ? 1 : 0;
    }
    static agenthost_status set_result(agenthost_host_run_ptr run, agenthost_str result) noexcept {
        RunRecord& record = checked_run(run, "set_result");
        record.has_result = true;
        record.result_json = to_string(result);
        return AGENTHOST_OK;
    }
    static void set_error(agenthost_host_run_ptr run, agenthost_str message) noexcept {
        checked_run(run, "set_error").error = to_string(message);
    }
    static agenthost_str last_error(agenthost_host_run_ptr run) noexcept {
        return to_str(checked_run(run, "last_error").last_error);
    }

    // The text agents declare only "events"; the real host refuses the rest.
    static agenthost_status denied(agenthost_host_run_ptr run, const char* service) noexcept {
        checked_run(run, service).last_error = std::string(service) + ": permission not declared in the manifest";
        return AGENTHOST_ERROR_PERMISSION_DENIED;
    }
    static agenthost_status memory_get(agenthost_host_run_ptr run, agenthost_str, agenthost_str*) noexcept {
        return denied(run, "memory_get");
    }
    static agenthost_status memory_put(agenthost_host_run_ptr run, agenthost_str, agenthost_str) noexcept {
        return denied(run, "memory_put");
    }
    static agenthost_status llm_complete(agenthost_host_run_ptr run, agenthost_str, agenthost_str*) noexcept {
        return denied(run, "llm_complete");
    }
    static agenthost_status llm_stream(agenthost_host_run_ptr run, agenthost_str, agenthost_token_sink, void*,
                                       agenthost_str*) noexcept {
        return denied(run, "llm_stream");
    }
    static agenthost_status http_request(agenthost_host_run_ptr run, agenthost_str, agenthost_str*) noexcept {
        return denied(run, "http_request");
    }
    // Like the real host: OK for an operation approve() named, otherwise
    // APPROVAL_REQUIRED (the run would pause).
    static agenthost_status request_approval(agenthost_host_run_ptr run, agenthost_str request) noexcept {
        RunRecord& record = checked_run(run, "request_approval");
        std::string text = to_string(request);
        record.approval_requests.push_back(text);
        FakeHost* host = last_invoking_host();
        if (host != nullptr)
            for (const auto& operation : host->approved_operations_)
                if (text.find("\"operation\":\"" + operation + "\"") != std::string::npos) return AGENTHOST_OK;
        record.last_error = "approval required";
        return AGENTHOST_ERROR_APPROVAL_REQUIRED;
    }

    static agenthost_status exec(agenthost_host_run_ptr run, agenthost_str request, agenthost_str* out) noexcept {
        RunRecord& record = checked_run(run, "exec");
        record.exec_requests.push_back(to_string(request));
        FakeHost* host = last_invoking_host();
        if (host == nullptr || !host->exec_handler_) {
            record.last_error = "exec: no program may run in the fake host (FakeHost::set_exec_handler)";
            return AGENTHOST_ERROR_UNAVAILABLE;
        }
        std::string response;
        agenthost_status status;
        try {
            status = host->exec_handler_(record.exec_requests.back(), response);
        } catch (...) {
            status = AGENTHOST_ERROR_FAILED;
            response = "the fake host's exec handler threw";
        }
        if (status != AGENTHOST_OK) {
            record.last_error = response;
            return status;
        }
        *out = to_str(record.exec_responses.emplace_back(std::move(response)));
        return AGENTHOST_OK;
    }

    void* library_ = nullptr;
    ExecHandler exec_handler_;
    agenthost_host_api api_{};
    const agenthost_agent_descriptor* descriptor_ = nullptr;
    agenthost_module_agent_ptr agent_ = nullptr;
    std::string config_json_;
    std::string create_error_;
    RunRecord* active_run_ = nullptr;
    std::vector<std::string> logs_;
    std::vector<std::string> violations_;
    std::vector<std::string> approved_operations_;
};

}  // namespace textkit::testing

#endif  // TEXTKIT_TESTING_FAKE_HOST_HPP
