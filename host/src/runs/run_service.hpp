// Accepting, finding and cancelling runs, and seed 004's pipelines: the
// business side of the runs API. A run is committed before anyone is told
// it exists.
#pragma once

#include "plugins/agent_registry.hpp"
#include "runs/invocation.hpp"
#include "runs/run_dispatcher.hpp"
#include "runs/run_waiters.hpp"
#include "store/store.hpp"

#include <functional>
#include <optional>
#include <variant>

namespace agenthost::runs {

using Committed = std::function<void(const store::RunRecord& run, const std::string& error)>;
using PipelineCommitted = std::function<void(const store::PipelineRecord& pipeline, const std::string& error)>;

struct PipelineRequest {
    std::string text;
    std::string mode;  // sequential | parallel
    std::vector<std::string> agents;
    std::string webhook_url;
    std::string webhook_secret;
    std::optional<store::IdempotencyRecord> idempotency;
    std::string tenant;  // of the principal asking
    std::string key_id;  // its key id or JWT subject (usage)
};

struct PipelineView {
    store::PipelineRecord pipeline;
    std::vector<store::RunRecord> runs;  // by step
};

class RunService {
  public:
    RunService(store::Store& store, const plugins::AgentRegistry& registry, RunDispatcher& dispatcher,
               RunWaiters& waiters, EventFeed& feed, const RunSettings& settings)
        : store_(store),
          registry_(registry),
          dispatcher_(dispatcher),
          waiters_(waiters),
          feed_(feed),
          settings_(settings) {}

    // Checks the agent and the context against its input schema.
    std::optional<Rejection> check(const InvokeRequest& request) const;
    // What is worth saying about an acceptable request without refusing it:
    // context members the agent does not read that look like a misspelling
    // of one it does (runs/context_typos.hpp).
    std::vector<std::string> warnings(const InvokeRequest& request) const;

    // Queues a run; `committed` is called once it is durable (or with the
    // reason it could not be stored).
    void submit(const InvokeRequest& request, Committed committed);

    // The same, then `finished` once the run reaches a final state (or with
    // timed_out after the configured invoke timeout). The waiter is in place
    // before the run can start, so a fast run cannot finish unseen.
    void submit_and_wait(const InvokeRequest& request, Committed committed, RunWaiters::Callback finished);

    // `actor` is recorded in the audit trail.
    // With `rollback`, the cancelled run is also deleted and its thread
    // memory writes undone (at once when it never started, else in the
    // commit recording its end).
    store::CancelOutcome cancel(const std::string& run_id, const std::string& actor = "api", bool rollback = false);
    // Several at once, as one request: every cancel is recorded in one
    // commit before any run is told, and runs not yet executing here are
    // stopped before executing ones, so a run stopped early cannot free its
    // worker for a queued run of the same request. Outcomes in `run_ids`' order.
    std::vector<store::CancelOutcome> cancel_many(const std::vector<std::string>& run_ids, const std::string& actor,
                                                  bool rollback = false);
    // Runs submitted together in one transaction (POST /runs/batch): each
    // admitted on its thread as submit does; `committed` gets one entry per
    // request, in order, each the stored run or why it was refused (a busy
    // thread with multitask_strategy reject). A store failure refuses all.
    using BatchCommitted = std::function<void(const std::vector<std::pair<store::RunRecord, std::string>>& outcomes,
                                              const std::string& error)>;
    void submit_batch(const std::vector<InvokeRequest>& requests, BatchCommitted committed);
    // The run a cron's tick becomes, admitted and inserted in the caller's
    // transaction (the one that claims the tick). Returns "" or why the
    // thread refused it.
    std::string insert_in(soci::session& session, const InvokeRequest& request, store::RunRecord& run) const;
    // Once a transaction holding insert_in's runs committed: look for work.
    void wake() { dispatcher_.wake(); }
    // Deletes a finished run (false: not there or not finished).
    bool delete_finished(const std::string& run_id, const std::string& actor);

    std::optional<store::RunRecord> find(const std::string& run_id);
    store::RunPage list(const store::RunFilter& filter);
    std::vector<store::RunEvent> events(const std::string& run_id, long long after_seq, size_t limit);
    long long last_event_seq(const std::string& run_id);
    std::vector<store::AuditEntry> audit_trail(const std::string& run_id);

    // Queues one run per agent: all at once (parallel) or each after the one
    // before succeeded (sequential).
    std::optional<Rejection> check(const PipelineRequest& request) const;
    void submit(const PipelineRequest& request, PipelineCommitted committed);
    // Stores a pipeline and its step runs in one transaction (shared with
    // DAG workflows); `committed` as for a run.
    void store_pipeline(const store::PipelineRecord& pipeline, std::vector<store::RunRecord> steps,
                        PipelineCommitted committed, std::optional<store::IdempotencyRecord> idempotency = {});
    // Calls `finished` once the stored run `run_id` ends (at once when it
    // already has), or with timed_out after the invoke timeout: a retried
    // synchronous invoke waits for the run its first attempt created.
    void wait_for(const std::string& run_id, RunWaiters::Callback finished);
    // The stored Idempotency-Key record still inside its window.
    std::optional<store::IdempotencyRecord> find_idempotency(const std::string& scope, const std::string& key);
    std::optional<PipelineView> pipeline(const std::string& id);
    // Only `tenant`'s pipelines when it is given.
    store::PipelinePage pipelines(size_t offset, size_t limit, const std::string* tenant = nullptr);

    // Webhook deliveries of a run or processing request, each with its
    // attempts; and sending the newest one again (its id, or nullopt).
    std::vector<std::pair<store::WebhookDelivery, std::vector<store::WebhookAttempt>>> webhook_log(
        const std::string& source_id);
    std::optional<std::string> retry_webhook(const std::string& source_id);

    bool store_healthy() const { return store_.healthy(); }
    std::string store_write_problem() const { return store_.write_problem(); }
    EventFeed& feed() { return feed_; }
    // Runs executing past their agent's timeout (the plugin ignores
    // cancellation).
    std::vector<StuckRun> stuck_runs() const { return dispatcher_.stuck_runs(); }
    size_t executing() const { return dispatcher_.executing(); }

    // The run a request becomes (not yet stored): queued, or waiting for
    // approval when a trigger applies.
    store::RunRecord new_run(const InvokeRequest& request) const;

    const RunSettings& settings() const { return settings_; }

  private:
    // Stores the caller's Idempotency-Key for `resource_id` in the open
    // transaction (a retry racing this one makes it fail and roll back).
    void store_idempotency(soci::session& session, const std::optional<store::IdempotencyRecord>& idempotency,
                           const std::string& resource_id) const;

    store::Store& store_;
    const plugins::AgentRegistry& registry_;
    RunDispatcher& dispatcher_;
    RunWaiters& waiters_;
    EventFeed& feed_;
    const RunSettings& settings_;
};

}  // namespace agenthost::runs
