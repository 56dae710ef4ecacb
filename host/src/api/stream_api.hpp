// Live progress over Server-Sent Events: GET /runs/{id}/stream (replay, then
// follow; resumable with Last-Event-ID) and seed 001's POST /agent/stream
// (start a run and stream it). Streams are written by the StreamHub, never
// through Pistache's ResponseStream (see http/raw_connection.hpp).
#pragma once

#include "api/api_context.hpp"
#include "http/router.hpp"

namespace agenthost::api {

void add_stream_routes(http::Router& router, ApiContext& context);

}  // namespace agenthost::api
