// Making a new run wait for another: blocked until `after` ends (kind
// completion) or succeeds (kind success). A run that needs approval asks
// for it once released, so its deadline starts then.
#pragma once

#include "store/records.hpp"

#include <string>

namespace agenthost::runs {

inline void block_on(store::RunRecord& run, const std::string& after, const std::string& kind) {
    run.depends_on.emplace_back(after, kind);
    if (run.status == store::run_status::pending_approval) {
        run.approval_state = store::approval_state::required;
        run.approval_expires_at_ms = 0;
    }
    run.status = store::run_status::blocked;
}

}  // namespace agenthost::runs
