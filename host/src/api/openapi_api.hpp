// GET /openapi.json (the document of every route this router serves, built
// when asked, so agents enabled by a reload appear), GET /docs (Swagger UI),
// GET /redoc (ReDoc) and their assets, bundled into the binary.
#pragma once

#include "api/api_context.hpp"
#include "http/router.hpp"

namespace agenthost::api {

// Register last: the document covers the routes registered before, and
// these.
void add_openapi_routes(http::Router& router, ApiContext& context);

}  // namespace agenthost::api
