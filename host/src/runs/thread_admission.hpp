// Two runs on one thread: what the request's multitask_strategy does when
// the thread already has an active run. Decided inside the write
// transaction that inserts the new run.
#pragma once

#include "store/run_repository.hpp"

#include <string>
#include <vector>

namespace agenthost::runs {

struct Admission {
    store::RunRecord run;                  // as it will be inserted
    std::vector<std::string> interrupted;  // runs cancelled for it (interrupt)
    std::string busy_with;                 // the active run that refused it (reject)
};

// reject: sets busy_with and the run is not inserted. enqueue: the run is
// blocked until the end of the thread's queue has run. interrupt: the active
// runs are cancelled; the run waits for those still executing to stop.
// rollback: as interrupt, and the cancelled runs are deleted with their
// memory writes undone before the new run can start.
void admit_on_thread(soci::session& session, const store::RunRepository& runs, const std::string& strategy,
                     Admission& admission);

// The error a refused submit reports, and how the API recognises it.
std::string thread_busy_error(const std::string& thread_id, const std::string& active_run_id);
bool is_thread_busy(const std::string& error);

}  // namespace agenthost::runs
