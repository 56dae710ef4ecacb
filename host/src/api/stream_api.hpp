// Live progress over Server-Sent Events: GET /runs/{id}/stream (replay, then
// follow; resumable with Last-Event-ID) and seed 001's POST /agent/stream
// (start a run and stream it; also GET, for browsers' EventSource, with the
// body's fields as query parameters). Streams are written by the StreamHub, never
// through Pistache's ResponseStream (see http/raw_connection.hpp).
#pragma once

#include "api/api_context.hpp"
#include "http/router.hpp"

namespace agenthost::api {

void add_stream_routes(http::Router& router, ApiContext& context);

// GET /runs/{id}/stream: replays the run's events after Last-Event-ID and
// follows it (the run id is the route's "id").
void stream_run(ApiContext& context, const http::HttpRequest& request, const http::Responder& responder);

// Starts the run a validated invoke body describes and streams it on this
// request's connection: POST /agent/stream, GET /agent/stream and
// POST /agent/invoke with "stream": true.
void start_and_stream(ApiContext& context, const http::HttpRequest& request, const http::Responder& responder,
                      const rapidjson::Document& body);

}  // namespace agenthost::api
