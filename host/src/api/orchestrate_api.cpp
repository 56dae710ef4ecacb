#include "api/orchestrate_api.hpp"

#include "api/idempotency.hpp"
#include "api/json_writer.hpp"
#include "api/pipeline_api.hpp"
#include "api/request_body.hpp"
#include "api/run_json.hpp"
#include "api/runs_api.hpp"
#include "api/task_routing.hpp"
#include "api/tenancy.hpp"
#include "api/webhooks_api.hpp"
#include "json/json_util.hpp"
#include "util/time_format.hpp"

#include <algorithm>
#include <map>

namespace agenthost::api {
namespace {

// Which member names the repository: repo_url (seed 000's client says
// repository_url; repository also works) or path; "" for none.
std::string repository_member(const rapidjson::Document& body) {
    for (const char* name : {"repo_url", "repository_url", "repository", "path"})
        if (!json::get_string(body, name).empty()) return name;
    return "";
}

// context_analyzer -> dockerfile_generator -> terraform_generator on one
// thread: each reads what the one before kept in its memory.
void add_repository_workflow(runs::DagRequest& dag, const std::string& kind, const std::string& repository,
                             const std::string& workflow_context, const runs::RunOptions& options) {
    rapidjson::Document analyze_context;
    analyze_context.Parse(workflow_context.c_str());
    if (analyze_context.HasParseError() || !analyze_context.IsObject()) analyze_context.SetObject();
    analyze_context.RemoveMember(kind.c_str());
    analyze_context.AddMember(rapidjson::Value(kind.c_str(), analyze_context.GetAllocator()),
                              rapidjson::Value(repository.c_str(), analyze_context.GetAllocator()),
                              analyze_context.GetAllocator());
    const std::pair<const char*, const char*> chain[] = {
        {"analyze", "context_analyzer"}, {"dockerfile", "dockerfile_generator"}, {"terraform", "terraform_generator"}};
    std::string previous;
    for (const auto& [id, agent] : chain) {
        runs::DagStep step;
        step.id = id;
        step.request.agent_name = agent;
        step.request.task = dag.task;
        step.request.context_json = previous.empty() ? json::serialize(analyze_context) : workflow_context;
        step.request.options = options;
        if (!previous.empty()) step.depends_on.push_back(previous);
        previous = id;
        dag.steps.push_back(std::move(step));
    }
}

runs::DagRequest dag_request_from(ApiContext& context, const rapidjson::Document& body) {
    runs::DagRequest dag;
    dag.task = json::get_string(body, "task");
    dag.thread_id = json::get_string(body, "thread_id");
    dag.webhook_url = json::get_string(body, "webhook_url");
    dag.webhook_secret = json::get_string(body, "webhook_secret");
    std::string workflow_context = "{}";
    if (const rapidjson::Value* v = json::get_member(body, "context")) workflow_context = json::serialize(*v);
    runs::RunOptions workflow_options = run_options_from(body);
    // A loop at the top repeats the whole workflow; on a step, that step.
    dag.loop_max_iterations = workflow_options.loop_max_iterations;
    workflow_options.loop_max_iterations = 0;

    const rapidjson::Value* steps = json::get_member(body, "steps");
    const std::string repository_kind = repository_member(body);
    if (steps == nullptr && !repository_kind.empty() && json::get_string(body, "agent_name").empty()) {
        // Seed 000: a repository and no steps is its default workflow.
        std::string repository = json::get_string(body, repository_kind.c_str());
        if (dag.task.empty()) dag.task = "deploy " + repository;
        add_repository_workflow(dag, repository_kind == "path" ? "path" : "repo_url", repository, workflow_context,
                                workflow_options);
        return dag;
    }
    if (steps == nullptr) {
        // One step: the named agent, or the one the supervisors pick.
        runs::DagStep step;
        step.id = "main";
        step.request.agent_name = json::get_string(body, "agent_name");
        step.request.task = dag.task;
        step.request.context_json = workflow_context;
        step.request.options = workflow_options;
        route_if_unnamed(context, step.request, "/agent_name");
        dag.steps.push_back(std::move(step));
        return dag;
    }
    for (rapidjson::SizeType i = 0; i < steps->Size(); ++i) {
        const rapidjson::Value& item = (*steps)[i];
        std::string field = "/steps/" + std::to_string(i);
        runs::DagStep step;
        step.id = json::get_string(item, "id");
        step.request.agent_name = json::get_string(item, "agent_name", json::get_string(item, "agent"));
        step.request.task = json::get_string(item, "task", dag.task);
        step.request.context_json = workflow_context;
        if (const rapidjson::Value* v = json::get_member(item, "context")) step.request.context_json = json::serialize(*v);
        step.request.options = run_options_from(item);
        // A workflow-wide approval gate applies to every step.
        if (workflow_options.require_approval) step.request.options.require_approval = true;
        if (step.request.options.approval_timeout_seconds < 0)
            step.request.options.approval_timeout_seconds = workflow_options.approval_timeout_seconds;
        check_run_options(context, step.request.options);
        if (const rapidjson::Value* v = json::get_member(item, "depends_on"))
            for (const auto& dependency : v->GetArray()) step.depends_on.emplace_back(dependency.GetString());
        route_if_unnamed(context, step.request, field + "/agent_name");
        if (const rapidjson::Value* v = json::get_member(item, "interrupt_before"); v != nullptr && v->IsBool())
            step.interrupt_before = v->GetBool();
        if (const rapidjson::Value* v = json::get_member(item, "interrupt_after"); v != nullptr && v->IsBool())
            step.interrupt_after = v->GetBool();
        dag.steps.push_back(std::move(step));
    }
    // The workflow-wide lists, LangGraph's form: "*" or step ids.
    for (const char* which : {"interrupt_before", "interrupt_after"}) {
        const rapidjson::Value* list = json::get_member(body, which);
        if (list == nullptr) continue;
        bool before = std::string(which) == "interrupt_before";
        auto mark = [&](runs::DagStep& step) { (before ? step.interrupt_before : step.interrupt_after) = true; };
        if (list->IsString()) {
            for (auto& step : dag.steps) mark(step);
            continue;
        }
        for (rapidjson::SizeType i = 0; i < list->Size(); ++i) {
            std::string id = (*list)[i].GetString();
            auto found = std::find_if(dag.steps.begin(), dag.steps.end(), [&](const runs::DagStep& step) { return step.id == id; });
            std::string field = std::string("/") + which + "/" + std::to_string(i);
            if (found == dag.steps.end())
                throw http::ApiError(422, "ValidationError", field + ": no step with id '" + id + "'",
                                     {{field, "no step with id '" + id + "'"}});
            mark(*found);
        }
    }
    return dag;
}

std::string workflow_state(const runs::DagView& view) {
    for (const auto& run : view.runs)
        if (run.status == store::run_status::pending_approval) return "pending_approval";
    return view.pipeline.status;  // processing | completed | failed
}

}  // namespace

void write_workflow(JsonWriter& out, const runs::DagView& view) {
    // Seed 004's pipelines have no step ids: their steps are named after
    // their agent and position.
    auto step_id = [](const store::RunRecord& run) {
        return run.step_key.empty() ? run.agent + "_" + std::to_string(run.pipeline_step) : run.step_key;
    };
    std::map<std::string, std::string> step_of;  // run id -> step id
    for (const auto& run : view.runs) step_of[run.id] = step_id(run);
    std::map<std::string, std::vector<std::string>> needs;
    for (const auto& dependency : view.dependencies) needs[dependency.run_id].push_back(step_of[dependency.depends_on]);

    out->StartObject();
    out.field("id", view.pipeline.id);
    out.field("workflow_id", view.pipeline.id);
    out.field("mode", view.pipeline.mode);
    out.field("thread_id", view.pipeline.thread_id);
    out.field("status", workflow_state(view));
    out.field("task", view.pipeline.text);
    out.field("iteration", static_cast<size_t>(view.pipeline.iteration));
    out.field("max_iterations", static_cast<size_t>(std::max(1, view.pipeline.loop_max_iterations)));
    out.field("created_at", iso8601_ms(view.pipeline.created_at_ms));
    out.key("finished_at");
    if (view.pipeline.finished_at_ms == 0) out->Null();
    else out.string(iso8601_ms(view.pipeline.finished_at_ms));
    size_t done = 0;
    for (const auto& run : view.runs) done += store::run_status::is_terminal(run.status) ? 1 : 0;
    out.field("steps_total", view.runs.size());
    out.field("steps_finished", done);
    out.key("steps");
    out->StartArray();
    for (const auto& run : view.runs) {
        out->StartObject();
        out.field("id", step_id(run));
        out.field("agent", run.agent);
        out.field("status", run.status);
        out.string_array("depends_on", needs[run.id]);
        out.field("run_id", run.id);
        out.key("result");
        if (run.result_json.empty()) out->Null();
        else out.raw(run.result_json);
        out.key("error");
        if (run.error.empty()) out->Null();
        else out.string(run.error);
        out.key("error_type");
        if (run.error_type.empty()) out->Null();
        else out.string(run.error_type);
        out.key("started_at");
        if (run.started_at_ms == 0) out->Null();
        else out.string(iso8601_ms(run.started_at_ms));
        out.key("finished_at");
        if (run.finished_at_ms == 0) out->Null();
        else out.string(iso8601_ms(run.finished_at_ms));
        write_orchestration_fields(out, run);
        out->EndObject();
    }
    out->EndArray();
    out->EndObject();
}

namespace {

http::HttpResponse workflow_accepted(const store::PipelineRecord& workflow) {
    JsonWriter out;
    out->StartObject();
    out.field("id", workflow.id);
    out.field("workflow_id", workflow.id);
    out.field("thread_id", workflow.thread_id);
    out.field("status", workflow.status);
    out.field("status_url", "/agents/status/" + workflow.id);
    out.string_array("agents", workflow.agents);
    out->EndObject();
    http::HttpResponse response = http::json_response(202, out.str());
    response.headers.emplace_back("Location", "/agents/status/" + workflow.id);
    return response;
}

void orchestrate(ApiContext& context, const http::HttpRequest& request, const http::Responder& responder) {
    rapidjson::Document body = read_json_body(request, "requests/orchestrate");
    auto claim = idempotency_claim(request, "POST " + request.path, 202);
    std::string request_id = request.request_id;
    Replay replay = replay_pipeline(context, request_id, workflow_accepted);
    if (answered_from_earlier(context, claim, request_id, responder, replay)) return;
    check_webhook_fields(body, context.webhooks);
    check_run_options(context, run_options_from(body));
    runs::DagRequest dag = dag_request_from(context, body);
    dag.tenant = request.principal.tenant;
    dag.key_id = request.principal.id;
    check_thread_owner(context, request, dag.thread_id);
    if (auto rejection = context.workflows->check(dag)) throw rejection_error(*rejection);
    dag.idempotency = claim;
    context.workflows->submit(dag, [&context, responder, request_id, claim, replay](
                                       const store::PipelineRecord& workflow, const std::string& error) {
        if (error.empty()) {
            responder.send(workflow_accepted(workflow));
        } else if (!answered_from_earlier(context, claim, request_id, responder, replay)) {
            responder.send(http::error_response(store_error(error), request_id));
        }
    });
}

void workflow_status(ApiContext& context, const http::HttpRequest& request, const http::Responder& responder) {
    std::string id = request.param("id");
    auto view = with_store([&] { return context.workflows->dag(id); });
    if (!view || !visible(request, view->pipeline.tenant))
        throw http::ApiError(404, "WorkflowNotFound", "no workflow with id '" + id + "'");
    JsonWriter out;
    write_workflow(out, *view);
    responder.send(http::json_response(200, out.str()));
}

}  // namespace

void add_orchestrate_routes(http::Router& router, ApiContext& context) {
    // /pipelines/{id} shows any pipeline this way, seed 004's included.
    for (const char* path : {"/agents/orchestrate", "/workflows", "/pipelines"})
        router.post(path, [&context](const http::HttpRequest& request, http::Responder responder) {
            orchestrate(context, request, responder);
        });
    for (const char* path : {"/agents/status/:id", "/workflows/:id", "/pipelines/:id"})
        router.get(path, [&context](const http::HttpRequest& request, http::Responder responder) {
            workflow_status(context, request, responder);
        });
}

}  // namespace agenthost::api
