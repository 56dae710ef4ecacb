// GET /stream (seed 002's ws://host/stream): a WebSocket carrying a run's
// events as the Server-Sent Events stream does, one JSON text message per
// event, then {"type": "done", "status"} and a normal close. The client's
// first message names the run and where to resume:
// {"run_id": "...", "last_event_id": N} (run_id may also be a query
// parameter).
#pragma once

#include "api/api_context.hpp"
#include "http/router.hpp"

namespace agenthost::api {

void add_websocket_routes(http::Router& router, ApiContext& context);

}  // namespace agenthost::api
