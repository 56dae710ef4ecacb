// GET /usage: runs, run seconds and LLM tokens per key, tenant, agent or
// day, from the rollups (scope read; admin sees every tenant, others their
// own tenant's).
#pragma once

#include "api/api_context.hpp"
#include "http/router.hpp"

namespace agenthost::api {

void add_usage_routes(http::Router& router, ApiContext& context);

}  // namespace agenthost::api
