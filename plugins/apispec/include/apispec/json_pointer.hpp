// JSON pointers (RFC 6901): how every location in an error is named, and how
// local $refs ("#/components/schemas/Pet") are followed.
#ifndef APISPEC_JSON_POINTER_HPP
#define APISPEC_JSON_POINTER_HPP

#include <rapidjson/document.h>

#include <string>
#include <string_view>

namespace apispec {

// One reference token escaped for a pointer: "~" -> "~0", "/" -> "~1".
std::string escape_token(std::string_view token);

// `base` + "/" + escaped token.
std::string child(const std::string& base, std::string_view token);
std::string child(const std::string& base, std::size_t index);

// The value at `pointer` (unescaped, percent-decoding not applied) inside
// `root`, or nullptr when any token is missing.
const rapidjson::Value* resolve_pointer(const rapidjson::Value& root, std::string_view pointer);

// The last reference token of a pointer, unescaped ("Pet" for
// "/components/schemas/Pet").
std::string last_token(std::string_view pointer);

}  // namespace apispec

#endif
