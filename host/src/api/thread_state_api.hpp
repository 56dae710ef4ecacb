// A thread's shared memory as checkpoints: GET and POST
// /threads/{id}/state, POST /threads/{id}/history, POST /threads/{id}/copy.
#pragma once

#include "api/api_context.hpp"
#include "http/router.hpp"

namespace agenthost::api {

void add_thread_state_routes(http::Router& router, ApiContext& context);

}  // namespace agenthost::api
