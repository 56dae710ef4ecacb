// Seed 003's paths (Suna-style agent runs) over the runs resource:
//   POST /thread/{thread_id}/agent/start (and /threads/...) starts a run on
//     that thread: the body of POST /runs, answered 202 with agent_run_id;
//   GET /agent-run/{id}, GET /agent-run/{id}/stream, POST /agent-run/{id}/stop.
#pragma once

#include "api/api_context.hpp"
#include "http/router.hpp"

namespace agenthost::api {

void add_seed003_routes(http::Router& router, ApiContext& context);

}  // namespace agenthost::api
