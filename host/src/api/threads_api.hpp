// Threads as a resource: POST /threads, POST /threads/search,
// DELETE /threads/{id} (GET /threads/{id} is in runs_api, with its runs).
#pragma once

#include "api/api_context.hpp"
#include "http/router.hpp"

namespace agenthost::api {

void add_thread_routes(http::Router& router, ApiContext& context);

}  // namespace agenthost::api
