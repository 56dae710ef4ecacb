// Percent-decoding of paths and query strings (RFC 3986, with '+' as space in
// queries as HTML forms send it).
#pragma once

#include <map>
#include <string>

namespace agenthost::http {

std::string percent_decode(const std::string& text, bool plus_is_space = false);

// "a=1&b=x%20y" (with or without the leading '?') -> {a: 1, b: "x y"}.
// A repeated name keeps its first value.
std::map<std::string, std::string> parse_query(const std::string& query);

}  // namespace agenthost::http
