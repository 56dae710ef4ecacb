// GET /metrics: Prometheus text exposition (README, "Metrics"). Scope
// `read` when auth is on.
#pragma once

#include "api/api_context.hpp"
#include "http/router.hpp"

namespace agenthost::api {

void add_metrics_routes(http::Router& router, ApiContext& context);

}  // namespace agenthost::api
