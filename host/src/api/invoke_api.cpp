#include "api/invoke_api.hpp"

#include "api/json_writer.hpp"
#include "api/request_body.hpp"
#include "http/api_error.hpp"
#include "json/json_util.hpp"

namespace agenthost::api {
namespace {

runs::InvokeRequest to_invoke_request(const rapidjson::Document& body) {
    runs::InvokeRequest request;
    const rapidjson::Value* agent = json::get_member(body, "agent_name");
    if (agent == nullptr || agent->IsNull())
        throw http::ApiError(422, "RoutingNotAvailable",
                             "agent_name is required: routing a task to an agent by supervisors is not available "
                             "in this version; GET /agents lists the agents",
                             {{"/agent_name", "is required"}});
    request.agent_name = agent->GetString();
    request.task = json::get_string(body, "task");
    if (const rapidjson::Value* context = json::get_member(body, "context")) request.context_json = json::serialize(*context);
    request.thread_id = json::get_string(body, "thread_id");
    return request;
}

http::ApiError rejection_error(const runs::Rejection& rejection) {
    using Kind = runs::Rejection::Kind;
    switch (rejection.kind) {
        case Kind::agent_not_found: return http::ApiError(404, "AgentNotFound", rejection.message);
        case Kind::agent_unavailable: return http::ApiError(409, "AgentUnavailable", rejection.message);
        case Kind::invalid_context:
            return http::ApiError(422, "ValidationError",
                                  rejection.message + ": " + json::describe(rejection.violations),
                                  http::to_details(rejection.violations));
        case Kind::overloaded: {
            http::ApiError error(503, "Overloaded", rejection.message);
            error.headers.emplace_back("Retry-After", "1");
            return error;
        }
    }
    return http::ApiError(500, "InternalError", rejection.message);
}

http::HttpResponse outcome_response(const runs::RunOutcome& run, const std::string& request_id) {
    std::string where = " (run " + run.run_id + ", thread " + run.thread_id + ")";
    switch (run.status) {
        case runs::RunStatus::succeeded: {
            JsonWriter out;
            out->StartObject();
            out.field("status", "success");
            out.raw_field("result", run.result_json);
            out.field("agent_used", run.agent);
            out.field("execution_time", run.execution_seconds);
            out.field("thread_id", run.thread_id);
            out.field("run_id", run.run_id);
            out->EndObject();
            return http::json_response(200, out.str());
        }
        case runs::RunStatus::invalid_input:
            return http::error_response(422, "AgentRejectedInput",
                                        "agent '" + run.agent + "' rejected the input: " + run.error + where, request_id);
        case runs::RunStatus::cancelled:
            return http::error_response(409, "RunCancelled", "the run was cancelled" + where, request_id);
        case runs::RunStatus::failed: break;
    }
    return http::error_response(500, "AgentFailed", "agent '" + run.agent + "' failed: " + run.error + where,
                                request_id);
}

}  // namespace

void add_invoke_routes(http::Router& router, ApiContext& context) {
    router.post("/agent/invoke", [&context](const http::HttpRequest& request, http::Responder responder) {
        rapidjson::Document body = read_json_body(request, "requests/agent-invoke");
        std::string request_id = request.request_id;
        auto rejection = context.invocations.submit(
            to_invoke_request(body), [responder, request_id](runs::RunOutcome run) {
                responder.send(outcome_response(run, request_id));
            });
        if (rejection) throw rejection_error(*rejection);
    });
}

}  // namespace agenthost::api
