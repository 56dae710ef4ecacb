// Moves queued runs to the workers: claims them from the store (as many as
// there are free workers), executes them through their agent, records the
// outcome under the claim's fencing token, keeps the leases of running runs
// alive, and takes over runs whose host died.
#pragma once

#include "llm/llm_client.hpp"
#include "plugins/agent_registry.hpp"
#include "plugins/run_context.hpp"
#include "runs/event_feed.hpp"
#include "runs/run_execution.hpp"
#include "runs/run_settings.hpp"
#include "runs/run_waiters.hpp"
#include "runs/start_log.hpp"
#include "runs/worker_pool.hpp"
#include "store/store.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <set>
#include <mutex>
#include <thread>

namespace agenthost::runs {

// A run still executing in its agent well past its timeout: the plugin
// ignores cancellation, and in process it cannot be killed, so it is
// reported (/health, /plugins) instead.
struct StuckRun {
    std::string run_id;
    std::string agent;
    double running_seconds = 0;
    double timeout_seconds = 0;
};

class RunDispatcher {
  public:
    RunDispatcher(store::Store& store, const plugins::AgentRegistry& registry, WorkerPool& workers,
                  RunWaiters& waiters, EventFeed& feed, RunSettings settings, llm::LlmClient* llm = nullptr);
    ~RunDispatcher();

    // Recovers what a previous process left running (SQLite) and starts
    // claiming.
    void start();
    // Stops claiming, lets running runs finish and record their outcome.
    void stop();
    // New queued work was committed: look now rather than at the next poll.
    void wake();
    // Local hand-off: a run about to be accepted by this host can skip the
    // queue and the claim when this host has room for it and no older
    // queued run waits (it would be overtaken). A free worker starts it at
    // once (`worker`: its run.started rides on the accepting commit); else,
    // while fewer runs are in flight here than a claim would prefetch, it
    // waits on this host's worker queue like a run claimed ahead
    // (`prefetch`: its worker writes run.started when it really starts).
    // Either way the run is inserted claimed by this host (stamp_started),
    // with its attempt and lease in the accepting commit, and reaches its
    // worker through hand_off; a slot not used is given back by release.
    enum class Slot { none, worker, prefetch };
    Slot reserve(const std::string& agent);
    // Makes `run` (queued) claimed by this host and started: the fields the
    // accepting insert writes.
    void stamp_started(store::RunRecord& run) const;
    void hand_off(store::ClaimedRun run);
    void release();
    // A run was queued in the store rather than handed off: claim before
    // handing off again.
    void note_backlog() { backlog_ = true; }

    // Tells a run executing here that it was cancelled. A run claimed here
    // but still waiting for a worker never starts: it is recorded cancelled
    // at once and true is returned once that is committed.
    bool cancel_local(const std::string& run_id);
    // True while the run executes in its agent on a worker here.
    bool is_executing(const std::string& run_id) const {
        std::lock_guard<std::mutex> lock(mutex_);
        return active_.count(run_id) > 0;
    }

    size_t running() const { return in_flight_.load(); }
    // Runs executing in their agent now.
    size_t executing() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return active_.size();
    }
    // Runs past their agent's timeout plus a grace period, still executing.
    std::vector<StuckRun> stuck_runs() const;
    // "agent/run_id, ..." of the runs executing in their agent now.
    std::string executing_summary() const;
    const RunSettings& settings() const { return settings_; }
    // After a reload: the agents this host claims runs for, and their
    // timeouts (agent name -> ms; others get runs.agent_timeout_seconds).
    // Runs executing keep the timeout they started with.
    void set_agents(std::vector<std::string> agents, std::map<std::string, long long> timeouts_ms);

  private:
    // SQLite: every run left 'running' by a process that died is queued
    // again (or failed when out of attempts). False when the database
    // refused the write (a full disk).
    bool recover_left_running();
    std::atomic<bool> recovery_pending_{false};
    void claim_loop();
    void maintenance_loop();
    void maintain();
    // Pending approvals past their deadline are rejected by "timeout".
    void expire_approvals(long long now);
    std::vector<std::string> held_runs();
    void execute(const std::string& run_id);
    // Records the outcome with `held` (the events the run's services still
    // held) and its final events, in one commit.
    void finish(store::RunRecord run, long long next_seq, std::function<void(bool)> recorded = nullptr,
                std::vector<store::RunEvent> held = {});
    // What finish does once the outcome's fate is known (`completed`: the
    // claim held and it was written).
    store::CommitQueue::Done finished_callback(store::RunRecord run, long long next_seq,
                                               std::vector<store::RunEvent> held, std::shared_ptr<bool> completed,
                                               std::function<void(bool)> recorded);
    // Cancels, through the SDK, runs that have executed longer than their
    // agent's timeout.
    void enforce_timeouts();

    // A run executing in its agent on a worker.
    struct ActiveRun {
        plugins::RunContext* context = nullptr;
        StoredRunServices* services = nullptr;  // its held events are flushed by maintenance
        std::string agent;
        std::chrono::steady_clock::time_point started;
        long long timeout_ms = 0;  // 0: none
        bool timed_out = false;
    };

    store::Store& store_;
    const plugins::AgentRegistry& registry_;
    WorkerPool& workers_;
    RunWaiters& waiters_;
    EventFeed& feed_;
    RunSettings settings_;
    StartLog start_log_;  // which claimed runs reached their plugin (start_log.hpp)
    llm::LlmClient* llm_;  // null: no LLM critique
    std::vector<std::string> agents_;                  // guarded by mutex_
    std::map<std::string, long long> agent_timeouts_;  // guarded by mutex_
    long long agent_timeout_for(const std::string& agent) const;  // caller holds mutex_

    mutable std::mutex mutex_;
    // The claimer (and stop) wait on wake_; it is signalled only when the
    // claimer would act (claim_wanted), not at every run's end: a futile
    // wake is a context switch per run. The maintenance loop has its own.
    std::condition_variable wake_;
    std::condition_variable maintenance_wake_;
    bool woken_ = false;
    bool stopping_ = false;
    bool maintenance_done_ = false;
    std::atomic<size_t> in_flight_{0};
    // Queued runs may be waiting in the store (until a claim comes back
    // short); hand-offs wait for them.
    std::atomic<bool> backlog_{true};
    // Runs this host holds at most (claimed ahead or taken as accepted, not
    // yet done): a claim's prefetch per worker, but no more than the
    // operator's workers.queue_limit.
    size_t capacity() const {
        return std::max<size_t>(1, std::min(workers_.threads() * settings_.prefetch_per_worker, settings_.max_held_runs));
    }
    // Claims are batched: once the prefetched runs drain to half, not after
    // every completion (a claim is a commit).
    size_t low_water() const { return std::max<size_t>(1, capacity() / 2); }
    // What the claimer waits for (caller holds mutex_).
    bool claim_wanted() const { return stopping_ || (woken_ && in_flight_.load() < low_water()); }
    // Puts a claimed run on a worker (false: the pool is stopping).
    bool dispatch(store::ClaimedRun run, bool reserved = false);
    // Runs given to the worker pool and not yet done executing (in_flight_
    // also counts those whose outcome is still being written): below the
    // pool's size, a worker is free.
    std::atomic<size_t> on_workers_{0};
    std::map<std::string, ActiveRun> active_;
    std::map<std::string, store::ClaimedRun> waiting_;  // claimed here, not yet on a worker
    // Cancels that arrived while the run was in neither map (id -> when).
    std::map<std::string, long long> early_cancels_;
    void mark_cancelled_unstarted(store::RunRecord& run, bool start_recorded = false);
    // Finished here, outcome being written, or waiting to be written again
    // after the database failed: the result is kept, not re-run.
    struct Outcome {
        store::RunRecord run;
        long long next_seq = 0;
        std::vector<store::RunEvent> held;
    };
    std::set<std::string> finishing_;
    std::map<std::string, Outcome> unrecorded_;
    std::thread claimer_, maintainer_;
    long long last_sweep_ms_ = 0;
};

}  // namespace agenthost::runs
