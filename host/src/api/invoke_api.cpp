#include "api/invoke_api.hpp"

#include "api/json_writer.hpp"
#include "api/request_body.hpp"
#include "api/run_json.hpp"
#include "api/runs_api.hpp"
#include "api/webhooks_api.hpp"
#include "http/api_error.hpp"
#include "json/json_util.hpp"

namespace agenthost::api {
namespace {

void require_agent_name(const rapidjson::Document& body) {
    const rapidjson::Value* agent = json::get_member(body, "agent_name");
    if (agent == nullptr || agent->IsNull())
        throw http::ApiError(422, "RoutingNotAvailable",
                             "agent_name is required: routing a task to an agent by supervisors is not available "
                             "in this version; GET /agents lists the agents",
                             {{"/agent_name", "is required"}});
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
    if (run.status == store::run_status::succeeded) {
        JsonWriter out;
        out->StartObject();
        out.field("status", "success");
        out.raw_field("result", run.result_json);
        out.field("agent_used", run.agent);
        out.field("execution_time",
                  run.started_at_ms != 0 ? (run.finished_at_ms - run.started_at_ms) / 1000.0 : 0.0);
        out.field("thread_id", run.thread_id);
        out.field("run_id", run.id);
        out.field("attempts", static_cast<size_t>(run.attempts));
        out->EndObject();
        return http::json_response(200, out.str());
    }
    if (run.error_type == "invalid_input")
        return http::error_response(422, "AgentRejectedInput",
                                    "agent '" + run.agent + "' rejected the input: " + run.error + where, request_id);
    if (run.status == store::run_status::cancelled)
        return http::error_response(409, "RunCancelled", "the run was cancelled: " + run.error + where, request_id);
    return http::error_response(500, "AgentFailed", "agent '" + run.agent + "' failed: " + run.error + where, request_id);
}

}  // namespace

void add_invoke_routes(http::Router& router, ApiContext& context) {
    // Enqueue-and-wait: the run is durable and listable like any other; the
    // client's answer comes when it finishes.
    router.post("/agent/invoke", [&context](const http::HttpRequest& request, http::Responder responder) {
        rapidjson::Document body = read_json_body(request, "requests/agent-invoke");
        require_agent_name(body);
        check_webhook_fields(body, context.webhooks);
        runs::InvokeRequest invoke = invoke_request_from(body);
        if (auto rejection = context.runs.check(invoke)) throw rejection_error(*rejection);
        std::string request_id = request.request_id;
        context.runs.submit_and_wait(
            invoke,
            [responder, request_id](const store::RunRecord&, const std::string& error) {
                if (!error.empty()) responder.send(http::error_response(store_error(error), request_id));
            },
            [responder, request_id](const store::RunRecord& run, bool timed_out) {
                responder.send(outcome_response(run, timed_out, request_id));
            });
    });
}

}  // namespace agenthost::api
