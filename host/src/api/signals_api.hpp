// Seed 002's way in: POST /api/signals/logs, /api/signals/slack (Slack v0
// signatures), /api/signals/github (X-Hub-Signature-256), POST /api/issues
// (a manual incident), and GET /api/signals/search (the retrieval the SRE
// agent gets its evidence from).
#pragma once

#include "api/api_context.hpp"
#include "http/router.hpp"

namespace agenthost::api {

void add_signal_routes(http::Router& router, ApiContext& context);

}  // namespace agenthost::api
