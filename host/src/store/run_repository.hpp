// The SQL for runs, their events, thread memory and the audit trail. Every
// function takes the session to run on, so writes compose inside one
// CommitQueue transaction and reads use a pooled session.
#pragma once

#include "store/database.hpp"
#include "store/records.hpp"
#include "store/thread_repository.hpp"
#include "store/usage_repository.hpp"
#include "store/webhook_repository.hpp"

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace agenthost::store {

// When an approval asked for at `now` is rejected automatically: its
// "timeout_seconds" later (0: never).
long long approval_deadline(const std::string& approval_json, long long now);

// Why a run's host died, when that host said so before it went (the crash
// journal). `faulting`: the run's own plugin code raised the fatal signal.
struct HostCrash {
    std::string description;
    bool faulting = false;
};

enum class CancelOutcome { cancelled, requested, already_finished, not_found };

class RunRepository {
  public:
    explicit RunRepository(Dialect dialect);
    ~RunRepository();

    // Inserts the run (and its thread when new) plus its run.queued event.
    // A run inserted `running` (attempts, fencing token, lease and
    // started_at set) was handed to a worker of this host as it was
    // accepted: its run.started event is written too.
    void insert(soci::session& session, const RunRecord& run) const;
    // The same, written with the other runs queued in this transaction by
    // one multi-row statement per table at flush_queued (which the commit
    // queue calls before any write that may read them, and before commit).
    // A run with dependencies is inserted at once. A run inserted
    // `running` gets its run.started event with it when `start_recorded`;
    // otherwise (claimed by this host, waiting for a worker) its worker
    // writes it when the run really starts.
    void queue_insert(soci::session& session, const RunRecord& run, bool start_recorded = true) const;
    // complete(run) and, when it took, append_events(events) and the
    // release of its dependants, written with the other outcomes queued in
    // this transaction by one multi-row UPDATE (and their events by one
    // INSERT) at flush_queued. `*taken` says, after the flush, whether the
    // claim still held. For runs whose end needs nothing more in the same
    // transaction (no pipeline to settle, no on_completion to carry out).
    void queue_complete(soci::session& session, const RunRecord& run, std::vector<RunEvent> events,
                        std::shared_ptr<bool> taken) const;
    // append_event(event, fencing_token) for each, in order, at
    // flush_queued: a running run's progress (its run.started when it was
    // claimed) then no longer ends the batching of the outcomes queued
    // around it (a write that is not queued flushes what is).
    void queue_fenced_events(soci::session& session, const std::vector<RunEvent>& events, long long fencing_token) const;
    void flush_queued(soci::session& session) const;
    // Forgets what was queued (a transaction begins again).
    void discard_queued(soci::session& session) const;

    // Appends an event; with a fencing token, only while the caller still
    // holds the run's lease (a fenced-out worker's events are dropped).
    void append_event(soci::session& session, const RunEvent& event, long long fencing_token = -1) const;
    // Appends `first`, then `then`, unfenced, in as few statements as
    // possible: for the writer that just proved its claim in the same
    // transaction (complete).
    void append_events(soci::session& session, const std::vector<RunEvent>& first,
                       const std::vector<RunEvent>& then = {}) const;
    // Appends an event after the run's last one (for writers that do not own
    // the run's sequence: cancellation, lease expiry).
    void append_next_event(soci::session& session, const std::string& run_id, const std::string& type,
                           const std::string& data_json) const;

    // Claims up to `limit` queued runs for `owner`: running, a new fencing
    // token, a lease until `lease_until_ms`, and started: the attempt is
    // counted in the same commit, before any plugin code sees the run (its
    // run.started event is written by the worker that starts it). A claimed run may still wait briefly for
    // a worker (the host claims a few ahead), so a host that dies may have
    // counted an attempt for a run it never called; that is bounded by
    // runs.prefetch_per_worker and costs an attempt, never a run.
    // Only runs of `agents` (those loaded on this host) are claimed.
    std::vector<ClaimedRun> claim(soci::session& session, const std::string& owner, long long lease_until_ms,
                                  size_t limit, const std::vector<std::string>& agents) const;
    // Extends the leases of `held`, the runs `owner` still works on; returns
    // those whose cancellation was requested (possibly through another host).
    std::vector<std::string> renew_leases(soci::session& session, const std::string& owner,
                                          const std::vector<std::string>& held, long long lease_until_ms) const;
    // Queues a running run again, keeping its attempt count, iff the claim
    // still holds (run.fencing_token): its attempt failed in a way worth
    // another try (its plugin runner crashed). `reason` goes to run.requeued.
    bool requeue(soci::session& session, const RunRecord& run, const std::string& reason) const;
    // Records `run`'s outcome (status, result, error, error_type,
    // finished_at_ms) iff it is still running under run.fencing_token.
    // With `has_dependants`, also says whether any run was made to wait for
    // this one (then release_dependants has work to do).
    bool complete(soci::session& session, const RunRecord& run, bool* has_dependants = nullptr) const;
    // `run_id` just ended with `status`: the blocked runs waiting on it are
    // queued once nothing else holds them (or asked for approval when they
    // need it), or failed when they needed it to succeed, which cascades to
    // their own dependants.
    void release_dependants(soci::session& session, const std::string& run_id, const std::string& status) const;
    // A looping workflow whose iteration succeeded with no final step's
    // result `resolved`: its steps are queued again as the next iteration.
    // False when it is not looping, not finished, failed, resolved or out of
    // iterations (then settle it).
    bool continue_pipeline_loop(soci::session& session, const std::string& pipeline_id,
                                const std::function<bool(const std::string& result_json)>& resolved) const;
    // The runs of one iteration of a pipeline, by step.
    std::vector<RunRecord> pipeline_iteration(soci::session& session, const std::string& pipeline_id,
                                              int iteration) const;
    // Marks every run of the pipeline that another waits for. Needed after
    // inserting a pipeline's runs: a step may be listed (and inserted) before
    // the step it depends on.
    void mark_dependency_targets(soci::session& session, const std::string& pipeline_id) const;
    // Every dependency between the runs of a pipeline.
    std::vector<Dependency> pipeline_dependencies(soci::session& session, const std::string& pipeline_id) const;

    // Approvals. A running run the plugin paused: pending_approval under its
    // fencing token, with `run.approval_json` and its expiry. False when the
    // claim was lost.
    // `event_type` is the event recorded: approval.requested, or
    // run.interrupted for an interrupt (audited as interrupt.requested).
    bool pause_for_approval(soci::session& session, const RunRecord& run,
                            const std::string& event_type = "approval.requested") const;
    // Records a person's (or the timeout's) decision on a pending run:
    // approved runs are queued again, rejected ones end cancelled
    // (error_type rejected) and their dependants fail. `approval_json` is
    // the request with the decision. False when the run was not pending.
    bool decide_approval(soci::session& session, const RunRecord& run, bool approved, const std::string& actor,
                         const std::string& comment, const std::string& approval_json) const;
    // Resumes a run paused by an interrupt: queued again with
    // `approval_json` (the answer appended), and, when the person edited the
    // input, the new task and context. Records run.resumed and run.queued
    // and the audit entry. False when the run was not pending.
    // `audit_action`: interrupt.resumed, or approval.granted for an approval
    // granted with an edited input.
    bool resume_interrupt(soci::session& session, const RunRecord& run, const std::string& actor,
                          const std::string& approval_json, const std::string& resumed_event_json,
                          const std::optional<std::string>& task, const std::optional<std::string>& context_json,
                          const std::string& audit_action = "interrupt.resumed") const;
    // Pending approvals whose deadline passed.
    std::vector<RunRecord> expired_approvals(soci::session& session, long long now) const;

    // Runs of a thread that have not ended, oldest first. With `lock` (for a
    // writer that will make a run wait on them) PostgreSQL locks their rows:
    // a completion racing it then commits after the dependency does and its
    // release sees it, or before, and they are no longer active.
    std::vector<RunRecord> active_on_thread(soci::session& session, const std::string& thread_id,
                                            bool lock = false) const;
    // The thread's active runs no other active run waits for: the ends of
    // its queue, which a newly enqueued run waits for. (Not "the newest":
    // creation times tie within a millisecond across hosts.)
    std::vector<std::string> queue_tails(soci::session& session, const std::string& thread_id) const;
    // The thread's most recent run.
    std::optional<RunRecord> latest_on_thread(soci::session& session, const std::string& thread_id) const;
    // What people and recovery did to a run, oldest first.
    std::vector<AuditEntry> audit_trail(soci::session& session, const std::string& run_id) const;

    CancelOutcome cancel(soci::session& session, const std::string& run_id, const std::string& actor) const;

    // Runs whose lease ran out (their host died): queued again with their
    // attempt count kept, failed once attempts are used up (`poison` when
    // `crashes` says their own plugin code killed the host, `abandoned`
    // otherwise), cancelled when a cancel was requested before the host
    // died. With `reached_plugin` (the ids the dead host's start log holds),
    // a run not in it was claimed ahead and never started: it is queued
    // again with its attempt given back, unless that attempt's run.started
    // is on record (a run handed off as it was accepted); a run in it whose
    // run.started never reached the database (its worker does not wait for
    // that commit) gets it written here, so every counted attempt has its
    // start. Returns (run id, new status).
    std::vector<std::pair<std::string, std::string>> recover_expired(
        soci::session& session, long long now, bool all_running,
        const std::map<std::string, HostCrash>& crashes = {},
        const std::set<std::string>* reached_plugin = nullptr) const;

    // Deletes finished runs (and their events) older than `before_ms`.
    size_t delete_finished_before(soci::session& session, long long before_ms) const;
    // Deletes one finished run with its events and dependency edges (its
    // audit entries stay: they record what happened). False when the run is
    // not there or not finished (checked in the same statement).
    bool delete_finished(soci::session& session, const std::string& run_id, const std::string& actor) const;

    // Run options kept beside the insert (run_completion.cpp): a delayed
    // run's not-before time and what happens to it once it ends. Written in
    // the inserting transaction, after the run's row (flushing the batch).
    void store_schedule(soci::session& session, const RunRecord& run) const;
    // A cancel with action rollback: the run is deleted once it has ended
    // and its thread memory writes are undone (settle_completion).
    void mark_rollback(soci::session& session, const std::string& run_id) const;
    // An ended run whose on_completion is delete or rollback: rollback
    // first undoes the memory writes the run made (its checkpoint rows go,
    // and the thread's memory is rebuilt from those left), then the run
    // goes with its events. False when the run is not there, has not ended
    // or is to be kept. Exactly once across hosts: the delete is conditional.
    bool settle_completion(soci::session& session, const std::string& run_id, const std::string& actor) const;
    // Ended runs with an on_completion still to settle (their host settled
    // them in the completing commit unless it died or the run ended by
    // another path: cancelled while queued, failed by a dependency).
    std::vector<std::string> ended_to_settle(soci::session& session, size_t limit) const;

    void audit(soci::session& session, const std::string& run_id, const std::string& pipeline_id,
               const std::string& action, const std::string& actor, const std::string& detail) const;

    std::optional<RunRecord> find(soci::session& session, const std::string& run_id) const;
    RunPage list(soci::session& session, const RunFilter& filter) const;
    // The number of the run's last event (0 when it has none).
    long long last_event_seq(soci::session& session, const std::string& run_id) const;
    std::vector<RunEvent> events(soci::session& session, const std::string& run_id, long long after_seq,
                                 size_t limit) const;

    std::optional<std::string> memory_get(soci::session& session, const std::string& thread_id,
                                          const std::string& key) const;
    // A plugin's write (or another writer's, named by `author`): one
    // checkpoint of the thread (ThreadRepository::record_writes); returns
    // its number.
    long long memory_put(soci::session& session, const std::string& thread_id, const std::string& key,
                         const std::string& value_json, const CheckpointAuthor& author = {}) const;

    // The hot writes (a run's insert, its events, its completion) run as
    // statements prepared once per session; they must be dropped before
    // their session closes.
    void forget_session(const soci::session* session) const;
    void forget_all_sessions() const;

    // Where the runs that end are counted (flushed before each commit).
    const UsageRepository& usage() const { return usage_; }
    // Threads as a resource, their memory and its checkpoints.
    const ThreadRepository& threads() const { return threads_; }

  private:
    struct HotStatements;
    HotStatements& hot(soci::session& session) const;
    std::vector<RunEvent> first_events(const RunRecord& run, bool start_recorded = true) const;
    // Whether every attempt the run has counted has its run.started event.
    bool start_on_record(soci::session& session, const RunRecord& run) const;

    // Every path that ends a run comes here: a finished run with a
    // webhook_url gets its delivery queued in the same transaction as its
    // outcome, and every finished run's usage is noted for the rollups.
    void queue_webhook(soci::session& session, const RunRecord& run, const std::string& status) const;

    Dialect dialect_;
    WebhookRepository webhooks_;
    UsageRepository usage_;
    ThreadRepository threads_;
    mutable std::mutex hot_mutex_;
    mutable std::map<const soci::session*, std::unique_ptr<HotStatements>> hot_;
};

}  // namespace agenthost::store
