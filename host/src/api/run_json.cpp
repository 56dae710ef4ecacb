#include "api/run_json.hpp"

#include "json/json_util.hpp"
#include "runs/thread_admission.hpp"
#include "util/log.hpp"
#include "util/time_format.hpp"

namespace agenthost::api {
namespace {

void time_field(JsonWriter& out, const char* name, long long ms) {
    out.key(name);
    if (ms == 0) out->Null();
    else out.string(iso8601_ms(ms));
}

void optional_text(JsonWriter& out, const char* name, const std::string& value) {
    out.key(name);
    if (value.empty()) out->Null();
    else out.string(value);
}

}  // namespace

void write_supervisor_path(JsonWriter& out, const store::RunRecord& run) {
    out.key("supervisor_path");
    std::string error;
    auto routing = run.routing_json.empty() ? std::nullopt : json::parse(run.routing_json, error);
    const rapidjson::Value* path = routing ? json::get_member(*routing, "supervisor_path") : nullptr;
    if (path != nullptr) out.raw(json::serialize(*path));
    else out->Null();
}

void write_orchestration_fields(JsonWriter& out, const store::RunRecord& run) {
    // The supervisors' decision, when the caller named no agent.
    write_supervisor_path(out, run);
    out.key("routing");
    if (!run.routing_json.empty()) out.raw(run.routing_json);
    else out->Null();
    if (!run.options_json.empty()) out.raw_field("options", run.options_json);
    out.key("approval");
    if (run.approval_json.empty()) out->Null();
    else write_approval(out, run);
    optional_text(out, "step", run.step_key);
}

void write_approval(JsonWriter& out, const store::RunRecord& run) {
    // The request plus the run, its state and deadline, as a person needs them.
    std::string error;
    auto approval = json::parse(run.approval_json.empty() ? "{}" : run.approval_json, error);
    if (!approval || !approval->IsObject()) approval.emplace().SetObject();
    auto& allocator = approval->GetAllocator();
    approval->AddMember("run_id", json::string_value(run.id, allocator), allocator);
    approval->AddMember("state", json::string_value(run.approval_state, allocator), allocator);
    if (run.approval_expires_at_ms != 0)
        approval->AddMember("expires_at", json::string_value(iso8601_ms(run.approval_expires_at_ms), allocator),
                            allocator);
    out.raw(json::serialize(*approval));
}

void write_stuck_run(JsonWriter& out, const runs::StuckRun& run) {
    out->StartObject();
    out.field("run_id", run.run_id);
    out.field("agent", run.agent);
    out.field("running_seconds", run.running_seconds);
    out.field("timeout_seconds", run.timeout_seconds);
    out->EndObject();
}

void write_run(JsonWriter& out, const store::RunRecord& run) {
    out->StartObject();
    out.field("run_id", run.id);
    out.field("thread_id", run.thread_id);
    out.field("agent", run.agent);
    out.field("status", run.status);
    out.key("input");
    out->StartObject();
    out.field("task", run.task);
    out.raw_field("context", run.context_json.empty() ? "{}" : run.context_json);
    out->EndObject();
    if (run.result_json.empty()) {
        out.key("result");
        out->Null();
    } else {
        out.raw_field("result", run.result_json);
    }
    optional_text(out, "error", run.error);
    optional_text(out, "error_type", run.error_type);
    out.field("attempts", static_cast<size_t>(run.attempts));
    out.field("max_attempts", static_cast<size_t>(run.max_attempts));
    out.field("cancel_requested", run.cancel_requested);
    time_field(out, "created_at", run.created_at_ms);
    time_field(out, "started_at", run.started_at_ms);
    time_field(out, "finished_at", run.finished_at_ms);
    out.key("duration_seconds");
    if (run.started_at_ms != 0 && run.finished_at_ms != 0) out->Double((run.finished_at_ms - run.started_at_ms) / 1000.0);
    else out->Null();
    // LLM tokens the run used (null when it made no call).
    if (run.llm_usage_json.empty()) {
        out.key("usage");
        out->Null();
    } else {
        out.raw_field("usage", run.llm_usage_json);
    }
    optional_text(out, "pipeline_id", run.pipeline_id);
    optional_text(out, "webhook_url", run.webhook_url);
    // A delayed run is queued but not started before run_after.
    time_field(out, "run_after", run.run_after_ms);
    out.field("on_completion", run.on_completion.empty() ? "keep" : run.on_completion);
    write_orchestration_fields(out, run);
    out->EndObject();
}

void write_event(JsonWriter& out, const store::RunEvent& event, const std::string& thread_id) {
    out->StartObject();
    out.field("run_id", event.run_id);
    out.field("thread_id", thread_id);
    out.key("seq");
    out->Int64(event.seq);
    out.field("type", event.type);
    // Seed 001's clients (LangChain's astream_events names) read "event".
    if (event.type == "llm.start") out.field("event", "on_chat_model_start");
    else if (event.type == "llm.token") out.field("event", "on_chat_model_stream");
    else if (event.type == "llm.usage") out.field("event", "on_chat_model_end");
    out.field("ts", iso8601_ms(event.ts_ms));
    out.raw_field("data", event.data_json.empty() ? "{}" : event.data_json);
    out->EndObject();
}

http::ApiError rejection_error(const runs::Rejection& rejection) {
    using Kind = runs::Rejection::Kind;
    switch (rejection.kind) {
        case Kind::agent_not_found: return http::ApiError(404, "AgentNotFound", rejection.message);
        case Kind::agent_unavailable: return http::ApiError(409, "AgentUnavailable", rejection.message);
        case Kind::invalid_context:
            return http::ApiError(422, "ValidationError", rejection.message + ": " + json::describe(rejection.violations),
                                  http::to_details(rejection.violations));
        case Kind::invalid_request:
            return http::ApiError(422, "ValidationError", rejection.message, http::to_details(rejection.violations));
        case Kind::store_unavailable: return store_error(rejection.message);
    }
    return http::ApiError(500, "InternalError", rejection.message);
}

http::ApiError submit_error(const std::string& reason) {
    if (runs::is_thread_busy(reason)) return http::ApiError(409, "ThreadBusy", reason);
    return store_error(reason);
}

http::ApiError store_error(const std::string& reason) {
    log::warn("database operation failed", {{"error", reason}});
    if (reason.rfind(store::kRefusedByDatabase, 0) == 0)
        return http::ApiError(500, "StoreRefused",
                              "the database refused to store this request; retrying the same request will not help "
                              "(the host log has the database's message)");
    http::ApiError error(503, "StoreUnavailable",
                         "the database is unavailable or refused the operation; nothing was changed (the host log "
                         "has the database's message)");
    error.headers.emplace_back("Retry-After", "2");
    return error;
}

void add_warnings(http::HttpResponse& response, const std::vector<std::string>& warnings) {
    if (warnings.empty()) return;
    std::string error;
    auto body = json::parse(response.body, error);
    if (!body || !body->IsObject()) return;
    auto& allocator = body->GetAllocator();
    rapidjson::Value list(rapidjson::kArrayType);
    for (const auto& warning : warnings) list.PushBack(json::string_value(warning, allocator), allocator);
    body->AddMember("warnings", list, allocator);
    response.body = json::serialize(*body);
}

}  // namespace agenthost::api
