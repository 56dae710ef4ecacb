#include "runs/workflow_service.hpp"

#include "runs/approval_rules.hpp"
#include "runs/blocking.hpp"
#include "json/json_util.hpp"
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
        // The whole thread, not only what is active: a decision on an earlier
        // run of the thread (approved by someone else) is part of its history.
        store::RunFilter filter;
        filter.thread_id = thread_id;
        filter.limit = kWorkflowHistoryRuns;
        status.thread_runs = runs.list(session, filter).runs;  // newest first
        std::reverse(status.thread_runs.begin(), status.thread_runs.end());
        for (const auto& run : status.thread_runs)
            for (auto& entry : runs.audit_trail(session, run.id))
                if (entry.action.rfind("approval.", 0) == 0 || entry.action.rfind("interrupt.", 0) == 0)
                    status.approvals.push_back(std::move(entry));
        std::stable_sort(status.approvals.begin(), status.approvals.end(),
                         [](const store::AuditEntry& a, const store::AuditEntry& b) { return a.at_ms < b.at_ms; });
        return status;
    });
}

namespace {

bool step_pause(const std::string& approval_json) {
    std::string trigger = approval_trigger(approval_json);
    return trigger == "interrupt_before" || trigger == "interrupt_after";
}

// Whether `runs` came from more than one request: the steps of one
// workflow are one request, a run outside any workflow is its own.
bool separate_requests(const std::vector<store::RunRecord>& runs) {
    std::set<std::string> requests;
    for (const auto& run : runs) requests.insert(run.pipeline_id.empty() ? "run:" + run.id : "workflow:" + run.pipeline_id);
    return requests.size() > 1;
}

// The run.resumed event: who, the answer and what input changed.
std::string resumed_event(const ApprovalDecision& decision, bool answered) {
    rapidjson::Document data(rapidjson::kObjectType);
    auto& allocator = data.GetAllocator();
    data.AddMember("by", json::string_value(decision.approver, allocator), allocator);
    if (!decision.comment.empty()) data.AddMember("comment", json::string_value(decision.comment, allocator), allocator);
    std::string error;
    if (answered && decision.resume_json)
        if (auto value = json::parse(*decision.resume_json, error))
            data.AddMember("resume", rapidjson::Value(*value, allocator), allocator);
    rapidjson::Value edited(rapidjson::kArrayType);
    if (decision.input && decision.input->task) edited.PushBack("task", allocator);
    if (decision.input && decision.input->context_json) edited.PushBack("context", allocator);
    data.AddMember("input_edited", edited, allocator);
    return json::serialize(data);
}

}  // namespace

std::optional<Rejection> WorkflowService::check_decision(const store::RunRecord& run, const ApprovalDecision& decision) const {
    auto invalid_field = [](const std::string& field, const std::string& message) {
        return Rejection{Rejection::Kind::invalid_request, field + ": " + message, {{field, message}}};
    };
    if (!decision.approved) return std::nullopt;
    if (decision.input) {
        // The edited input must suit the agent as a new run's would.
        InvokeRequest edited;
        edited.agent_name = run.agent;
        edited.task = decision.input->task ? *decision.input->task : run.task;
        edited.context_json = decision.input->context_json ? *decision.input->context_json : run.context_json;
        if (auto rejection = runs_.check(edited)) {
            for (auto& violation : rejection->violations) violation.field = "/input" + violation.field;
            rejection->message = "input: " + rejection->message;
            return rejection;
        }
    }
    if (!is_interrupt(run.approval_json) || step_pause(run.approval_json)) return std::nullopt;
    if (!decision.resume_json) {
        if (decision.input) return std::nullopt;  // asked again, with the new input
        return invalid_field("/resume", "run '" + run.id + "' waits for an answer to its interrupt: send \"resume\" (or an edited \"input\")");
    }
    std::string error;
    auto value = json::parse(*decision.resume_json, error);
    if (!value) return invalid_field("/resume", "is not JSON: " + error);
    auto violations = check_resume(run.approval_json, *value);
    if (violations.empty()) return std::nullopt;
    return Rejection{Rejection::Kind::invalid_request,
                     "resume does not answer the interrupt of run '" + run.id + "': " + json::describe(violations),
                     violations};
}

DecisionOutcome WorkflowService::decide(const std::string& thread_id, const ApprovalDecision& decision) {
    const store::RunRepository& runs = store_.runs();
    const store::PipelineRepository& pipelines = store_.pipelines();
    DecisionOutcome outcome;
    bool thread_known = false;
    bool ambiguous = false;
    store_.writes().run([&](soci::session& session) {
        outcome.runs.clear();
        outcome.rejection.reset();
        ambiguous = false;
        thread_known = runs.latest_on_thread(session, thread_id).has_value();
        long long now = store::now_ms();
        std::vector<store::RunRecord> waiting;
        for (const store::RunRecord& run : runs.active_on_thread(session, thread_id)) {
            if (run.status != store::run_status::pending_approval) continue;
            if (!decision.run_id.empty() && run.id != decision.run_id) continue;
            if (decision.interrupts_only && !is_interrupt(run.approval_json)) continue;
            waiting.push_back(run);
        }
        // One approval is for what one person looked at: runs of separate
        // requests (a project's apply and its destroy share its thread) are
        // approved one by one, by run_id. Rejecting them all starts nothing.
        if (decision.approved && decision.run_id.empty() && separate_requests(waiting)) {
            outcome.runs = waiting;
            ambiguous = true;
            return;
        }
        // Every answer is checked before any is recorded: all or nothing.
        for (const store::RunRecord& run : waiting)
            if (auto rejection = check_decision(run, decision)) {
                outcome.rejection = std::move(rejection);
                return;
            }
        for (const store::RunRecord& run : waiting) {
            bool interrupt = is_interrupt(run.approval_json);
            bool resumed = decision.approved && (interrupt || decision.input);
            bool decided = false;
            if (resumed) {
                // A step's pause keeps no answer: the agent never asked.
                bool answered = interrupt && !step_pause(run.approval_json);
                std::optional<std::string> answer = answered ? decision.resume_json : std::nullopt;
                std::string approval =
                    interrupt ? resumed_approval(run.approval_json, decision.approver, decision.comment, answer, now)
                              : decided_approval(run.approval_json, true, decision.approver, decision.comment, now);
                std::optional<std::string> task, context;
                if (decision.input) task = decision.input->task, context = decision.input->context_json;
                decided = runs.resume_interrupt(session, run, decision.approver, approval,
                                                resumed_event(decision, answered), task, context,
                                                interrupt ? "interrupt.resumed" : "approval.granted");
            } else {
                std::string approval =
                    decided_approval(run.approval_json, decision.approved, decision.approver, decision.comment, now);
                decided = runs.decide_approval(session, run, decision.approved, decision.approver, decision.comment, approval);
            }
            if (!decided) continue;
            if (!decision.approved && !run.pipeline_id.empty()) pipelines.settle(session, run.pipeline_id);
            outcome.runs.push_back(run);
        }
    });
    if (outcome.rejection) {
        outcome.kind = DecisionOutcome::Kind::invalid;
        return outcome;
    }
    if (ambiguous) {
        outcome.kind = DecisionOutcome::Kind::ambiguous;
        return outcome;
    }
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

void WorkflowService::pause_step(store::RunRecord& run, const DagStep& step) const {
    double timeout = step.request.options.approval_timeout_seconds >= 0 ? step.request.options.approval_timeout_seconds
                                                                         : runs_.settings().approval_timeout_seconds;
    std::string error;
    if (step.interrupt_before && run.approval_json.empty()) {
        run.approval_json = step_interrupt(run.agent, run.task, step.id, "interrupt_before", timeout);
        run.approval_state = store::approval_state::pending;
        run.status = store::run_status::pending_approval;
        run.approval_expires_at_ms = store::approval_deadline(run.approval_json, run.created_at_ms);
    }
    // (A step that needs an approval already waits for a person before it
    // runs: that gate is its pause before.)
    if (!step.interrupt_after) return;
    auto approval = json::parse(run.approval_json.empty() ? "{}" : run.approval_json, error);
    auto& allocator = approval->GetAllocator();
    approval->AddMember("interrupt_after", true, allocator);
    if (!approval->HasMember("step")) approval->AddMember("step", json::string_value(step.id, allocator), allocator);
    if (!approval->HasMember("timeout_seconds") && timeout > 0) approval->AddMember("timeout_seconds", timeout, allocator);
    run.approval_json = json::serialize(*approval);
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
        if (step.interrupt_before || step.interrupt_after) pause_step(run, step);
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
