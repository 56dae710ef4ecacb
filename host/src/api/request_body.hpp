// Reading a JSON request body: content type (415), syntax (400) and the
// endpoint's schema in schemas/requests/ (422 naming the field).
#pragma once

#include "http/http_message.hpp"

#include <rapidjson/document.h>

#include <string>

namespace agenthost::api {

// `schema` is an embedded schema name such as "requests/agent-invoke".
// Throws http::ApiError.
rapidjson::Document read_json_body(const http::HttpRequest& request, const std::string& schema);
// The same, with an empty body read as {} (endpoints whose every member is
// optional, such as searches: clients often send nothing).
rapidjson::Document read_json_body_or_empty(const http::HttpRequest& request, const std::string& schema);

}  // namespace agenthost::api
