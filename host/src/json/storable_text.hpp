// Text the store can hold losslessly on every database: well-formed UTF-8
// without U+0000. RapidJSON turns an escaped lone surrogate ("\udc00") into
// bytes that are not UTF-8, which SQLite stores as garbage and PostgreSQL
// refuses; PostgreSQL cuts text at a NUL. Such input is refused at the edge
// (422 naming the field) instead of failing later or being truncated.
#pragma once

#include "json/schema_validator.hpp"

#include <rapidjson/document.h>

#include <string_view>
#include <vector>

namespace agenthost::json {

// Why `text` cannot be stored ("" when it can).
const char* unstorable_text_reason(std::string_view text);

// Every string and member name in `value` that cannot be stored, as
// violations with JSON Pointers below `pointer`.
std::vector<Violation> unstorable_strings(const rapidjson::Value& value, const std::string& pointer = "");

}  // namespace agenthost::json
