// Reading query parameters the same way on every endpoint, with the same
// 422 for a bad one.
#pragma once

#include "http/http_message.hpp"

#include <cstddef>
#include <string>

namespace agenthost::api {

// The parameter's value, or "" when absent.
const std::string& query_value(const http::HttpRequest& request, const char* name);

// A whole number from `minimum` to `maximum`, `fallback` when absent;
// throws ApiError 422 naming the parameter otherwise.
size_t bounded_number(const http::HttpRequest& request, const char* name, size_t fallback, size_t minimum,
                      size_t maximum);

// A page cursor ("<created_at_ms>_<id>", as next_cursor serves them);
// throws ApiError 422 naming `field` otherwise.
void check_cursor(const std::string& cursor, const char* field = "cursor");

}  // namespace agenthost::api
