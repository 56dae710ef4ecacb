// Seed 002's incident queue as a resource: GET /api/incidents (filters,
// cursor pages), GET /api/incidents/{id} (signals, runs, actions,
// resolution), POST /api/incidents/{id}/resolve and /reopen.
#pragma once

#include "api/api_context.hpp"
#include "http/router.hpp"

namespace agenthost::api {

void add_incident_routes(http::Router& router, ApiContext& context);

}  // namespace agenthost::api
