// Seed 000's GitHub endpoints that run on the engine: POST /github/analyze
// starts context_analyzer on a repository.
#pragma once

#include "api/api_context.hpp"
#include "http/router.hpp"

namespace agenthost::api {

void add_github_routes(http::Router& router, ApiContext& context);

}  // namespace agenthost::api
