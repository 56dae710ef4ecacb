// The whole REST surface, registered in one place so it reads as a table.
#pragma once

#include "api/api_context.hpp"
#include "http/router.hpp"

namespace agenthost::api {

void add_routes(http::Router& router, ApiContext& context);

}  // namespace agenthost::api
