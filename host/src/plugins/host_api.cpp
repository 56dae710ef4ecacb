// The host service table (abi.h's agenthost_host_api): the only way plugin
// code reaches the host. Every callback is noexcept, checks the manifest's
// permissions, and reports failure as a status plus last_error.
#include "exec/exec_service.hpp"
#include "isolation/event_rules.hpp"
#include "json/json_util.hpp"
#include "json/schema_validator.hpp"
#include "llm/http_transport.hpp"
#include "llm/request_json.hpp"
#include "outbound/http_service.hpp"
#include "plugins/loaded_agent.hpp"
#include "plugins/plugin_library.hpp"
#include "util/log.hpp"

#include <atomic>
#include <chrono>
#include <string>

namespace agenthost::plugins {
namespace {

std::atomic<llm::LlmClient*> configured_llm{nullptr};

LoadedAgent& agent_of(agenthost_host_agent_ptr handle) { return *reinterpret_cast<LoadedAgent*>(handle); }
RunContext& run_of(agenthost_host_run_ptr handle) { return *reinterpret_cast<RunContext*>(handle); }
std::string text_of(agenthost_str text) { return text.ptr == nullptr ? std::string() : std::string(text.ptr, text.len); }
agenthost_str view_of(const std::string& text) { return {text.data(), text.size()}; }

agenthost_status fail(RunContext& run, agenthost_status status, std::string message) {
    std::lock_guard<std::mutex> lock(run.mutex);
    run.last_error = std::move(message);
    return status;
}

// The plugin passed a callback something it must not (its bug, not the
// HTTP caller's): BAD_ARGUMENT, or FAILED for a plugin older than 1.2 that
// does not know that status. The message names the callback, so the run's
// error says which call was wrong.
agenthost_status misused(RunContext& run, const char* callback, const std::string& reason) {
    bool knows_bad_argument = AGENTHOST_VERSION_MINOR(run.agent.reported_abi_version()) >= 2 ||
                              AGENTHOST_VERSION_MAJOR(run.agent.reported_abi_version()) > 1;
    return fail(run, knows_bad_argument ? AGENTHOST_ERROR_BAD_ARGUMENT : AGENTHOST_ERROR_FAILED,
                std::string("callback ") + callback + " refused a bad argument: " + reason);
}

// A declared permission, or PERMISSION_DENIED with a message that tells the
// plugin author exactly what to add to the manifest.
bool permitted(RunContext& run, const char* permission, const char* service, agenthost_status& status) {
    if (run.agent.manifest().has_permission(permission)) return true;
    status = fail(run, AGENTHOST_ERROR_PERMISSION_DENIED,
                  std::string("agent '") + run.agent.name() + "' used " + service + " without the '" + permission +
                      "' permission in its manifest");
    return false;
}

bool is_json_object(const std::string& text) { return json::kind_of(text) == json::TextKind::object; }

bool is_json(const std::string& text) { return json::kind_of(text) != json::TextKind::invalid; }

// Plugins may emit their own event types, but the run.* lifecycle belongs to
// the host: a plugin must not be able to claim a run finished.
using isolation::is_plugin_event_type;

void on_log(agenthost_host_agent_ptr handle, agenthost_log_level level, agenthost_str message) noexcept {
    try {
        log::Level mapped = level <= AGENTHOST_LOG_DEBUG  ? log::Level::debug
                            : level == AGENTHOST_LOG_INFO ? log::Level::info
                            : level == AGENTHOST_LOG_WARN ? log::Level::warn
                                                          : log::Level::error;
        log::write(mapped, text_of(message), {{"agent", agent_of(handle).name()}});
    } catch (...) {
    }
}

agenthost_str on_agent_config(agenthost_host_agent_ptr handle) noexcept {
    return view_of(agent_of(handle).config_json());
}

void on_agent_set_error(agenthost_host_agent_ptr handle, agenthost_str message) noexcept {
    try {
        agent_of(handle).set_create_error(text_of(message));
    } catch (...) {
    }
}

agenthost_status on_emit_event(agenthost_host_run_ptr handle, agenthost_str type, agenthost_str data) noexcept {
    RunContext& run = run_of(handle);
    try {
        agenthost_status status;
        if (!permitted(run, "events", "emit_event", status)) return status;
        std::string type_text = text_of(type), data_text = text_of(data);
        if (!is_plugin_event_type(type_text))
            return misused(run, "emit_event",
                           "event type '" + type_text + "' is not allowed: use lower-case [a-z0-9_.], not 'run.*'");
        if (!is_json_object(data_text)) return misused(run, "emit_event", "event data must be a JSON object");
        run.services.emit_event(type_text, data_text);
        return AGENTHOST_OK;
    } catch (const std::exception& e) {
        return fail(run, AGENTHOST_ERROR_FAILED, std::string("emit_event failed: ") + e.what());
    }
}

int32_t on_is_cancelled(agenthost_host_run_ptr handle) noexcept { return run_of(handle).cancelled.load() ? 1 : 0; }

agenthost_status on_memory_get(agenthost_host_run_ptr handle, agenthost_str key, agenthost_str* out) noexcept {
    RunContext& run = run_of(handle);
    try {
        agenthost_status status;
        if (!permitted(run, "memory", "memory_get", status)) return status;
        std::optional<std::string> value = run.services.memory_get(text_of(key));
        if (!value) return fail(run, AGENTHOST_ERROR_NOT_FOUND, "no run memory entry named '" + text_of(key) + "'");
        std::lock_guard<std::mutex> lock(run.mutex);
        *out = view_of(run.keep(std::move(*value)));
        return AGENTHOST_OK;
    } catch (const std::exception& e) {
        return fail(run, AGENTHOST_ERROR_FAILED, std::string("memory_get failed: ") + e.what());
    }
}

agenthost_status on_memory_put(agenthost_host_run_ptr handle, agenthost_str key, agenthost_str value) noexcept {
    RunContext& run = run_of(handle);
    try {
        agenthost_status status;
        if (!permitted(run, "memory", "memory_put", status)) return status;
        std::string key_text = text_of(key), value_text = text_of(value);
        if (key_text.empty() || key_text.size() > 256)
            return misused(run, "memory_put", "run memory keys must be 1 to 256 bytes");
        if (!is_json(value_text)) return misused(run, "memory_put", "run memory values must be JSON");
        run.services.memory_put(key_text, value_text);
        return AGENTHOST_OK;
    } catch (const std::exception& e) {
        return fail(run, AGENTHOST_ERROR_FAILED, std::string("memory_put failed: ") + e.what());
    }
}

agenthost_status on_set_result(agenthost_host_run_ptr handle, agenthost_str result) noexcept {
    RunContext& run = run_of(handle);
    try {
        std::string text = text_of(result);
        if (!is_json_object(text)) return misused(run, "set_result", "a run result must be a JSON object");
        std::lock_guard<std::mutex> lock(run.mutex);
        run.result_json = std::move(text);
        return AGENTHOST_OK;
    } catch (const std::exception& e) {
        return fail(run, AGENTHOST_ERROR_FAILED, std::string("set_result failed: ") + e.what());
    }
}

void on_set_error(agenthost_host_run_ptr handle, agenthost_str message) noexcept {
    RunContext& run = run_of(handle);
    try {
        std::lock_guard<std::mutex> lock(run.mutex);
        run.error_message = text_of(message);
    } catch (...) {
    }
}

agenthost_str on_last_error(agenthost_host_run_ptr handle) noexcept {
    RunContext& run = run_of(handle);
    std::lock_guard<std::mutex> lock(run.mutex);
    return view_of(run.last_error);
}

std::string usage_event(const llm::CompletionResponse& response, const RunContext& run) {
    rapidjson::Document data(rapidjson::kObjectType);
    auto& allocator = data.GetAllocator();
    data.AddMember("provider", json::string_value(response.provider, allocator), allocator);
    data.AddMember("model", json::string_value(response.model, allocator), allocator);
    data.AddMember("input_tokens", static_cast<int64_t>(response.usage.input_tokens), allocator);
    data.AddMember("output_tokens", static_cast<int64_t>(response.usage.output_tokens), allocator);
    data.AddMember("total_tokens", static_cast<int64_t>(response.usage.input_tokens + response.usage.output_tokens), allocator);
    rapidjson::Value totals(rapidjson::kObjectType);
    totals.AddMember("calls", static_cast<int64_t>(run.llm_calls), allocator);
    totals.AddMember("input_tokens", static_cast<int64_t>(run.llm_input_tokens), allocator);
    totals.AddMember("output_tokens", static_cast<int64_t>(run.llm_output_tokens), allocator);
    totals.AddMember("total_tokens", static_cast<int64_t>(run.llm_input_tokens + run.llm_output_tokens), allocator);
    data.AddMember("run", totals, allocator);
    return json::serialize(data);
}

std::string one_field_event(const char* name, const std::string& value) {
    rapidjson::Document data(rapidjson::kObjectType);
    data.AddMember(rapidjson::StringRef(name), json::string_value(value, data.GetAllocator()), data.GetAllocator());
    return json::serialize(data);
}

// {"token": text, "chunk": {"content": text}}: the host's field, and the
// shape LangChain's on_chat_model_stream clients (seed 001) read.
std::string token_event(const std::string& text) {
    rapidjson::Document data(rapidjson::kObjectType);
    auto& allocator = data.GetAllocator();
    data.AddMember("token", json::string_value(text, allocator), allocator);
    rapidjson::Value chunk(rapidjson::kObjectType);
    chunk.AddMember("content", json::string_value(text, allocator), allocator);
    data.AddMember("chunk", chunk, allocator);
    return json::serialize(data);
}

// llm.start: which model is asked, before any token (on_chat_model_start).
// The model is the one the call will use: the plugin's own choice, else
// the provider's for this agent (it said null whenever the plugin left the
// choice to the host, which is the usual case).
std::string start_event(const llm::CompletionRequest& request, bool stream, const llm::ProviderChoice& choice) {
    rapidjson::Document data(rapidjson::kObjectType);
    auto& allocator = data.GetAllocator();
    const std::string& model = request.model.empty() ? choice.model : request.model;
    if (model.empty()) data.AddMember("model", rapidjson::Value(), allocator);
    else data.AddMember("model", json::string_value(model, allocator), allocator);
    data.AddMember("provider", json::string_value(choice.provider, allocator), allocator);
    data.AddMember("stream", stream, allocator);
    data.AddMember("messages", static_cast<int64_t>(request.messages.size()), allocator);
    return json::serialize(data);
}

// Tokens become llm.token events, coalesced so a fast stream does not cost
// one durable event per token: a batch goes out at 64 bytes or 50 ms.
class TokenEvents {
  public:
    explicit TokenEvents(RunContext& run) : run_(run), last_flush_(std::chrono::steady_clock::now()) {}
    void add(std::string_view token) {
        pending_.append(token);
        auto now = std::chrono::steady_clock::now();
        if (pending_.size() >= 64 || now - last_flush_ >= std::chrono::milliseconds(50)) flush();
    }
    void flush() {
        last_flush_ = std::chrono::steady_clock::now();
        if (pending_.empty()) return;
        try {
            run_.services.emit_event("llm.token", token_event(pending_));
        } catch (...) {
            // Token events are a view of the stream, never a condition of it.
        }
        pending_.clear();
    }

  private:
    RunContext& run_;
    std::string pending_;
    std::chrono::steady_clock::time_point last_flush_;
};

// Both llm callbacks: permission, request, the call, then the run's usage
// (an llm.usage event) and the response kept until on_invoke returns.
agenthost_status call_llm(RunContext& run, const char* service, agenthost_str request_json, agenthost_token_sink sink,
                          void* sink_user_data, bool stream, agenthost_str* out) {
    agenthost_status status;
    if (!permitted(run, "llm", service, status)) return status;
    llm::LlmClient* client = configured_llm.load();
    if (client == nullptr) return fail(run, AGENTHOST_ERROR_UNAVAILABLE, "no LLM provider is available in this host");
    if (out == nullptr) return misused(run, service, "the output pointer is NULL");
    std::string error;
    auto request = llm::parse_completion_request(text_of(request_json), error);
    // The plugin built the request, so a bad one is its failure, not the
    // caller's (INVALID_INPUT would answer 422 to the client).
    if (!request) return misused(run, service, "bad LLM request: " + error);
    const std::string agent = run.agent.name();
    llm::CompletionResponse response;
    // Cancelling the run cuts the provider call short.
    llm::CancelScope cancel_with_run(&run.cancelled);
    try {
        run.services.emit_event("llm.start", start_event(*request, stream, client->choice(agent)));
    } catch (...) {
        // Events are a view of the call, never a condition of it.
    }
    try {
        if (stream) {
            TokenEvents events(run);
            llm::TokenSink forward = [&](std::string_view token) {
                if (sink != nullptr) sink(sink_user_data, {token.data(), token.size()});
                events.add(token);
            };
            try {
                response = client->complete(*request, agent, forward);
            } catch (...) {
                events.flush();
                throw;
            }
            events.flush();
        } else {
            response = client->complete(*request, agent);
        }
    } catch (const llm::LlmError& e) {
        if (log::enabled(log::Level::debug))
            log::debug("llm call failed", {{"agent", agent}, {"error", e.what()}});
        try {
            run.services.emit_event("llm.error", one_field_event("error", e.what()));
        } catch (...) {
        }
        // Cut short because the run was cancelled: the plugin should stop.
        return fail(run, run.cancelled.load() ? AGENTHOST_ERROR_CANCELLED : AGENTHOST_ERROR_UNAVAILABLE, e.what());
    }
    std::string usage;
    {
        std::lock_guard<std::mutex> lock(run.mutex);
        ++run.llm_calls;
        run.llm_input_tokens += response.usage.input_tokens;
        run.llm_output_tokens += response.usage.output_tokens;
        auto& by_model = run.llm_by_model[{response.provider, response.model}];
        ++by_model.calls;
        by_model.input_tokens += response.usage.input_tokens;
        by_model.output_tokens += response.usage.output_tokens;
        usage = usage_event(response, run);
    }
    if (log::enabled(log::Level::debug))
        log::debug("llm call", {{"agent", agent}, {"provider", response.provider}, {"model", response.model},
                                {"input_tokens", static_cast<long long>(response.usage.input_tokens)},
                                {"output_tokens", static_cast<long long>(response.usage.output_tokens)},
                                {"stream", stream ? "true" : "false"}});
    try {
        run.services.emit_event("llm.usage", usage);
    } catch (const std::exception& e) {
        log::warn("recording llm usage failed", {{"agent", agent}, {"error", e.what()}});
    }
    std::lock_guard<std::mutex> lock(run.mutex);
    *out = view_of(run.keep(llm::completion_response_json(response)));
    return AGENTHOST_OK;
}

agenthost_status on_llm_complete(agenthost_host_run_ptr handle, agenthost_str request,
                                 agenthost_str* out) noexcept {
    RunContext& run = run_of(handle);
    try {
        return call_llm(run, "llm_complete", request, nullptr, nullptr, false, out);
    } catch (const std::exception& e) {
        return fail(run, AGENTHOST_ERROR_FAILED, std::string("llm_complete failed: ") + e.what());
    } catch (...) {
        return AGENTHOST_ERROR_FAILED;
    }
}

agenthost_status on_llm_stream(agenthost_host_run_ptr handle, agenthost_str request, agenthost_token_sink sink,
                               void* sink_user_data, agenthost_str* out) noexcept {
    RunContext& run = run_of(handle);
    try {
        return call_llm(run, "llm_stream", request, sink, sink_user_data, true, out);
    } catch (const std::exception& e) {
        return fail(run, AGENTHOST_ERROR_FAILED, std::string("llm_stream failed: ") + e.what());
    } catch (...) {
        return AGENTHOST_ERROR_FAILED;
    }
}

agenthost_status http_status(outbound::HttpStatus status) {
    switch (status) {
        case outbound::HttpStatus::ok: return AGENTHOST_OK;
        case outbound::HttpStatus::denied: return AGENTHOST_ERROR_PERMISSION_DENIED;
        case outbound::HttpStatus::cancelled: return AGENTHOST_ERROR_CANCELLED;
        case outbound::HttpStatus::bad_request:  // answered by misused()
        case outbound::HttpStatus::unavailable: return AGENTHOST_ERROR_UNAVAILABLE;
    }
    return AGENTHOST_ERROR_FAILED;
}

agenthost_status on_http_request(agenthost_host_run_ptr handle, agenthost_str request, agenthost_str* out) noexcept {
    RunContext& run = run_of(handle);
    try {
        agenthost_status status;
        if (!permitted(run, "http", "http_request", status)) return status;
        if (out == nullptr) return misused(run, "http_request", "the output pointer is NULL");
        outbound::HttpCall call{run.agent.name(), &run.agent.http_settings(), &run.cancelled};
        outbound::HttpAnswer answer = outbound::run_http(call, text_of(request));
        if (answer.status == outbound::HttpStatus::bad_request) return misused(run, "http_request", answer.error);
        if (answer.status != outbound::HttpStatus::ok) return fail(run, http_status(answer.status), answer.error);
        std::lock_guard<std::mutex> lock(run.mutex);
        *out = view_of(run.keep(std::move(answer.response_json)));
        return AGENTHOST_OK;
    } catch (const std::exception& e) {
        return fail(run, AGENTHOST_ERROR_FAILED, std::string("http_request failed: ") + e.what());
    } catch (...) {
        return AGENTHOST_ERROR_FAILED;
    }
}

// Approved earlier in this run: go ahead. Otherwise the request is kept for
// the dispatcher, which pauses the run once on_invoke returns.
agenthost_status on_request_approval(agenthost_host_run_ptr handle, agenthost_str request_json) noexcept {
    try {
        RunContext& run = run_of(handle);
        std::string error;
        auto request = json::parse(std::string_view(request_json.ptr, request_json.len), error);
        std::string operation = request && request->IsObject() ? json::get_string(*request, "operation") : "";
        if (operation.empty())
            return misused(run, "request_approval", "an approval request is a JSON object with a non-empty \"operation\"");
        {
            std::lock_guard<std::mutex> lock(run.mutex);
            if (run.approved_operations.count(operation) > 0) return AGENTHOST_OK;
            run.approval_request_json = json::serialize(*request);
        }
        return fail(run, AGENTHOST_ERROR_APPROVAL_REQUIRED,
                    "operation '" + operation + "' needs a person's approval; the run waits for it");
    } catch (...) {
        return AGENTHOST_ERROR_FAILED;
    }
}

// The n-th interrupt call of this invoke answers the n-th answer people
// gave the run; past the last one the request is kept for the dispatcher,
// which pauses the run once on_invoke returns.
agenthost_status on_interrupt(agenthost_host_run_ptr handle, agenthost_str request_json, agenthost_str* out) noexcept {
    RunContext& run = run_of(handle);
    try {
        if (out == nullptr) return misused(run, "interrupt", "the output pointer is NULL");
        std::string error;
        auto request = json::parse(text_of(request_json), error);
        if (!request || !request->IsObject() || json::get_member(*request, "question") == nullptr)
            return misused(run, "interrupt", "an interrupt request is a JSON object with a \"question\"");
        if (const rapidjson::Value* schema = json::get_member(*request, "schema")) {
            if (!schema->IsObject()) return misused(run, "interrupt", "\"schema\" must be a JSON Schema object");
            try {
                json::SchemaValidator compiled(*schema);
            } catch (const std::exception& e) {
                return misused(run, "interrupt", std::string("\"schema\" is not a usable JSON Schema: ") + e.what());
            }
        }
        std::string text = json::serialize(*request);
        if (text.size() > 64 * 1024) return misused(run, "interrupt", "an interrupt request may hold at most 64 KiB");
        std::lock_guard<std::mutex> lock(run.mutex);
        size_t index = run.interrupt_calls++;
        if (index < run.resume_values.size()) {
            *out = view_of(run.keep(run.resume_values[index]));
            return AGENTHOST_OK;
        }
        // Only the first unanswered question is asked; a plugin that goes
        // on asking (it should have stopped) does not replace it.
        if (!run.interrupt_request_json) run.interrupt_request_json = std::move(text);
        run.last_error = "the run waits for a person's answer to interrupt " + std::to_string(index + 1);
        return AGENTHOST_ERROR_INTERRUPTED;
    } catch (const std::exception& e) {
        return fail(run, AGENTHOST_ERROR_FAILED, std::string("interrupt failed: ") + e.what());
    } catch (...) {
        return AGENTHOST_ERROR_FAILED;
    }
}

agenthost_status exec_status(exec::ExecStatus status) {
    switch (status) {
        case exec::ExecStatus::ok: return AGENTHOST_OK;
        case exec::ExecStatus::denied: return AGENTHOST_ERROR_PERMISSION_DENIED;
        case exec::ExecStatus::unavailable: return AGENTHOST_ERROR_UNAVAILABLE;
        case exec::ExecStatus::cancelled: return AGENTHOST_ERROR_CANCELLED;
        // (bad_request is the plugin's misuse, answered by misused().)
        case exec::ExecStatus::bad_request:
        case exec::ExecStatus::failed: return AGENTHOST_ERROR_FAILED;
    }
    return AGENTHOST_ERROR_FAILED;
}

agenthost_status on_exec(agenthost_host_run_ptr handle, agenthost_str request, agenthost_str* out) noexcept {
    RunContext& run = run_of(handle);
    try {
        agenthost_status status;
        if (!permitted(run, "exec", "exec", status)) return status;
        if (out == nullptr) return misused(run, "exec", "the output pointer is NULL");
        exec::ExecCall call;
        call.agent = run.agent.name();
        call.settings = &run.agent.exec_settings();
        call.workspace = run.workspace;
        call.should_stop = [&run] { return run.cancelled.load() || run.abandoned.load(); };
        call.emit = [&run](const std::string& type, const std::string& data) { run.services.emit_event(type, data); };
        exec::ExecAnswer answer = exec::run_exec(call, text_of(request));
        if (answer.status == exec::ExecStatus::bad_request) return misused(run, "exec", answer.error);
        if (answer.status != exec::ExecStatus::ok) return fail(run, exec_status(answer.status), answer.error);
        std::lock_guard<std::mutex> lock(run.mutex);
        *out = view_of(run.keep(std::move(answer.response_json)));
        return AGENTHOST_OK;
    } catch (const std::exception& e) {
        return fail(run, AGENTHOST_ERROR_FAILED, std::string("exec failed: ") + e.what());
    } catch (...) {
        return AGENTHOST_ERROR_FAILED;
    }
}

// What exec would decide, without running anything. Same permission and
// settings as on_exec; the output pointer may be NULL.
agenthost_status on_exec_check(agenthost_host_run_ptr handle, agenthost_str request, agenthost_str* out) noexcept {
    RunContext& run = run_of(handle);
    try {
        agenthost_status status;
        if (!permitted(run, "exec", "exec check", status)) return status;
        exec::ExecCall call;
        call.agent = run.agent.name();
        call.settings = &run.agent.exec_settings();
        call.workspace = run.workspace;
        exec::ExecAnswer answer = exec::check_exec(call, text_of(request));
        if (answer.status == exec::ExecStatus::bad_request) return misused(run, "exec check", answer.error);
        if (answer.status != exec::ExecStatus::ok) return fail(run, exec_status(answer.status), answer.error);
        if (out == nullptr) return AGENTHOST_OK;
        std::lock_guard<std::mutex> lock(run.mutex);
        *out = view_of(run.keep(std::move(answer.response_json)));
        return AGENTHOST_OK;
    } catch (const std::exception& e) {
        return fail(run, AGENTHOST_ERROR_FAILED, std::string("exec check failed: ") + e.what());
    } catch (...) {
        return AGENTHOST_ERROR_FAILED;
    }
}

// The long-term store, in the run's tenant (the runs layer knows it). A
// request that breaks the store's rules is the plugin's bug.
agenthost_status on_store(agenthost_host_run_ptr handle, agenthost_str request, agenthost_str* out) noexcept {
    RunContext& run = run_of(handle);
    try {
        agenthost_status status;
        if (!permitted(run, "store", "store", status)) return status;
        StoreAnswer answer = run.services.store_call(text_of(request));
        switch (answer.status) {
            case StoreAnswer::Status::ok: break;
            case StoreAnswer::Status::bad_argument: return misused(run, "store", answer.error);
            case StoreAnswer::Status::not_found: return fail(run, AGENTHOST_ERROR_NOT_FOUND, answer.error);
            case StoreAnswer::Status::unavailable: return fail(run, AGENTHOST_ERROR_UNAVAILABLE, answer.error);
        }
        if (out == nullptr) return AGENTHOST_OK;
        std::lock_guard<std::mutex> lock(run.mutex);
        *out = view_of(run.keep(std::move(answer.response_json)));
        return AGENTHOST_OK;
    } catch (const std::exception& e) {
        return fail(run, AGENTHOST_ERROR_FAILED, std::string("store failed: ") + e.what());
    } catch (...) {
        return AGENTHOST_ERROR_FAILED;
    }
}

}  // namespace

void set_llm_client(llm::LlmClient* client) { configured_llm.store(client); }
llm::LlmClient* llm_client() { return configured_llm.load(); }

const agenthost_host_api& host_api() {
    static const agenthost_host_api table = {
        sizeof(agenthost_host_api),
        AGENTHOST_ABI_VERSION,
        &on_log,
        &on_agent_config,
        &on_agent_set_error,
        &on_emit_event,
        &on_is_cancelled,
        &on_memory_get,
        &on_memory_put,
        &on_set_result,
        &on_set_error,
        &on_last_error,
        &on_llm_complete,
        &on_llm_stream,
        &on_http_request,
        &on_request_approval,
        &on_exec,
        &on_interrupt,
        &on_store,
        &on_exec_check,
    };
    return table;
}

}  // namespace agenthost::plugins
