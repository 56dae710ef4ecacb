// GET /health (seed 001's shape plus component detail) and GET /ready.
#pragma once

#include "api/api_context.hpp"
#include "http/router.hpp"

namespace agenthost::api {

void add_health_routes(http::Router& router, ApiContext& context);

}  // namespace agenthost::api
