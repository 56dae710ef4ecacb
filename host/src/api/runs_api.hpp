// The runs resource: POST /runs, GET /runs, GET /runs/{id},
// POST /runs/{id}/cancel, GET /runs/{id}/events, GET /threads/{id}.
#pragma once

#include "api/api_context.hpp"
#include "http/router.hpp"

namespace agenthost::api {

void add_run_routes(http::Router& router, ApiContext& context);

// The handlers behind those routes, for the seeds' aliases (seed003_api).
void create_run(ApiContext& context, const http::HttpRequest& request, http::Responder responder);
http::HttpResponse get_run(ApiContext& context, const http::HttpRequest& request);
http::HttpResponse cancel_run(ApiContext& context, const http::HttpRequest& request);

// Reads {"agent_name","task","context"?,"thread_id"?,"webhook_url"?,...} from
// an already validated body (shared with POST /agent/invoke).
runs::InvokeRequest invoke_request_from(const rapidjson::Value& body);
// require_approval, approval_timeout_seconds, loop, multitask_strategy,
// if_not_exists, after_seconds, on_completion.
runs::RunOptions run_options_from(const rapidjson::Value& body);
// Bounds the config sets on run options (422 naming the field).
void check_run_options(ApiContext& context, const runs::RunOptions& options);

}  // namespace agenthost::api
