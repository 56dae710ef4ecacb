// Seed 001's workflow surface: GET /workflow/status/{thread_id} (what the
// thread is doing, and what waits for a person) and
// POST /workflow/approve/{thread_id} (the person's decision), plus
// GET /runs/{id}/audit (who did what to a run).
#pragma once

#include "api/api_context.hpp"
#include "http/router.hpp"

namespace agenthost::api {

void add_workflow_routes(http::Router& router, ApiContext& context);

}  // namespace agenthost::api
