// Seed 004's processing API: POST /api/v1/process, GET /api/v1/results,
// GET /api/v1/results/{request_id}, GET /api/v1/health.
#pragma once

#include "api/api_context.hpp"
#include "http/router.hpp"

namespace agenthost::api {

void add_pipeline_routes(http::Router& router, ApiContext& context);

}  // namespace agenthost::api
