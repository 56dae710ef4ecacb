// Seed 002's integrations: POST/GET /api/repos, /api/log-sources and
// /api/slack/channels, with GET and DELETE of one item each.
#pragma once

#include "api/api_context.hpp"
#include "http/router.hpp"

namespace agenthost::api {

void add_sre_config_routes(http::Router& router, ApiContext& context);

}  // namespace agenthost::api
