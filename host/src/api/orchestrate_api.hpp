// Seed 000's workflow trigger: POST /agents/orchestrate takes a task and
// either steps with dependencies (a DAG) or none (one step, routed by the
// supervisors when no agent is named); GET /agents/status/{id} shows every
// step's state. /workflows and /workflows/{id} are the same resources.
#pragma once

#include "api/api_context.hpp"
#include "http/router.hpp"

namespace agenthost::api {

void add_orchestrate_routes(http::Router& router, ApiContext& context);

}  // namespace agenthost::api
