// The run calls LangGraph's clients expect, over the runs resource:
//   POST /runs/wait      the body of POST /runs; answers the run when it ends
//   GET  /runs/{id}/join waits for a run to end and answers it
//   DELETE /runs/{id}    deletes a finished run with its events (204)
//   POST /runs/cancel    {"run_ids": [...]} or {"thread_id": "..."}: cancels each
// Waits end after runs.invoke_timeout_seconds with 504 RunWaitTimeout and
// the run's Location; the run goes on.
#pragma once

#include "api/api_context.hpp"
#include "http/router.hpp"

namespace agenthost::api {

void add_run_wait_routes(http::Router& router, ApiContext& context);

}  // namespace agenthost::api
