// The host service table (abi.h's agenthost_host_api): the only way plugin
// code reaches the host. Every callback is noexcept, checks the manifest's
// permissions, and reports failure as a status plus last_error.
#include "json/json_util.hpp"
#include "plugins/loaded_agent.hpp"
#include "plugins/plugin_library.hpp"
#include "util/log.hpp"

#include <string>

namespace agenthost::plugins {
namespace {

LoadedAgent& agent_of(agenthost_host_agent_ptr handle) { return *reinterpret_cast<LoadedAgent*>(handle); }
RunContext& run_of(agenthost_host_run_ptr handle) { return *reinterpret_cast<RunContext*>(handle); }
std::string text_of(agenthost_str text) { return text.ptr == nullptr ? std::string() : std::string(text.ptr, text.len); }
agenthost_str view_of(const std::string& text) { return {text.data(), text.size()}; }

agenthost_status fail(RunContext& run, agenthost_status status, std::string message) {
    std::lock_guard<std::mutex> lock(run.mutex);
    run.last_error = std::move(message);
    return status;
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

bool is_json_object(const std::string& text) {
    std::string error;
    auto document = json::parse(text, error);
    return document && document->IsObject();
}

bool is_json(const std::string& text) {
    std::string error;
    return json::parse(text, error).has_value();
}

// Plugins may emit their own event types, but the run.* lifecycle belongs to
// the host: a plugin must not be able to claim a run finished.
bool is_plugin_event_type(const std::string& type) {
    if (type.empty() || type.size() > 64 || type.rfind("run.", 0) == 0) return false;
    for (char c : type) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
        if (!ok) return false;
    }
    return type.front() >= 'a' && type.front() <= 'z';
}

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
            return fail(run, AGENTHOST_ERROR_INVALID_INPUT,
                        "event type '" + type_text + "' is not allowed: use lower-case [a-z0-9_.], not 'run.*'");
        if (!is_json_object(data_text))
            return fail(run, AGENTHOST_ERROR_INVALID_INPUT, "event data must be a JSON object");
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
            return fail(run, AGENTHOST_ERROR_INVALID_INPUT, "run memory keys must be 1 to 256 bytes");
        if (!is_json(value_text)) return fail(run, AGENTHOST_ERROR_INVALID_INPUT, "run memory values must be JSON");
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
        if (!is_json_object(text)) return fail(run, AGENTHOST_ERROR_INVALID_INPUT, "a run result must be a JSON object");
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

agenthost_status unavailable(RunContext& run, const char* permission, const char* service, const char* what) {
    agenthost_status status;
    if (!permitted(run, permission, service, status)) return status;
    return fail(run, AGENTHOST_ERROR_UNAVAILABLE, what);
}

agenthost_status on_llm_complete(agenthost_host_run_ptr handle, agenthost_str, agenthost_str*) noexcept {
    try {
        return unavailable(run_of(handle), "llm", "llm_complete", "no LLM provider is available in this host");
    } catch (...) {
        return AGENTHOST_ERROR_FAILED;
    }
}

agenthost_status on_llm_stream(agenthost_host_run_ptr handle, agenthost_str, agenthost_token_sink, void*,
                               agenthost_str*) noexcept {
    try {
        return unavailable(run_of(handle), "llm", "llm_stream", "no LLM provider is available in this host");
    } catch (...) {
        return AGENTHOST_ERROR_FAILED;
    }
}

agenthost_status on_http_request(agenthost_host_run_ptr handle, agenthost_str, agenthost_str*) noexcept {
    try {
        return unavailable(run_of(handle), "http", "http_request", "outbound HTTP is not available in this host");
    } catch (...) {
        return AGENTHOST_ERROR_FAILED;
    }
}

// Approved once for this run: go ahead. Otherwise the request is kept for
// the dispatcher, which pauses the run once on_invoke returns.
agenthost_status on_request_approval(agenthost_host_run_ptr handle, agenthost_str request_json) noexcept {
    try {
        RunContext& run = run_of(handle);
        std::string error;
        auto request = json::parse(std::string_view(request_json.ptr, request_json.len), error);
        std::string operation = request && request->IsObject() ? json::get_string(*request, "operation") : "";
        if (operation.empty())
            return fail(run, AGENTHOST_ERROR_INVALID_INPUT,
                        "an approval request is a JSON object with a non-empty \"operation\"");
        {
            std::lock_guard<std::mutex> lock(run.mutex);
            if (run.approved_operation == operation || run.approved_operation == "*") return AGENTHOST_OK;
            run.approval_request_json = json::serialize(*request);
        }
        return fail(run, AGENTHOST_ERROR_APPROVAL_REQUIRED,
                    "operation '" + operation + "' needs a person's approval; the run waits for it");
    } catch (...) {
        return AGENTHOST_ERROR_FAILED;
    }
}

}  // namespace

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
    };
    return table;
}

}  // namespace agenthost::plugins
