// Turns the text of an API description, JSON or YAML, into one JSON value, so
// everything after this point reads a single representation.
#ifndef APISPEC_DOCUMENT_LOADER_HPP
#define APISPEC_DOCUMENT_LOADER_HPP

#include <rapidjson/document.h>

#include <string_view>

namespace apispec {

// JSON when the first non-blank character is '{' or '[', YAML otherwise.
// Throws SpecError naming line and column when the text does not parse, or
// when YAML uses something JSON cannot hold (a non-scalar mapping key).
rapidjson::Document load_document(std::string_view text);

}  // namespace apispec

#endif
