// Builds the OpenAPI 3.1 document of GET /openapi.json from the router's
// table (every route, aliases included), operation_docs() and the JSON
// Schemas embedded from schemas/ (requests/ and responses/), with each
// enabled agent's input_schema under the routes that invoke agents.
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <utility>
#include <vector>

namespace agenthost::api {

using RouteTable = std::vector<std::pair<std::string, std::string>>;  // (method, pattern)

struct AgentInput {
    std::string name;
    std::string description;
    const rapidjson::Value* input_schema = nullptr;  // null: the agent takes any context
};

struct OpenApiSources {
    RouteTable routes;
    std::vector<AgentInput> agents;
    std::string version;
    std::string readme;  // markdown whose curl commands become examples
};

std::string openapi_document(const OpenApiSources& sources);

// Routes operation_docs() does not describe, as "METHOD pattern". The
// document lists them with "x-undocumented": true (and the tests fail).
std::vector<std::string> undocumented_routes(const RouteTable& routes);

// "/runs/:id" to "/runs/{id}".
std::string openapi_path(const std::string& pattern);

}  // namespace agenthost::api
