#include "api/invoke_api.hpp"

#include "api/stream_api.hpp"

#include "api/idempotency.hpp"
#include "api/json_writer.hpp"
#include "api/request_body.hpp"
#include "api/run_json.hpp"
#include "api/runs_api.hpp"
#include "api/stream_api.hpp"
#include "api/task_routing.hpp"
#include "api/tenancy.hpp"
#include "api/webhooks_api.hpp"
#include "http/api_error.hpp"
#include "json/json_util.hpp"

namespace agenthost::api {
namespace {

// A run that ended without a result: the error envelope, plus what seed
// 001's clients read from every answer ("status": "error" is its value for
// a failed task; agent_used, thread_id and the run to look at).
http::HttpResponse run_error(int status, const std::string& type, const std::string& message,
                             const std::string& request_id, const store::RunRecord& run) {
    http::HttpResponse response = http::error_response(status, type, message, request_id);
    std::string ignored;
    auto body = json::parse(response.body, ignored);
    if (!body || !body->IsObject()) return response;
    auto& allocator = body->GetAllocator();
    body->AddMember("status", "error", allocator);
    body->AddMember("agent_used", json::string_value(run.agent, allocator), allocator);
    body->AddMember("thread_id", json::string_value(run.thread_id, allocator), allocator);
    body->AddMember("run_id", json::string_value(run.id, allocator), allocator);
    response.body = json::serialize(*body);
    return response;
}

// Seed 001's answer for a finished run; errors in the envelope.
http::HttpResponse outcome_response(const store::RunRecord& run, bool timed_out, const std::string& request_id) {
    std::string where = " (run " + run.id + ", thread " + run.thread_id + ")";
    if (timed_out) {
        if (run.agent.empty())
            return http::error_response(503, "ShuttingDown", "the host stopped before the run finished" + where, request_id);
        http::HttpResponse response = http::error_response(
            504, "InvokeTimeout",
            "the run did not finish in time and goes on; follow it at /runs/" + run.id + where, request_id);
        response.headers.emplace_back("Location", "/runs/" + run.id);
        return response;
    }
    if (run.status == store::run_status::pending_approval) {
        // Seed 001: the answer says what waits for whom; the thread's
        // /workflow/approve decides.
        JsonWriter out;
        out->StartObject();
        out.field("status", "pending_approval");
        out.key("result");
        out->Null();
        out.field("agent_used", run.agent);
        out.field("thread_id", run.thread_id);
        out.field("run_id", run.id);
        out.key("approval_required");
        out.raw(run.approval_json.empty() ? "{}" : run.approval_json);
        out.field("approve_url", "/workflow/approve/" + run.thread_id);
        out->EndObject();
        http::HttpResponse response = http::json_response(202, out.str());
        response.headers.emplace_back("Location", "/runs/" + run.id);
        return response;
    }
    if (run.status == store::run_status::succeeded) {
        JsonWriter out;
        out->StartObject();
        out.field("status", "success");
        out.raw_field("result", run.result_json);
        out.field("agent_used", run.agent);
        write_supervisor_path(out, run);
        out.field("execution_time",
                  run.started_at_ms != 0 ? (run.finished_at_ms - run.started_at_ms) / 1000.0 : 0.0);
        out.field("thread_id", run.thread_id);
        out.field("run_id", run.id);
        out.field("attempts", static_cast<size_t>(run.attempts));
        out->EndObject();
        return http::json_response(200, out.str());
    }
    if (run.error_type == "invalid_input")
        return run_error(422, "AgentRejectedInput", "agent '" + run.agent + "' rejected the input: " + run.error + where,
                         request_id, run);
    if (run.error_type == "rejected")
        return run_error(409, "ApprovalRejected", "the run was not approved: " + run.error + where, request_id, run);
    if (run.status == store::run_status::cancelled)
        return run_error(409, "RunCancelled", "the run was cancelled: " + run.error + where, request_id, run);
    return run_error(500, "AgentFailed", "agent '" + run.agent + "' failed: " + run.error + where, request_id, run);
}

}  // namespace

void add_invoke_routes(http::Router& router, ApiContext& context) {
    // Enqueue-and-wait: the run is durable and listable like any other; the
    // client's answer comes when it finishes.
    router.post("/agent/invoke", [&context](const http::HttpRequest& request, http::Responder responder) {
        rapidjson::Document body = read_json_body(request, "requests/agent-invoke");
        // Seed 001: "stream": true answers as POST /agent/stream does.
        if (const auto* stream = json::get_member(body, "stream"); stream != nullptr && stream->IsBool() && stream->GetBool()) {
            start_and_stream(context, request, responder, body);
            return;
        }
        auto claim = idempotency_claim(request, "POST /agent/invoke", 200);
        std::string request_id = request.request_id;
        // A retry waits for the run its first attempt created and answers
        // its outcome.
        Replay replay = [&context, request_id](const store::IdempotencyRecord& earlier, const http::Responder& to) {
            context.runs.wait_for(earlier.resource_id, [to, request_id](const store::RunRecord& run, bool timed_out) {
                to.send(outcome_response(run, timed_out, request_id));
            });
        };
        if (answered_from_earlier(context, claim, request_id, responder, replay)) return;
        check_webhook_fields(body, context.webhooks);
        runs::InvokeRequest invoke = invoke_request_from(body);
        claim_for_caller(context, request, invoke);
        check_run_options(context, invoke.options);
        route_if_unnamed(context, invoke);
        if (auto rejection = context.runs.check(invoke)) throw rejection_error(*rejection);
        invoke.warnings = context.runs.warnings(invoke);
        invoke.idempotency = claim;
        context.runs.submit_and_wait(
            invoke,
            [&context, responder, request_id, claim, replay](const store::RunRecord&, const std::string& error) {
                if (error.empty() || answered_from_earlier(context, claim, request_id, responder, replay)) return;
                responder.send(http::error_response(submit_error(error), request_id));
            },
            [responder, request_id, warnings = invoke.warnings](const store::RunRecord& run, bool timed_out) {
                http::HttpResponse response = outcome_response(run, timed_out, request_id);
                add_warnings(response, warnings);
                responder.send(std::move(response));
            });
    });
}

}  // namespace agenthost::api
