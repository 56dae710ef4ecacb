// What GET /openapi.json says about each route beyond its method and path:
// summary, request and response schemas, parameters. Keyed by the exact
// (method, pattern) the route is registered with; the document is built
// from the router's table, and a route without an entry here is marked
// "x-undocumented" there, which fails a test.
#pragma once

#include <string>
#include <vector>

namespace agenthost::api {

// One response: its status and what the body is. `body` names an embedded
// schema ("responses/run"), or a media kind: "sse" (text/event-stream),
// "text" (text/plain), "html", "javascript", "css"; empty: no body.
struct ResponseDoc {
    int status;
    const char* body;
    const char* description;
};

// A query or header parameter.
struct ParameterDoc {
    const char* in;  // "query" or "header"
    const char* name;
    const char* type;  // JSON Schema type: "string", "integer", "boolean"
    const char* description;
};

struct OperationDoc {
    const char* method;
    const char* pattern;  // as registered: "/runs/:id"
    const char* tag;
    const char* summary;
    const char* request;  // embedded request schema ("requests/agent-invoke"); null: no body
    std::vector<ResponseDoc> responses;  // besides the errors every route shares
    std::vector<ParameterDoc> parameters = {};
    // The body names an agent and its context: documented once per enabled
    // agent with that agent's input_schema.
    bool invoke_variants = false;
};

const std::vector<OperationDoc>& operation_docs();

}  // namespace agenthost::api
