#include "runs/run_dispatcher.hpp"

#include "exec/workspace.hpp"
#include "isolation/crash_journal.hpp"
#include "metrics/host_metrics.hpp"
#include "telemetry/host_spans.hpp"
#include "isolation/fatal_signal_handler.hpp"
#include "runs/agent_execution.hpp"
#include "runs/approval_rules.hpp"
#include "runs/run_execution.hpp"
#include "util/log.hpp"

#include <agenthost/abi.h>

#include <algorithm>
#include <future>
#include <optional>
#include <set>
#include <sstream>

namespace agenthost::runs {
namespace {

// How long past its timeout a cancelled run may take to stop before it
// counts as stuck.
constexpr long long kCancelGraceMs = 2000;

// "1.5 s" for 1500.
std::string seconds_text(long long ms) {
    std::ostringstream out;
    out << static_cast<double>(ms) / 1000.0 << " s";
    return out.str();
}

// Maps the plugin's status to the run's final state.
void apply_outcome(store::RunRecord& run, const plugins::InvokeOutcome& outcome) {
    switch (outcome.status) {
        case AGENTHOST_OK:
            run.status = store::run_status::succeeded;
            run.result_json = outcome.result_json;
            return;
        case AGENTHOST_ERROR_CANCELLED:
            run.status = store::run_status::cancelled;
            run.error = outcome.error.empty() ? "cancelled" : outcome.error;
            run.error_type = "cancelled";
            return;
        case AGENTHOST_ERROR_INVALID_INPUT:
            run.status = store::run_status::failed;
            run.error = outcome.error;
            run.error_type = "invalid_input";
            return;
        default:
            run.status = store::run_status::failed;
            run.error = outcome.error;
            run.error_type = outcome.error_type.empty() ? "agent_error" : outcome.error_type;
    }
}

}  // namespace

RunDispatcher::RunDispatcher(store::Store& store, const plugins::AgentRegistry& registry, WorkerPool& workers,
                             RunWaiters& waiters, EventFeed& feed, RunSettings settings, llm::LlmClient* llm)
    : store_(store),
      registry_(registry),
      workers_(workers),
      waiters_(waiters),
      feed_(feed),
      settings_(std::move(settings)),
      start_log_(settings_.start_log_path),
      llm_(llm) {
    for (const auto& agent : registry_.loaded_agents()) agents_.push_back(agent->name());
    agent_timeouts_ = settings_.agent_timeout_overrides_ms;
}

void RunDispatcher::set_agents(std::vector<std::string> agents, std::map<std::string, long long> timeouts_ms) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        agents_ = std::move(agents);
        agent_timeouts_ = std::move(timeouts_ms);
    }
    wake();  // runs queued for a newly enabled agent need not wait for the poll
}

long long RunDispatcher::agent_timeout_for(const std::string& agent) const {
    auto found = agent_timeouts_.find(agent);
    return found == agent_timeouts_.end() ? settings_.agent_timeout_ms : found->second;
}

RunDispatcher::~RunDispatcher() { stop(); }

bool RunDispatcher::recover_left_running() {
    // Embedded SQLite has one host: whatever is 'running' was left by a
    // previous process of ours that died. What its fatal-signal handler
    // wrote tells a run that killed it (poison) from its bystanders.
    std::map<std::string, store::HostCrash> crashes;
    for (const auto& [id, record] : isolation::read_crash_journal(settings_.crash_journal_path))
        crashes[id] = {isolation::describe_crash(record), record.faulting};
    // Runs claimed ahead that never reached their plugin get their attempt
    // back; without a log every left-running run is charged.
    std::set<std::string> started = start_log_.read();
    const std::set<std::string>* reached_plugin = start_log_.enabled() ? &started : nullptr;
    std::vector<std::pair<std::string, std::string>> recovered;
    const store::RunRepository& runs = store_.runs();
    try {
        store_.writes().run([&](soci::session& session) {
            recovered = runs.recover_expired(session, store::now_ms(), true, crashes, reached_plugin);
        });
    } catch (const store::StoreUnavailable&) {
        return false;  // the journal stays for the next try
    }
    isolation::clear_crash_journal(settings_.crash_journal_path);
    start_log_.clear();
    for (const auto& [id, status] : recovered) {
        auto crash = crashes.find(id);
        log::warn("run recovered after restart",
                  {{"run_id", id},
                   {"status", status},
                   {"cause", crash == crashes.end() ? "the host stopped" : crash->second.description}});
    }
    return true;
}

void RunDispatcher::start() {
    if (settings_.recover_all_running_at_start && !recover_left_running()) {
        // A full disk: start anyway and serve reads; writes answer 503, and
        // nothing is claimed until the recovery has been written.
        recovery_pending_ = true;
        log::warn("starting read-only: the runs left running could not be recovered (the database refuses writes); "
                  "retrying until it accepts them",
                  {{"problem", store_.write_problem()}});
    }
    claimer_ = std::thread([this] { claim_loop(); });
    maintainer_ = std::thread([this] { maintenance_loop(); });
}

void RunDispatcher::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (stopping_) return;
        stopping_ = true;
    }
    wake_.notify_all();
    if (claimer_.joinable()) claimer_.join();
    {
        // Workers finish the runs already claimed (the caller stops the pool
        // afterwards); leases are kept alive meanwhile. Outcomes the database
        // refused get a few seconds more to be written.
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [this] { return in_flight_.load() == unrecorded_.size(); });
        wake_.wait_for(lock, std::chrono::seconds(5), [this] { return in_flight_.load() == 0; });
        if (!unrecorded_.empty())
            log::error("stopping with run outcomes unrecorded; those runs run again elsewhere once their lease expires",
                       {{"runs", static_cast<long long>(unrecorded_.size())}});
        maintenance_done_ = true;
    }
    maintenance_wake_.notify_all();
    if (maintainer_.joinable()) maintainer_.join();
}

void RunDispatcher::wake() {
    bool wanted = false;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        woken_ = true;
        wanted = claim_wanted();
    }
    // Otherwise the claimer is busy or has enough runs: the flag is seen
    // once a finished run brings in_flight_ under the low water mark.
    if (wanted) wake_.notify_all();
}

bool RunDispatcher::cancel_local(const std::string& run_id) {
    store::ClaimedRun waiting;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        auto running = active_.find(run_id);
        if (running != active_.end()) {
            running->second.context->cancelled = true;
            return false;
        }
        auto found = waiting_.find(run_id);
        if (found == waiting_.end()) {
            // Claimed by a commit whose runs are not in waiting_ yet, or
            // between waiting_ and active_ on its worker: the worker finds
            // this before the plugin starts. Otherwise (another host's run)
            // it is pruned by maintain().
            early_cancels_[run_id] = store::now_ms();
            return false;
        }
        waiting = std::move(found->second);
        waiting_.erase(found);  // its worker job finds nothing to do
    }
    store::RunRecord& run = waiting.run;
    mark_cancelled_unstarted(run, waiting.start_recorded);
    auto recorded = std::make_shared<std::promise<bool>>();
    auto result = recorded->get_future();
    finish(std::move(run), waiting.next_event_seq, [recorded](bool ok) { recorded->set_value(ok); });
    return result.get();
}

void RunDispatcher::mark_cancelled_unstarted(store::RunRecord& run, bool start_recorded) {
    // The claim counted an attempt that never happened (unless its
    // run.started is on record: then it stays, as the events say).
    if (!start_recorded && run.attempts > 0 && --run.attempts == 0) run.started_at_ms = 0;
    run.status = store::run_status::cancelled;
    run.error = "cancelled before it started";
    run.error_type = "cancelled";
    run.finished_at_ms = store::now_ms();
}

RunDispatcher::Slot RunDispatcher::reserve(const std::string& agent) {
    if (backlog_.load() || recovery_pending_.load()) return Slot::none;
    {
        // A reload may change the list (set_agents).
        std::lock_guard<std::mutex> lock(mutex_);
        if (std::find(agents_.begin(), agents_.end(), agent) == agents_.end()) return Slot::none;
    }
    // Room on this host at all: no more runs than it holds (capacity).
    size_t in_flight = in_flight_.load();
    const size_t limit = capacity();
    do {
        if (in_flight >= limit) return Slot::none;
    } while (!in_flight_.compare_exchange_weak(in_flight, in_flight + 1));
    // A free worker starts the run at once, so the client's "running" is
    // true and its attempt (charged in the accepting commit) is real.
    size_t busy = on_workers_.load();
    const size_t workers = workers_.threads();
    while (busy < workers) {
        if (on_workers_.compare_exchange_weak(busy, busy + 1)) return Slot::worker;
    }
    // Otherwise it waits here as a claimed run would: under load most runs
    // take this way, and a claim (an UPDATE of each run and a read of it
    // back) is saved for each.
    ++on_workers_;
    return Slot::prefetch;
}

void RunDispatcher::stamp_started(store::RunRecord& run) const {
    long long now = store::now_ms();
    run.status = store::run_status::running;
    run.attempts = 1;
    run.fencing_token = 1;
    run.lease_owner = settings_.host_id;
    run.lease_expires_at_ms = now + settings_.lease_ms;
    run.started_at_ms = now;
}

void RunDispatcher::hand_off(store::ClaimedRun run) { dispatch(std::move(run), true); }

void RunDispatcher::release() {
    // No wake: nothing new was stored (a run stored queued instead is
    // announced by its own wake), and a claim after a refused write would
    // be an empty commit that hides the database's trouble from /health.
    --on_workers_;
    --in_flight_;
}

bool RunDispatcher::dispatch(store::ClaimedRun run, bool reserved) {
    if (!reserved) ++on_workers_;
    std::string id = run.run.id;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        waiting_.emplace(id, std::move(run));
    }
    if (workers_.try_submit([this, id] { execute(id); })) return true;
    // Only at shutdown (the queue refuses nothing else): the run stays
    // claimed and is taken over once its lease runs out (or recovered at the
    // next start).
    std::lock_guard<std::mutex> lock(mutex_);
    waiting_.erase(id);
    --on_workers_;
    --in_flight_;
    return false;
}

void RunDispatcher::claim_loop() {
    // Runs are claimed ahead of free workers, so claiming (one commit) is
    // paid per batch, not per run; the extra ones wait in the worker queue
    // under this host's lease.
    const size_t capacity = this->capacity();
    for (;;) {
        {
            std::unique_lock<std::mutex> lock(mutex_);
            wake_.wait_for(lock, std::chrono::milliseconds(settings_.poll_interval_ms), [this] { return claim_wanted(); });
            if (stopping_) return;
            woken_ = false;
        }
        for (;;) {
            // Claiming before the left-over runs are recovered could run a
            // run twice (the recovery would take it back).
            if (recovery_pending_.load()) break;
            // Not reserved ahead: most claims find nothing, and slots held
            // through one would turn runs accepted meanwhile away from this
            // host (into the queue and a claim). Runs taken as they are
            // accepted meanwhile may put the host a few past its capacity;
            // the worker queue takes them (it refuses nothing).
            size_t busy = in_flight_.load();
            if (busy >= capacity) break;
            size_t want = std::min(capacity - busy, settings_.claim_batch);
            std::vector<store::ClaimedRun> claimed;
            std::vector<std::string> agents;
            {
                std::lock_guard<std::mutex> lock(mutex_);
                agents = agents_;
            }
            const store::RunRepository& runs = store_.runs();
            long long lease_until = store::now_ms() + settings_.lease_ms;
            try {
                store_.writes().run([&](soci::session& session) {
                    claimed = runs.claim(session, settings_.host_id, lease_until, want, agents);
                });
            } catch (const std::exception& e) {
                log::warn("claiming runs failed", {{"error", e.what()}});
                break;
            }
            in_flight_ += claimed.size();
            for (store::ClaimedRun& run : claimed) dispatch(std::move(run));
            if (claimed.size() < want) {
                backlog_ = false;  // the store's queue is drained (for this host's agents)
                break;
            }
        }
    }
}

void RunDispatcher::execute(const std::string& run_id) {
    // The worker is free again once this returns, whichever way.
    struct LeaveWorker {
        std::atomic<size_t>& count;
        ~LeaveWorker() { --count; }
    } leave{on_workers_};
    store::ClaimedRun claimed;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        auto found = waiting_.find(run_id);
        if (found == waiting_.end()) return;  // cancelled while it waited
        claimed = std::move(found->second);
        waiting_.erase(found);
    }
    store::RunRecord& run = claimed.run;
    auto record = registry_.find(run.agent);
    StoredRunServices services(store_, feed_, run, claimed.next_event_seq, settings_.event_hold_ms);
    long long next_seq = claimed.next_event_seq;
    if (record == nullptr || !record->agent) {
        run.status = store::run_status::failed;
        run.error = "agent '" + run.agent + "' is not loaded on host " + settings_.host_id;
        run.error_type = "agent_error";
    } else {
        std::shared_ptr<plugins::LoadedAgent> agent = record->agent;
        plugins::RunContext context(*agent, services);
        context.cancelled = run.cancel_requested;
        // A fresh, private directory for this execution's exec commands,
        // removed when it ends (after the plugin returned).
        std::optional<exec::Workspace> workspace;
        if (!agent->workspace_root().empty()) {
            workspace.emplace(agent->workspace_root(), run.id);
            if (!workspace->error().empty())
                log::warn("run starts without a workspace; its exec calls will fail",
                          {{"run_id", run.id}, {"error", workspace->error()}});
            context.workspace = workspace->path();
        }
        bool cancelled_early = false;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            // A cancel that found this run neither waiting nor active (its
            // claim not yet dispatched, or this worker taking it) was noted.
            cancelled_early = early_cancels_.erase(run.id) > 0;
            if (!cancelled_early) {
                active_[run.id] = {&context, &services, run.agent, std::chrono::steady_clock::now(),
                                   agent_timeout_for(run.agent)};
                // Under the lock that compaction takes too: a run in the log
                // is in active_ until it ends.
                start_log_.record(run.id);
            }
        }
        if (cancelled_early) {
            mark_cancelled_unstarted(run, claimed.start_recorded);
            finish(std::move(run), next_seq);
            return;
        }
        // The attempt was committed with the claim (or the accepting insert)
        // before plugin code runs: if that code kills the host, the
        // restarted host knows this attempt happened and a run that always
        // crashes runs out of attempts (poison) instead of taking the host
        // down at every start. The event is not waited for; a run handed
        // off as it was accepted has it already (written with its insert).
        long long began_ms = store::now_ms();
        // DEBUG=true (seed 004) or log_level debug: a run's life on this host.
        if (log::enabled(log::Level::debug))
            log::debug("run started", {{"run_id", run.id}, {"agent", run.agent}, {"thread_id", run.thread_id},
                                       {"attempt", run.attempts}, {"queue_wait_ms", began_ms - run.created_at_ms}});
        metrics::host_metrics().run_queue_wait.observe({run.agent}, std::max(0LL, began_ms - run.created_at_ms) / 1000.0);
        if (!claimed.start_recorded)
            services.emit_now("run.started", "{\"attempt\":" + std::to_string(run.attempts) + ",\"host\":\"" +
                                                   log::json_escape(settings_.host_id) + "\"}");
        context.approved_operations = approved_operations(run.approval_state, run.approval_json);
        context.resume_values = resume_values(run.approval_state, run.approval_json);
        // A workflow step resumed after its interrupt_after pause already
        // ran: its result was kept with the pause, and it is not run again.
        std::optional<std::string> kept_result = result_kept_by_pause(run.approval_state, run.approval_json);
        telemetry::RunSpans spans(run.trace_parent, run.id, run.agent, run.thread_id, run.attempts, run.created_at_ms, began_ms);
        plugins::InvokeOutcome outcome;
        {
            isolation::ExecutingRun executing(run.id, run.agent);
            telemetry::ScopedContext traced(spans.invoke_context());  // the plugin's LLM calls hang under it
            if (kept_result) {
                outcome.status = AGENTHOST_OK;
                outcome.result_json = *kept_result;
            } else {
                outcome = AgentExecution(*agent, context, services, run, settings_, llm_).execute();
            }
        }
        run.llm_usage_json = context.llm_usage_json();
        long long timed_out_after_ms = 0;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            auto active = active_.find(run.id);
            if (active->second.timed_out) timed_out_after_ms = active->second.timeout_ms;
            active_.erase(active);
        }
        std::optional<std::string> approval_request, interrupt_request;
        {
            std::lock_guard<std::mutex> lock(context.mutex);
            approval_request = context.approval_request_json;
            interrupt_request = context.interrupt_request_json;
        }
        bool stopped_to_ask = outcome.status != AGENTHOST_ERROR_CANCELLED && outcome.status != AGENTHOST_OK;
        if (approval_request && stopped_to_ask) {
            // The plugin stopped to ask a person: the run waits, leaseless,
            // and is invoked again from the start once approved.
            run.status = store::run_status::pending_approval;
            run.approval_json = keep_pause_after(runtime_approval(run.agent, run.task, *approval_request, settings_,
                                                                  context.approved_operations, context.resume_values),
                                                 run.approval_json);
            run.approval_expires_at_ms = store::approval_deadline(run.approval_json, store::now_ms());
        } else if (interrupt_request && stopped_to_ask) {
            // The same for a question: the answer, once given, is kept with
            // the earlier ones and the call answers from them.
            run.status = store::run_status::pending_approval;
            run.approval_json = keep_pause_after(interrupt_approval(run.agent, run.task, *interrupt_request, settings_,
                                                                    context.approved_operations, context.resume_values),
                                                 run.approval_json);
            run.approval_expires_at_ms = store::approval_deadline(run.approval_json, store::now_ms());
        } else if (outcome.status == AGENTHOST_ERROR_APPROVAL_REQUIRED || outcome.status == AGENTHOST_ERROR_INTERRUPTED) {
            bool approval = outcome.status == AGENTHOST_ERROR_APPROVAL_REQUIRED;
            outcome.status = AGENTHOST_ERROR_FAILED;
            outcome.error = "agent '" + run.agent + "' returned " +
                            (approval ? "APPROVAL_REQUIRED without asking for an approval"
                                      : "INTERRUPTED without an unanswered interrupt");
            apply_outcome(run, outcome);
        } else if (outcome.status == AGENTHOST_OK && !kept_result && wants_pause_after(run.approval_json)) {
            // interrupt_after: the step ran; the workflow waits for a person
            // before its result counts (and its dependants start).
            run.status = store::run_status::pending_approval;
            run.approval_json = pause_after(run, outcome.result_json, settings_);
            run.approval_expires_at_ms = store::approval_deadline(run.approval_json, store::now_ms());
        } else {
            apply_outcome(run, outcome);
        }
        if (timed_out_after_ms > 0) {
            // Whatever it answered once cancelled, the run ran out of time.
            run.status = store::run_status::failed;
            run.result_json.clear();
            run.error = "agent '" + run.agent + "' did not finish within its timeout of " +
                        seconds_text(timed_out_after_ms) + "; the run was cancelled";
            run.error_type = "timeout";
        } else if (run.error_type == "plugin_crashed" && context.cancelled.load()) {
            // Its runner was killed because it ignored the cancellation.
            run.status = store::run_status::cancelled;
            run.error = "cancelled; " + run.error;
            run.error_type = "cancelled";
        } else if (run.error_type == "plugin_crashed" && run.attempts < run.max_attempts) {
            // Only its runner died: like a host that died, the run gets its
            // remaining attempts (on a new runner).
            run.status = store::run_status::queued;
        }
        next_seq = services.next_seq();
        if (log::enabled(log::Level::debug))
            log::debug("run executed", {{"run_id", run.id}, {"agent", run.agent}, {"status", run.status},
                                        {"duration_ms", store::now_ms() - began_ms}, {"error_type", run.error_type},
                                        {"error", run.error}});
        metrics::host_metrics().run_execution.observe({run.agent}, (store::now_ms() - began_ms) / 1000.0);
        spans.finish(run.status, run.error_type, run.error);
    }
    run.finished_at_ms = store::now_ms();
    finish(std::move(run), next_seq, nullptr, services.take_held());
}

void RunDispatcher::finish(store::RunRecord run, long long next_seq, std::function<void(bool)> recorded,
                           std::vector<store::RunEvent> held) {
    const store::RunRepository& runs = store_.runs();
    const store::PipelineRepository& pipelines = store_.pipelines();
    bool paused = run.status == store::run_status::pending_approval;
    bool requeued = run.status == store::run_status::queued;
    auto events = paused || requeued ? std::vector<store::RunEvent>{} : final_events(run, next_seq);
    auto completed = std::make_shared<bool>(false);
    {
        std::lock_guard<std::mutex> lock(mutex_);
        finishing_.insert(run.id);
    }
    // Most runs end with nothing else to do in their commit: their outcome
    // joins the batch's one multi-row update, and their events its insert.
    bool plain = !paused && !requeued && run.pipeline_id.empty() && run.on_completion.empty() &&
                 run.status != store::run_status::cancelled;
    if (plain) {
        auto write = [run, events, held, completed, &runs](soci::session& session) {
            std::vector<store::RunEvent> all;
            all.reserve(held.size() + events.size());
            all.insert(all.end(), held.begin(), held.end());
            all.insert(all.end(), events.begin(), events.end());
            runs.queue_complete(session, run, std::move(all), completed);
        };
        store_.writes().submit(std::move(write), finished_callback(std::move(run), next_seq, std::move(held), completed,
                                                                   std::move(recorded)),
                               store::CommitQueue::Kind::appends_only);
        return;
    }
    auto write = [run, paused, requeued, events, held, completed, &runs, &pipelines](soci::session& session) {
        if (paused || requeued) {
            // Written as they would have been without the hold: fenced.
            for (const auto& event : held) runs.append_event(session, event, run.fencing_token);
        }
        if (paused) {
            *completed = runs.pause_for_approval(session, run,
                                                 is_interrupt(run.approval_json) ? "run.interrupted" : "approval.requested");
            return;
        }
        if (requeued) {
            *completed = runs.requeue(session, run, run.error);
            return;
        }
        bool has_dependants = false;
        // The outcome's update is fenced (the claim still holds, the run
        // still running) and the events follow only when it took, in the
        // same transaction: one statement for all of them, no fence each.
        *completed = runs.complete(session, run, &has_dependants);
        if (!*completed) return;
        runs.append_events(session, held, events);
        if (has_dependants) runs.release_dependants(session, run.id, run.status);
        if (!run.pipeline_id.empty() && !runs.continue_pipeline_loop(session, run.pipeline_id, result_resolved))
            pipelines.settle(session, run.pipeline_id);
        // on_completion delete goes with the outcome; so does a rollback,
        // which a cancel may have asked for after this host claimed the run
        // (it then ends cancelled, so only those are looked up).
        if (!run.on_completion.empty() || run.status == store::run_status::cancelled)
            runs.settle_completion(session, run.id, "on_completion");
    };
    store_.writes().submit(std::move(write),
                           finished_callback(std::move(run), next_seq, std::move(held), completed, std::move(recorded)));
}

store::CommitQueue::Done RunDispatcher::finished_callback(store::RunRecord run, long long next_seq,
                                                          std::vector<store::RunEvent> held,
                                                          std::shared_ptr<bool> completed,
                                                          std::function<void(bool)> recorded) {
    return [this, run = std::move(run), next_seq, held = std::move(held), completed,
            recorded = std::move(recorded)](const std::string& error) {
        bool retry_later = false;
        if (!error.empty()) {
            // Kept and written again once the database answers; its lease is
            // renewed meanwhile so no other host re-runs it.
            log::error("recording a run's outcome failed; will retry", {{"run_id", run.id}, {"error", error}});
            retry_later = true;
        } else if (!*completed) {
            log::warn("run outcome discarded: its lease was taken over", {{"run_id", run.id}});
        } else if (run.status == store::run_status::queued) {
            metrics::host_metrics().runs_retried.add({run.agent});
            feed_.notify(run.id);  // runs again; whoever waits keeps waiting
        } else {
            if (run.status != store::run_status::pending_approval)
                metrics::host_metrics().runs_finished.add({run.agent, run.status});
            waiters_.finished(run);
            feed_.notify(run.id);
        }
        if (recorded) recorded(error.empty() && *completed);
        bool wanted = false;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            finishing_.erase(run.id);
            if (retry_later) unrecorded_[run.id] = {run, next_seq, held};
            else --in_flight_;
            woken_ = true;  // a run waiting for this one may be queued now
            // stop() waits on wake_ too, and claim_wanted holds once stopping.
            wanted = claim_wanted();
        }
        if (wanted) wake_.notify_all();
    };
}

void RunDispatcher::maintenance_loop() {
    long long interval = std::max<long long>(100, settings_.lease_ms / 3);
    for (;;) {
        {
            std::unique_lock<std::mutex> lock(mutex_);
            maintenance_wake_.wait_for(lock, std::chrono::milliseconds(std::min(interval, settings_.poll_interval_ms * 2)),
                                       [this] { return maintenance_done_; });
            if (maintenance_done_) return;
        }
        enforce_timeouts();
        {
            // Events a run emitted early and then went quiet.
            std::lock_guard<std::mutex> lock(mutex_);
            for (auto& entry : active_) entry.second.services->flush_held();
        }
        {
            std::lock_guard<std::mutex> lock(mutex_);
            std::set<std::string> executing;
            for (const auto& entry : active_) executing.insert(entry.first);
            start_log_.compact_if_large(executing);
        }
        try {
            maintain();
        } catch (const std::exception& e) {
            log::warn("run maintenance failed", {{"error", e.what()}});
        }
    }
}

void RunDispatcher::expire_approvals(long long now) {
    const store::RunRepository& runs = store_.runs();
    const store::PipelineRepository& pipelines = store_.pipelines();
    std::vector<store::RunRecord> rejected;
    store_.writes().run([&](soci::session& session) {
        rejected.clear();
        for (store::RunRecord& run : runs.expired_approvals(session, now)) {
            std::string comment = "no decision before the approval deadline";
            std::string approval = decided_approval(run.approval_json, false, "timeout", comment, now);
            if (!runs.decide_approval(session, run, false, "timeout", comment, approval)) continue;
            if (!run.pipeline_id.empty()) pipelines.settle(session, run.pipeline_id);
            rejected.push_back(std::move(run));
        }
    });
    for (store::RunRecord& run : rejected) {
        log::info("approval timed out; run rejected", {{"run_id", run.id}});
        run.status = store::run_status::cancelled;
        run.error_type = "rejected";
        waiters_.finished(run);
        feed_.notify(run.id);
    }
    if (!rejected.empty()) wake();
}

void RunDispatcher::enforce_timeouts() {
    auto now = std::chrono::steady_clock::now();
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& [id, active] : active_) {
        if (active.timeout_ms <= 0 || active.timed_out) continue;
        if (now - active.started < std::chrono::milliseconds(active.timeout_ms)) continue;
        active.timed_out = true;
        active.context->cancelled = true;
        log::warn("run timed out; cancelling it", {{"run_id", id}, {"agent", active.agent}, {"timeout_ms", active.timeout_ms}});
    }
}

std::vector<StuckRun> RunDispatcher::stuck_runs() const {
    auto now = std::chrono::steady_clock::now();
    std::vector<StuckRun> stuck;
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& [id, active] : active_) {
        if (!active.timed_out) continue;
        double running = std::chrono::duration<double>(now - active.started).count();
        if (running * 1000 < static_cast<double>(active.timeout_ms + kCancelGraceMs)) continue;
        stuck.push_back({id, active.agent, running, active.timeout_ms / 1000.0});
    }
    return stuck;
}

std::string RunDispatcher::executing_summary() const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::string summary;
    for (const auto& [id, active] : active_) summary += (summary.empty() ? "" : ", ") + active.agent + "/" + id;
    return summary;
}

std::vector<std::string> RunDispatcher::held_runs() {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<std::string> held;
    for (const auto& [id, active] : active_) held.push_back(id);
    for (const auto& [id, run] : waiting_) held.push_back(id);
    for (const auto& id : finishing_) held.push_back(id);
    for (const auto& [id, run] : unrecorded_) held.push_back(id);
    return held;
}

void RunDispatcher::maintain() {
    if (recovery_pending_.load()) {
        if (!recover_left_running()) return;
        recovery_pending_ = false;
        log::info("database writes accepted again: recovery done, claiming runs");
        wake();
    }
    const store::RunRepository& runs = store_.runs();
    long long now = store::now_ms();
    std::vector<std::string> held = held_runs();
    std::vector<std::string> cancelled;
    std::vector<std::pair<std::string, std::string>> recovered;
    bool sweep = now - last_sweep_ms_ >= settings_.sweep_interval_ms;
    size_t swept = 0;
    store_.writes().run([&](soci::session& session) {
        cancelled = runs.renew_leases(session, settings_.host_id, held, now + settings_.lease_ms);
        recovered = runs.recover_expired(session, now, false);
        // Ended runs to delete (or roll back) that no completing commit
        // settled: cancelled before they started, failed by a dependency,
        // or their host died first.
        for (const std::string& id : runs.ended_to_settle(session, 100)) runs.settle_completion(session, id, "on_completion");
        if (sweep) {
            swept = runs.delete_finished_before(session, now - settings_.retention_ms);
            store_.idempotency().delete_before(session, now - settings_.idempotency_window_ms);
        }
    });
    if (sweep) {
        last_sweep_ms_ = now;
        if (swept > 0) log::info("retention sweep", {{"deleted_runs", static_cast<long long>(swept)}});
    }
    for (const auto& id : cancelled) cancel_local(id);
    {
        // Cancels noted for runs that never came to this host.
        std::lock_guard<std::mutex> lock(mutex_);
        for (auto it = early_cancels_.begin(); it != early_cancels_.end();)
            it = now - it->second > settings_.lease_ms ? early_cancels_.erase(it) : std::next(it);
    }
    expire_approvals(now);
    for (const auto& [id, status] : recovered) {
        log::warn("run taken over from a host that stopped", {{"run_id", id}, {"status", status}});
        feed_.notify(id);
    }
    if (!recovered.empty()) wake();

    // Outcomes the database refused earlier: the database answered above,
    // so write them now (each still fenced by its claim's token).
    std::map<std::string, Outcome> retry;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        retry.swap(unrecorded_);  // still counted in in_flight_
    }
    for (auto& [id, outcome] : retry)
        finish(std::move(outcome.run), outcome.next_seq, nullptr, std::move(outcome.held));

    // Waiters for runs another host finished, or that ran out of time.
    for (const std::string& id : waiters_.pending()) {
        auto run = store_.read([&](soci::session& session) { return runs.find(session, id); });
        if (run && (store::run_status::is_terminal(run->status) || run->status == store::run_status::pending_approval))
            waiters_.finished(*run);
    }
    waiters_.expire([&](const std::string& id) {
        auto run = store_.read([&](soci::session& session) { return runs.find(session, id); });
        if (run) return *run;
        store::RunRecord missing;
        missing.id = id;
        return missing;
    });
}

}  // namespace agenthost::runs
