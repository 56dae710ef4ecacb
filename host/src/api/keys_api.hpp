// /admin/keys: list, create and revoke API keys (scope admin).
#pragma once

#include "api/api_context.hpp"
#include "http/router.hpp"

namespace agenthost::api {

void add_key_routes(http::Router& router, ApiContext& context);

}  // namespace agenthost::api
