#include "runs/workflow_service.hpp"

#include "runs/approval_rules.hpp"
#include "runs/blocking.hpp"
#include "util/ids.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace agenthost::runs {
namespace {

Rejection invalid(const std::string& field, const std::string& message) {
    return Rejection{Rejection::Kind::invalid_request, field + ": " + message, {{field, message}}};
}

}  // namespace

std::optional<WorkflowStatus> WorkflowService::status(const std::string& thread_id) {
    const store::RunRepository& runs = store_.runs();
    return store_.read([&](soci::session& session) -> std::optional<WorkflowStatus> {
        WorkflowStatus status;
        status.thread_id = thread_id;
        status.runs = runs.active_on_thread(session, thread_id);
        if (status.runs.empty()) {
            auto latest = runs.latest_on_thread(session, thread_id);
            if (!latest) return std::nullopt;
            status.runs.push_back(*latest);
        }
        for (const auto& run : status.runs)
            for (auto& entry : runs.audit_trail(session, run.id))
                if (entry.action.rfind("approval.", 0) == 0) status.approvals.push_back(std::move(entry));
        return status;
    });
}

DecisionOutcome WorkflowService::decide(const std::string& thread_id, const ApprovalDecision& decision) {
    const store::RunRepository& runs = store_.runs();
    const store::PipelineRepository& pipelines = store_.pipelines();
    DecisionOutcome outcome;
    bool thread_known = false;
    store_.writes().run([&](soci::session& session) {
        outcome.runs.clear();
        thread_known = runs.latest_on_thread(session, thread_id).has_value();
        long long now = store::now_ms();
        for (const store::RunRecord& run : runs.active_on_thread(session, thread_id)) {
            if (run.status != store::run_status::pending_approval) continue;
            if (!decision.run_id.empty() && run.id != decision.run_id) continue;
            std::string approval =
                decided_approval(run.approval_json, decision.approved, decision.approver, decision.comment, now);
            if (!runs.decide_approval(session, run, decision.approved, decision.approver, decision.comment, approval))
                continue;
            if (!decision.approved && !run.pipeline_id.empty()) pipelines.settle(session, run.pipeline_id);
            outcome.runs.push_back(run);
        }
    });
    if (!thread_known) outcome.kind = DecisionOutcome::Kind::thread_not_found;
    else if (outcome.runs.empty()) outcome.kind = DecisionOutcome::Kind::nothing_pending;
    for (const store::RunRecord& run : outcome.runs) {
        feed_.notify(run.id);
        if (!decision.approved) {
            store::RunRecord ended = run;
            ended.status = store::run_status::cancelled;
            ended.error_type = "rejected";
            ended.error = "rejected by " + decision.approver;
            waiters_.finished(ended);
        }
    }
    if (!outcome.runs.empty()) dispatcher_.wake();
    return outcome;
}

std::optional<Rejection> WorkflowService::check(const DagRequest& request) const {
    std::map<std::string, size_t> index;
    for (size_t i = 0; i < request.steps.size(); ++i) {
        const DagStep& step = request.steps[i];
        std::string field = "/steps/" + std::to_string(i);
        if (!index.emplace(step.id, i).second) return invalid(field + "/id", "duplicate step id '" + step.id + "'");
    }
    for (size_t i = 0; i < request.steps.size(); ++i) {
        const DagStep& step = request.steps[i];
        for (size_t d = 0; d < step.depends_on.size(); ++d) {
            std::string field = "/steps/" + std::to_string(i) + "/depends_on/" + std::to_string(d);
            if (index.count(step.depends_on[d]) == 0)
                return invalid(field, "no step with id '" + step.depends_on[d] + "'");
            if (step.depends_on[d] == step.id) return invalid(field, "a step cannot depend on itself");
        }
        if (auto rejection = runs_.check(step.request)) {
            for (auto& violation : rejection->violations)
                violation.field = "/steps/" + std::to_string(i) + violation.field;
            rejection->message = "step '" + step.id + "': " + rejection->message;
            return rejection;
        }
    }
    // Kahn's algorithm: whatever never becomes ready sits on a cycle.
    std::map<std::string, size_t> waiting;
    std::map<std::string, std::vector<std::string>> dependants;
    for (const DagStep& step : request.steps) {
        waiting[step.id] = step.depends_on.size();
        for (const auto& dependency : step.depends_on) dependants[dependency].push_back(step.id);
    }
    std::vector<std::string> ready;
    for (const auto& [id, count] : waiting)
        if (count == 0) ready.push_back(id);
    size_t done = 0;
    while (!ready.empty()) {
        std::string id = ready.back();
        ready.pop_back();
        ++done;
        for (const auto& next : dependants[id])
            if (--waiting[next] == 0) ready.push_back(next);
    }
    if (done != request.steps.size()) {
        std::string cycle;
        for (const auto& [id, count] : waiting)
            if (count > 0) cycle += (cycle.empty() ? "" : ", ") + id;
        return invalid("/steps", "the dependencies form a cycle through: " + cycle);
    }
    return std::nullopt;
}

void WorkflowService::submit(const DagRequest& request, PipelineCommitted committed) {
    store::PipelineRecord pipeline;
    pipeline.id = new_uuid();
    pipeline.thread_id = request.thread_id.empty() ? new_uuid() : request.thread_id;
    pipeline.mode = "dag";
    pipeline.text = request.task;
    pipeline.status = "processing";
    pipeline.webhook_url = request.webhook_url;
    pipeline.webhook_secret = request.webhook_secret;
    pipeline.created_at_ms = store::now_ms();
    pipeline.loop_max_iterations = request.loop_max_iterations;
    pipeline.tenant = request.tenant;

    std::map<std::string, std::string> run_ids;
    std::vector<store::RunRecord> steps;
    for (size_t i = 0; i < request.steps.size(); ++i) {
        const DagStep& step = request.steps[i];
        pipeline.agents.push_back(step.request.agent_name);
        InvokeRequest invoke = step.request;
        invoke.thread_id = pipeline.thread_id;  // one thread: the steps share its memory
        invoke.tenant = request.tenant;
        invoke.key_id = request.key_id;
        store::RunRecord run = runs_.new_run(invoke);
        run.pipeline_id = pipeline.id;
        run.pipeline_step = static_cast<int>(i);
        run.step_key = step.id;
        if (request.loop_max_iterations > 1) run.pipeline_iteration = 1;
        run_ids[step.id] = run.id;
        steps.push_back(std::move(run));
    }
    for (size_t i = 0; i < request.steps.size(); ++i)
        for (const auto& dependency : request.steps[i].depends_on) block_on(steps[i], run_ids[dependency], "success");

    runs_.store_pipeline(pipeline, std::move(steps), std::move(committed), request.idempotency);
}

std::optional<DagView> WorkflowService::dag(const std::string& id) {
    const store::PipelineRepository& pipelines = store_.pipelines();
    const store::RunRepository& runs = store_.runs();
    return store_.read([&](soci::session& session) -> std::optional<DagView> {
        auto found = pipelines.find(session, id);
        if (!found) return std::nullopt;
        DagView view{*found, runs.pipeline_iteration(session, id, found->iteration), {}};
        std::set<std::string> current;
        for (const auto& run : view.runs) current.insert(run.id);
        for (auto& dependency : runs.pipeline_dependencies(session, id))
            if (current.count(dependency.run_id) > 0) view.dependencies.push_back(std::move(dependency));
        return view;
    });
}

}  // namespace agenthost::runs
