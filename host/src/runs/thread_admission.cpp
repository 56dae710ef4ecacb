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
    if (strategy == "interrupt") {
        for (const store::RunRecord& other : active) {
            store::CancelOutcome outcome = runs.cancel(session, other.id, "interrupt");
            if (outcome == store::CancelOutcome::cancelled || outcome == store::CancelOutcome::requested)
                admission.interrupted.push_back(other.id);
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
