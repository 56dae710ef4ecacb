// Seed 000's deployment endpoints: operations on projects, their logs by
// since_index, status, a project's history and force-unlock.
#pragma once

#include "api/api_context.hpp"
#include "http/router.hpp"

namespace agenthost::api {

void add_deployment_routes(http::Router& router, ApiContext& context);

}  // namespace agenthost::api
