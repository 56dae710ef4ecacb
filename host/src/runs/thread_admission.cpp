#include "runs/thread_admission.hpp"

#include "runs/blocking.hpp"

namespace agenthost::runs {
namespace {
constexpr const char* kThreadBusy = "thread busy: ";
}

void admit_on_thread(soci::session& session, const store::RunRepository& runs, const std::string& strategy,
                     Admission& admission) {
    std::vector<store::RunRecord> active = runs.active_on_thread(session, admission.run.thread_id, /*lock=*/true);
    if (active.empty()) return;
    store::RunRecord& run = admission.run;
    auto block = [&run](const std::string& after) { block_on(run, after, "completion"); };
    if (strategy == "reject") {
        admission.busy_with = active.back().id;
        return;
    }
    if (strategy == "interrupt" || strategy == "rollback") {
        bool rollback = strategy == "rollback";
        for (const store::RunRecord& other : active) {
            store::CancelOutcome outcome = runs.cancel(session, other.id, strategy);
            if (outcome == store::CancelOutcome::cancelled || outcome == store::CancelOutcome::requested)
                admission.interrupted.push_back(other.id);
            // Rollback: the cancelled run goes with its memory writes, here
            // when it never ran, else in the commit recording its end (the
            // one that releases the new run, so it never sees those writes).
            if (rollback && outcome == store::CancelOutcome::requested) runs.mark_rollback(session, other.id);
            if (rollback && outcome == store::CancelOutcome::cancelled) {
                runs.mark_rollback(session, other.id);
                runs.settle_completion(session, other.id, "rollback");
            }
            // One still executing stops at its next is_cancelled check; the
            // new run starts after it has.
            if (outcome == store::CancelOutcome::requested) block(other.id);
        }
        return;
    }
    for (const std::string& tail : runs.queue_tails(session, admission.run.thread_id)) block(tail);  // enqueue
}

std::string thread_busy_error(const std::string& thread_id, const std::string& active_run_id) {
    return std::string(kThreadBusy) + "thread '" + thread_id + "' already has an active run (" + active_run_id +
           ") and multitask_strategy is reject";
}

bool is_thread_busy(const std::string& error) { return error.rfind(kThreadBusy, 0) == 0; }

}  // namespace agenthost::runs
