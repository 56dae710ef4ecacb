// The long-term store over HTTP, in LangGraph's shapes: PUT, GET and
// DELETE /store/items, POST /store/items/search, POST /store/namespaces.
// Each caller reads and writes its own tenant's items only.
#pragma once

#include "api/api_context.hpp"
#include "http/router.hpp"

namespace agenthost::api {

void add_store_routes(http::Router& router, ApiContext& context);

}  // namespace agenthost::api
