#include "api/deployment_api.hpp"

#include "api/json_writer.hpp"
#include "api/query_params.hpp"
#include "api/request_body.hpp"
#include "api/run_json.hpp"
#include "api/tenancy.hpp"
#include "deployments/deployment_service.hpp"
#include "json/json_util.hpp"
#include "util/time_format.hpp"

#include <regex>

namespace agenthost::api {
namespace {

using deployments::DeploymentError;
using deployments::DeploymentService;

DeploymentService& service(ApiContext& context) {
    if (context.deployments == nullptr) throw http::ApiError(503, "Unavailable", "deployments are not available on this host");
    return *context.deployments;
}

// The service's refusals as the error envelope.
template <typename Body>
auto answering(Body&& body) -> decltype(body()) {
    try {
        return with_store(body);
    } catch (const DeploymentError& error) {
        std::vector<http::ErrorDetail> details;
        for (const auto& detail : error.details) details.push_back({"", detail});
        throw http::ApiError(error.status, error.type, error.what(), details);
    }
}

void check_project_id(const std::string& id) {
    static const std::regex valid("^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$");
    if (!std::regex_match(id, valid))
        throw http::ApiError(422, "ValidationError", "project_id must be 1 to 128 letters, digits, '.', '_' or '-'",
                             {{"/project_id", "not a project id"}});
}

deployments::ProjectRecord visible_project(ApiContext& context, const http::HttpRequest& request, const std::string& id) {
    check_project_id(id);
    auto project = answering([&] { return service(context).project(request.principal.tenant, id); });
    if (!project) throw http::ApiError(404, "ProjectNotFound", "no deployment project '" + id + "'");
    return *project;
}

deployments::OperationRecord visible_operation(ApiContext& context, const http::HttpRequest& request) {
    const std::string& id = request.param("operation_id");
    auto operation = answering([&] { return service(context).operation(id); });
    if (!operation || !visible(request, operation->tenant))
        throw http::ApiError(404, "OperationNotFound", "no deployment operation '" + id + "'");
    return *operation;
}

// Seed 000's answers are {"success": true, "data": {...}}; its client reads data.
void open_envelope(JsonWriter& out) {
    out->StartObject();
    out.field("success", true);
    out.key("data");
    out->StartObject();
}

void close_envelope(JsonWriter& out) {
    out->EndObject();
    out->EndObject();
}

// Seed 000's words for an operation's state: starting, running,
// pending_approval, completed, failed, cancelled.
std::string seed_status(const std::string& status) {
    if (status == "queued") return "starting";
    if (status == "succeeded") return "completed";
    return status;
}

bool finished(const std::string& status) { return status == "succeeded" || status == "failed" || status == "cancelled"; }

// The first error of the operation's runs, or null.
void write_error(JsonWriter& out, const deployments::OperationState& state) {
    out.key("error");
    for (const auto& run : state.workflow.runs)
        if (!run.error.empty()) {
            out.string(run.agent + ": " + run.error);
            return;
        }
    out->Null();
}

void write_operation_fields(JsonWriter& out, const deployments::OperationRecord& operation) {
    out.field("operation_id", operation.id);
    out.field("project_id", operation.project_id);
    out.field("operation", operation.operation);
    out.field("workflow_id", operation.workflow_id);
    out.field("created_at", iso8601_ms(operation.created_at_ms));
}

http::HttpResponse operation_accepted(const deployments::PreparedOperation& prepared) {
    JsonWriter out;
    open_envelope(out);
    write_operation_fields(out, prepared.operation);
    out.field("thread_id", prepared.project.thread_id);
    out.field("status", prepared.operation.operation == "apply" || prepared.operation.operation == "destroy"
                            ? "pending_approval"
                            : "starting");
    out.field("status_url", "/deployment/operations/" + prepared.operation.id + "/status");
    out.field("logs_url", "/deployment/operations/" + prepared.operation.id + "/logs?since_index=0");
    close_envelope(out);
    http::HttpResponse response = http::json_response(202, out.str());
    response.headers.emplace_back("Location", "/deployment/operations/" + prepared.operation.id + "/status");
    return response;
}

void start_operation(ApiContext& context, const http::HttpRequest& request, const http::Responder& responder) {
    const std::string project_id = request.param("project_id");
    check_project_id(project_id);
    rapidjson::Document body = read_json_body_or_empty(request, "requests/deployment-operation");
    deployments::OperationRequest operation;
    operation.tenant = request.principal.tenant;
    operation.key_id = request.principal.id;
    operation.project_id = project_id;
    operation.operation = request.param("operation");
    const rapidjson::Value* url = json::get_member(body, "repo_url");
    if (url == nullptr) url = json::get_member(body, "repository_url");  // seed 000's name
    if (url != nullptr) {
        operation.repository_kind = "repo_url";
        operation.repository = url->GetString();
    } else if (const rapidjson::Value* path = json::get_member(body, "path")) {
        operation.repository_kind = "path";
        operation.repository = path->GetString();
    }
    if (const rapidjson::Value* extra = json::get_member(body, "context")) operation.context_json = json::serialize(*extra);
    auto prepared = answering([&] { return service(context).prepare(operation); });
    if (auto rejection = context.workflows->check(prepared.workflow)) {
        service(context).abandon(prepared);
        throw rejection_error(*rejection);
    }
    const std::string request_id = request.request_id;
    context.workflows->submit(prepared.workflow, [&context, responder, request_id, prepared](
                                                     const store::PipelineRecord& workflow, const std::string& error) mutable {
        if (!error.empty()) {
            try {
                service(context).abandon(prepared);
            } catch (const std::exception&) {
                // The lock then waits for force-unlock; the answer says the store failed.
            }
            responder.send(http::error_response(store_error(error), request_id));
            return;
        }
        prepared.operation.workflow_id = workflow.id;
        service(context).record(prepared.operation, [responder, request_id, prepared](const std::string& error) {
            if (!error.empty()) {
                responder.send(http::error_response(store_error(error), request_id));
                return;
            }
            responder.send(operation_accepted(prepared));
        });
    });
}


void operation_logs(ApiContext& context, const http::HttpRequest& request, const http::Responder& responder) {
    const size_t since = bounded_number(request, "since_index", 0, 0, 1000000000);
    const size_t limit = bounded_number(request, "limit", 1000, 1, 5000);
    auto operation = visible_operation(context, request);
    // The state before the lines: a step that finishes in between then
    // shows as running, never as completed with its last lines unread.
    auto state = answering([&] { return service(context).state(operation); });
    auto page = answering([&] { return service(context).logs(operation, static_cast<long long>(since), limit); });
    JsonWriter out;
    open_envelope(out);
    out.field("operation_id", operation.id);
    out.field("status", seed_status(state.status));
    // Only once every line is out: a client stops polling when it sees this.
    out.field("completed", finished(state.status) && !page.has_more);
    write_error(out, state);
    out.key("logs");
    out->StartArray();
    for (const auto& line : page.lines) out.string(line.message);
    out->EndArray();
    out.key("entries");
    out->StartArray();
    for (const auto& line : page.lines) {
        out->StartObject();
        out.field("index", static_cast<size_t>(line.index));
        out.field("timestamp", iso8601_ms(line.ts_ms));
        out.field("run_id", line.run_id);
        out.field("agent", line.agent);
        out.field("type", line.type);
        out.field("message", line.message);
        out->EndObject();
    }
    out->EndArray();
    out.field("since_index", since);
    out.field("next_index", static_cast<size_t>(page.next_index));
    out.field("has_more", page.has_more);
    close_envelope(out);
    responder.send(http::json_response(200, out.str()));
}

void operation_status(ApiContext& context, const http::HttpRequest& request, const http::Responder& responder) {
    auto operation = visible_operation(context, request);
    auto state = answering([&] { return service(context).state(operation); });
    JsonWriter out;
    open_envelope(out);
    write_operation_fields(out, operation);
    out.field("status", seed_status(state.status));
    out.field("thread_id", state.workflow.pipeline.thread_id);
    write_error(out, state);
    out.key("steps");
    out->StartArray();
    for (const auto& run : state.workflow.runs) {
        out->StartObject();
        out.field("agent", run.agent);
        out.field("run_id", run.id);
        out.field("status", run.status);
        out.key("result");
        if (run.result_json.empty()) out->Null();
        else out.raw(run.result_json);
        out.key("error");
        if (run.error.empty()) out->Null();
        else out.string(run.error);
        out->EndObject();
    }
    out->EndArray();
    if (state.status == "pending_approval")
        out.field("approve_url", "/workflow/approve/" + state.workflow.pipeline.thread_id);
    close_envelope(out);
    responder.send(http::json_response(200, out.str()));
}

void project_logs(ApiContext& context, const http::HttpRequest& request, const http::Responder& responder) {
    auto project = visible_project(context, request, request.param("project_id"));
    const size_t limit = bounded_number(request, "limit", 20, 1, 100);
    auto& deployments = service(context);
    auto operations = answering([&] { return deployments.operations(project.tenant, project.id, static_cast<int>(limit)); });
    auto lock = answering([&] { return deployments.held_lock(project); });
    JsonWriter out;
    open_envelope(out);
    out.field("project_id", project.id);
    out.field("repository", project.repository);
    out.field("thread_id", project.thread_id);
    out.key("locked_by");
    if (lock) out.string(lock->operation_id);
    else out->Null();
    out.key("operations");
    out->StartArray();
    for (const auto& operation : operations) {
        auto state = answering([&] { return deployments.state(operation); });
        auto page = answering([&] { return deployments.logs(operation, 0, 500); });
        out->StartObject();
        write_operation_fields(out, operation);
        out.field("status", seed_status(state.status));
        out.key("logs");
        out->StartArray();
        for (const auto& line : page.lines) out.string(line.message);
        out->EndArray();
        out->EndObject();
    }
    out->EndArray();
    out.field("count", operations.size());
    close_envelope(out);
    responder.send(http::json_response(200, out.str()));
}

void force_unlock(ApiContext& context, const http::HttpRequest& request, const http::Responder& responder) {
    auto project = visible_project(context, request, request.param("project_id"));
    auto unlocked = answering([&] { return service(context).force_unlock(project, actor_of(request)); });
    JsonWriter out;
    open_envelope(out);
    out.field("project_id", project.id);
    out.field("released", unlocked.has_value());
    out.key("holder");
    if (unlocked) out.string(unlocked->holder);
    else out->Null();
    out.key("cancelled_runs");
    out->StartArray();
    if (unlocked)
        for (const auto& run_id : unlocked->cancelled_runs) out.string(run_id);
    out->EndArray();
    close_envelope(out);
    responder.send(http::json_response(200, out.str()));
}

}  // namespace

void add_deployment_routes(http::Router& router, ApiContext& context) {
    // Seed 000's own client calls them under /api/v1 (its API prefix).
    for (const std::string prefix : {"", "/api/v1"}) {
        // Before the operation route, which would take "force-unlock" as an operation.
        router.post(prefix + "/deployment/projects/:project_id/force-unlock",
                    [&context](const http::HttpRequest& request, http::Responder responder) {
                        force_unlock(context, request, responder);
                    });
        router.post(prefix + "/deployment/projects/:project_id/:operation",
                    [&context](const http::HttpRequest& request, http::Responder responder) {
                        start_operation(context, request, responder);
                    });
        router.get(prefix + "/deployment/operations/:operation_id/logs",
                   [&context](const http::HttpRequest& request, http::Responder responder) {
                       operation_logs(context, request, responder);
                   });
        router.get(prefix + "/deployment/operations/:operation_id/status",
                   [&context](const http::HttpRequest& request, http::Responder responder) {
                       operation_status(context, request, responder);
                   });
        router.get(prefix + "/deployment/projects/:project_id/logs",
                   [&context](const http::HttpRequest& request, http::Responder responder) {
                       project_logs(context, request, responder);
                   });
    }
}

}  // namespace agenthost::api
