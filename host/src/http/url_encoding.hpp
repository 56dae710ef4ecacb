// Percent-decoding of paths and query strings (RFC 3986, with '+' as space in
// queries as HTML forms send it).
#pragma once

#include "util/percent_decode.hpp"

#include <map>
#include <string>

namespace agenthost::http {

using agenthost::percent_decode;

// "a=1&b=x%20y" (with or without the leading '?') -> {a: 1, b: "x y"}.
// A repeated name keeps its first value.
std::map<std::string, std::string> parse_query(const std::string& query);

}  // namespace agenthost::http
