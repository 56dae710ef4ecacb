#include "api/workflow_api.hpp"

#include "api/json_writer.hpp"
#include "api/request_body.hpp"
#include "api/run_json.hpp"
#include "api/tenancy.hpp"
#include "json/json_util.hpp"
#include "util/time_format.hpp"

namespace agenthost::api {
namespace {

// The phase a run is in, as the status answer names it.
std::string phase_of(const store::RunRecord& run) {
    if (run.status == store::run_status::pending_approval) return "awaiting_approval";
    if (run.status == store::run_status::running) return "executing";
    if (run.status == store::run_status::succeeded) return "completed";
    return run.status;  // queued, blocked, failed, cancelled
}

std::string workflow_state(const std::vector<store::RunRecord>& runs) {
    bool active = false;
    for (const auto& run : runs) {
        if (run.status == store::run_status::pending_approval) return "pending_approval";
        if (!store::run_status::is_terminal(run.status)) active = true;
    }
    if (active) return "in_progress";
    const store::RunRecord& last = runs.back();
    return last.status == store::run_status::succeeded ? "completed" : last.status;
}

http::HttpResponse status_response(const runs::WorkflowStatus& status) {
    // The run the answer is about: the first waiting for a person, else the
    // first still active, else the latest.
    const store::RunRecord* current = &status.runs.front();
    for (const auto& run : status.runs)
        if (run.status == store::run_status::pending_approval) {
            current = &run;
            break;
        }
    std::vector<const store::RunRecord*> pending;
    for (const auto& run : status.runs)
        if (run.status == store::run_status::pending_approval) pending.push_back(&run);

    JsonWriter out;
    out->StartObject();
    out.field("thread_id", status.thread_id);
    out.field("status", workflow_state(status.runs));
    out.field("current_phase", phase_of(*current));
    out.key("next_action");
    if (current->status == store::run_status::pending_approval) out.string("approve:" + current->agent);
    else if (!store::run_status::is_terminal(current->status)) out.string(current->agent);
    else out->Null();
    write_orchestration_fields(out, *current);  // supervisor_path, routing, options, approval, step
    out.field("run_id", current->id);
    out.key("approval_required");
    if (pending.empty()) out->Null();
    else write_approval(out, *pending.front());
    out.key("pending_approvals");
    out->StartArray();
    for (const auto* run : pending) write_approval(out, *run);
    out->EndArray();
    out.key("runs");
    out->StartArray();
    for (const auto& run : status.thread_runs.empty() ? status.runs : status.thread_runs) {
        out->StartObject();
        out.field("run_id", run.id);
        out.field("agent", run.agent);
        out.field("status", run.status);
        out.field("phase", phase_of(run));
        out->EndObject();
    }
    out->EndArray();
    out.key("approval_history");
    out->StartArray();
    for (const auto& entry : status.approvals) {
        out->StartObject();
        out.field("run_id", entry.run_id);
        out.field("action", entry.action);
        out.field("actor", entry.actor);
        out.field("comment", entry.detail);
        out.field("at", iso8601_ms(entry.at_ms));
        out->EndObject();
    }
    out->EndArray();
    out->EndObject();
    return http::json_response(200, out.str());
}

// Who decides: the authenticated principal, else the name the request
// gives (body, then X-Approver), else "api". A name claimed beside a
// principal is kept as a remark in the comment.
void set_decider(const http::HttpRequest& request, const rapidjson::Document& body, runs::ApprovalDecision& decision) {
    decision.comment = json::get_string(body, "comment");
    std::string named = json::get_string(body, "approver");
    if (named.empty()) named = request.header("x-approver");
    if (named.size() > 200) named.resize(200);
    if (request.principal.authenticated()) {
        decision.approver = request.principal.actor();
        if (!named.empty() && named != decision.approver)
            decision.comment = "(approver named in request: " + named + ")" +
                               (decision.comment.empty() ? "" : " " + decision.comment);
    } else {
        decision.approver = named.empty() ? "api" : named;
    }
}

// "resume" and "input" of an approve or resume body.
void read_answer(const rapidjson::Document& body, runs::ApprovalDecision& decision) {
    if (const rapidjson::Value* resume = json::get_member(body, "resume")) decision.resume_json = json::serialize(*resume);
    if (const rapidjson::Value* input = json::get_member(body, "input")) {
        runs::EditedInput edited;
        if (const rapidjson::Value* task = json::get_member(*input, "task")) edited.task = task->GetString();
        if (const rapidjson::Value* given = json::get_member(*input, "context")) edited.context_json = json::serialize(*given);
        decision.input = std::move(edited);
    }
}

// What a waiting run asks approval for: its agent and operation.
std::string approval_label(const store::RunRecord& run) {
    std::string error;
    auto approval = json::parse(run.approval_json, error);
    std::string operation = approval ? json::get_string(*approval, "operation") : "";
    return run.agent + (operation.empty() ? "" : " " + operation);
}

// 409 naming the runs that wait, so the caller picks one by run_id.
http::ApiError ambiguous_approval(const std::string& thread_id, const std::vector<store::RunRecord>& waiting) {
    std::string named;
    std::vector<http::ErrorDetail> details;
    for (const auto& run : waiting) {
        named += (named.empty() ? "" : ", ") + run.id + " (" + approval_label(run) + ")";
        details.push_back({"/run_id", run.id + " (" + approval_label(run) + ")"});
    }
    return http::ApiError(409, "AmbiguousApproval",
                          "runs of separate requests wait for approval on thread '" + thread_id + "': " + named +
                              "; approve one at a time with \"run_id\" (or reject them all)",
                          details);
}

runs::DecisionOutcome decide_visible(ApiContext& context, const http::HttpRequest& request, const std::string& thread_id,
                                     const runs::ApprovalDecision& decision) {
    if (!request.principal.sees_all_tenants()) {
        auto status = with_store([&] { return context.workflows->status(thread_id); });
        if (status && !status->runs.empty() && !visible(request, status->runs.front().tenant))
            throw http::ApiError(404, "ThreadNotFound", "no runs on thread '" + thread_id + "'");
    }
    runs::DecisionOutcome outcome = with_store([&] { return context.workflows->decide(thread_id, decision); });
    if (outcome.kind == runs::DecisionOutcome::Kind::invalid) throw rejection_error(*outcome.rejection);
    if (outcome.kind == runs::DecisionOutcome::Kind::ambiguous) throw ambiguous_approval(thread_id, outcome.runs);
    if (outcome.kind == runs::DecisionOutcome::Kind::thread_not_found)
        throw http::ApiError(404, "ThreadNotFound", "no runs on thread '" + thread_id + "'");
    return outcome;
}

void approve(ApiContext& context, const http::HttpRequest& request, const http::Responder& responder) {
    std::string thread_id = request.param("thread_id");
    rapidjson::Document body = read_json_body(request, "requests/workflow-approve");
    runs::ApprovalDecision decision;
    decision.approved = body["approved"].GetBool();
    decision.run_id = json::get_string(body, "run_id");
    set_decider(request, body, decision);
    read_answer(body, decision);
    runs::DecisionOutcome outcome = decide_visible(context, request, thread_id, decision);
    if (outcome.kind == runs::DecisionOutcome::Kind::nothing_pending)
        throw http::ApiError(409, "NoPendingApproval",
                             decision.run_id.empty()
                                 ? "nothing on thread '" + thread_id + "' waits for approval"
                                 : "run '" + decision.run_id + "' of thread '" + thread_id + "' does not wait for approval");
    JsonWriter out;
    out->StartObject();
    out.field("status", decision.approved ? "approved" : "rejected");
    out.field("thread_id", thread_id);
    std::string operations;
    for (const auto& run : outcome.runs) operations += (operations.empty() ? "" : ", ") + approval_label(run);
    out.field("message", decision.approved ? "approved; the run continues: " + operations
                                           : "rejected; the run ends: " + operations);
    out.field("approver", decision.approver);
    out.field("comment", decision.comment);
    out.key("runs");
    out->StartArray();
    for (const auto& run : outcome.runs) out.string(run.id);
    out->EndArray();
    out->EndObject();
    responder.send(http::json_response(200, out.str()));
}

// POST /threads/{id}/runs/{run_id}/resume: LangGraph's Command(resume=...)
// for one run paused by an interrupt; answers the run, queued again.
void resume(ApiContext& context, const http::HttpRequest& request, const http::Responder& responder) {
    std::string thread_id = request.param("id");
    std::string run_id = request.param("run_id");
    rapidjson::Document body = read_json_body(request, "requests/run-resume");
    store::RunRecord run = visible_run(context, request, run_id);
    if (run.thread_id != thread_id)
        throw http::ApiError(404, "RunNotFound", "run '" + run_id + "' is not on thread '" + thread_id + "'");
    runs::ApprovalDecision decision;
    decision.approved = true;
    decision.run_id = run_id;
    decision.interrupts_only = true;
    set_decider(request, body, decision);
    read_answer(body, decision);
    runs::DecisionOutcome outcome = decide_visible(context, request, thread_id, decision);
    if (outcome.kind == runs::DecisionOutcome::Kind::nothing_pending)
        throw http::ApiError(409, "RunNotInterrupted",
                             "run '" + run_id + "' does not wait on an interrupt (it is " + run.status +
                                 (run.status == store::run_status::pending_approval ? ", waiting for an approval: use "
                                                                                       "POST /workflow/approve/" + thread_id
                                                                                     : "") +
                                 ")");
    auto resumed = with_store([&] { return context.runs.find(run_id); });
    JsonWriter out;
    write_run(out, resumed ? *resumed : run);
    responder.send(http::json_response(200, out.str()));
}

}  // namespace

void add_workflow_routes(http::Router& router, ApiContext& context) {
    router.get("/workflow/status/:thread_id", [&context](const http::HttpRequest& request, http::Responder responder) {
        std::string thread_id = request.param("thread_id");
        auto status = with_store([&] { return context.workflows->status(thread_id); });
        if (!status || status->runs.empty() || !visible(request, status->runs.front().tenant))
            throw http::ApiError(404, "ThreadNotFound", "no runs on thread '" + thread_id + "'");
        responder.send(status_response(*status));
    });
    router.post("/workflow/approve/:thread_id", [&context](const http::HttpRequest& request, http::Responder responder) {
        approve(context, request, responder);
    });
    router.post("/threads/:id/runs/:run_id/resume", [&context](const http::HttpRequest& request, http::Responder responder) {
        resume(context, request, responder);
    });
    router.get("/runs/:id/audit", [&context](const http::HttpRequest& request, http::Responder responder) {
        std::string run_id = request.param("id");
        visible_run(context, request, run_id);
        auto trail = with_store([&] { return context.runs.audit_trail(run_id); });
        JsonWriter out;
        out->StartObject();
        out.field("run_id", run_id);
        out.key("entries");
        out->StartArray();
        for (const auto& entry : trail) {
            out->StartObject();
            out.field("action", entry.action);
            out.field("actor", entry.actor);
            out.field("detail", entry.detail);
            out.field("at", iso8601_ms(entry.at_ms));
            out->EndObject();
        }
        out->EndArray();
        out->EndObject();
        responder.send(http::json_response(200, out.str()));
    });
}

}  // namespace agenthost::api
