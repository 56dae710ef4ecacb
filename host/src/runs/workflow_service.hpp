// Workflows: what a thread is doing and what waits for a person (seed 001's
// /workflow/status and /workflow/approve), and DAG pipelines whose steps
// start when the steps they need are done (seed 000's /agents/orchestrate).
#pragma once

#include "runs/run_service.hpp"

#include <optional>
#include <string>
#include <vector>

namespace agenthost::runs {

// What a person changes of a paused run's input before it runs again.
struct EditedInput {
    std::optional<std::string> task;
    std::optional<std::string> context_json;  // a JSON object
};

struct ApprovalDecision {
    bool approved = false;
    std::string approver;
    std::string comment;
    std::string run_id;  // empty: every run of the thread that waits
    // The answer to an interrupt (JSON text), checked against its schema.
    std::optional<std::string> resume_json;
    std::optional<EditedInput> input;
    // Only runs paused by an interrupt (POST .../resume): an approval is not
    // decided by it.
    bool interrupts_only = false;
};

struct DecisionOutcome {
    // ambiguous: an approval without a run_id, on a thread where runs of
    // separate requests wait (nothing decided; `runs` are those that wait).
    enum class Kind { decided, nothing_pending, thread_not_found, invalid, ambiguous } kind = Kind::decided;
    std::vector<store::RunRecord> runs;  // as they were before the decision
    std::optional<Rejection> rejection;   // invalid: why (422)
};

struct WorkflowStatus {
    std::string thread_id;
    std::vector<store::RunRecord> runs;  // the thread's active runs, else its latest
    // Every run of the thread, oldest first (its latest kWorkflowHistoryRuns):
    // what the answer lists, and whose approval decisions it gives.
    std::vector<store::RunRecord> thread_runs;
    std::vector<store::AuditEntry> approvals;  // approval decisions on the thread's runs, oldest first
};

inline constexpr size_t kWorkflowHistoryRuns = 100;

struct DagStep {
    std::string id;
    InvokeRequest request;  // agent, task, context, options
    std::vector<std::string> depends_on;
    // Pause the workflow before the step runs / after it succeeded.
    bool interrupt_before = false;
    bool interrupt_after = false;
};

struct DagRequest {
    std::string task;
    std::string thread_id;  // empty: a new thread, so the steps share a fresh memory
    std::vector<DagStep> steps;
    std::string webhook_url;
    std::string webhook_secret;
    std::optional<store::IdempotencyRecord> idempotency;
    int loop_max_iterations = 0;  // > 1: run the steps again until a final step says resolved
    std::string tenant;           // of the principal asking; the workflow and its runs belong to it
    std::string key_id;           // its key id or JWT subject (usage)
};

struct DagView {
    store::PipelineRecord pipeline;
    std::vector<store::RunRecord> runs;  // the current iteration's, by step
    std::vector<store::Dependency> dependencies;
};

class WorkflowService {
  public:
    WorkflowService(store::Store& store, RunService& runs, RunDispatcher& dispatcher, RunWaiters& waiters,
                    EventFeed& feed)
        : store_(store), runs_(runs), dispatcher_(dispatcher), waiters_(waiters), feed_(feed) {}

    std::optional<WorkflowStatus> status(const std::string& thread_id);
    DecisionOutcome decide(const std::string& thread_id, const ApprovalDecision& decision);

    // Step ids unique, dependencies known and acyclic, every agent usable.
    std::optional<Rejection> check(const DagRequest& request) const;
    void submit(const DagRequest& request, PipelineCommitted committed);
    std::optional<DagView> dag(const std::string& id);

  private:
    // Marks a step's run for its interrupt_before (it starts paused) and
    // interrupt_after (the dispatcher pauses it once it succeeded).
    void pause_step(store::RunRecord& run, const DagStep& step) const;
    // Why `decision` cannot be applied to `run` (an answer that misses its
    // schema, an edited input the agent refuses); nullopt when it can.
    std::optional<Rejection> check_decision(const store::RunRecord& run, const ApprovalDecision& decision) const;

    store::Store& store_;
    RunService& runs_;
    RunDispatcher& dispatcher_;
    RunWaiters& waiters_;
    EventFeed& feed_;
};

}  // namespace agenthost::runs
