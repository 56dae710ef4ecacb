// GET /agents (seed 001's shape), GET /agents/{name}, GET /plugins.
#pragma once

#include "api/api_context.hpp"
#include "http/router.hpp"

namespace agenthost::api {

void add_agent_routes(http::Router& router, ApiContext& context);

}  // namespace agenthost::api
