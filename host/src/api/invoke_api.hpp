// POST /agent/invoke (seed 001): run one agent and answer with its result.
#pragma once

#include "api/api_context.hpp"
#include "http/router.hpp"

namespace agenthost::api {

void add_invoke_routes(http::Router& router, ApiContext& context);

}  // namespace agenthost::api
