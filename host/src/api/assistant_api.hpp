// Seed 000's assistant: POST /assistant/chat and GET /assistant/context/{id}.
#pragma once

#include "api/api_context.hpp"
#include "http/router.hpp"

namespace agenthost::api {

void add_assistant_routes(http::Router& router, ApiContext& context);

}  // namespace agenthost::api
