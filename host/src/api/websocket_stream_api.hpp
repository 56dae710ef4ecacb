// GET /stream (seed 002's ws://host/stream): a WebSocket carrying a run's
// events as the Server-Sent Events stream does, one JSON text message per
// event, then {"type": "done", "status"} and a normal close. The run is
// named by the query (?run_id=&last_event_id=, streamed at once after the
// upgrade, as a browser's new WebSocket(url) never has to send) or else by
// the client's first message: {"run_id": "...", "last_event_id": N}.
#pragma once

#include "api/api_context.hpp"
#include "http/router.hpp"

namespace agenthost::api {

void add_websocket_routes(http::Router& router, ApiContext& context);

}  // namespace agenthost::api
