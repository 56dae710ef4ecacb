// Percent-decoding (RFC 3986), shared by URL paths, query strings and
// database URLs.
#pragma once

#include <string>

namespace agenthost {

// "%41+b" -> "A+b" ("A b" with plus_is_space, as HTML forms mean it). A '%'
// not followed by two hex digits stays as it is.
std::string percent_decode(const std::string& text, bool plus_is_space = false);

}  // namespace agenthost
