// Carrying a plan out through the host's exec service (or Harness's API): approvals before
// gated steps, the live state read before it is changed, rollout watching,
// and on failure the undo of exactly the changes this run made in the
// failing environment.
//
// An approval pauses the run and the host invokes it again from the start
// once a person approves, so progress (steps done, changes made, facts
// read) is kept in thread memory under the run's id after every step; a
// resumed run skips what is done and never asks twice for the same step.
#pragma once

#include <agenthost/agent.hpp>

#include <string>

#include "deployment.hpp"

namespace deploy {

struct Outcome {
    std::string status;  // succeeded, rolled_back (a failure undone), failed
    std::string error;   // what went wrong, when not succeeded
    // {"done":[step ids],"changed":[step ids],"facts":{},"environments":{name:status},
    //  "log":[{"step","action","command","exit_code","timed_out","output"}],"started_at"}
    rapidjson::Document progress;
};

// Throws ApprovalRequired (the run pauses), Cancelled (after undoing the
// current environment's changes), or Error when the host refuses to run the
// tool (what the operator must configure).
Outcome execute(const agenthost::Run& run, const Request& request, const Plan& plan, const Config& config);

// The thread-memory key of a run's progress.
std::string progress_key(std::string_view run_id);

// Now as ISO 8601 UTC with milliseconds.
std::string now_iso8601();

}  // namespace deploy
