// Small RapidJSON helpers shared by the host's layers.
#pragma once

#include <rapidjson/document.h>

#include <optional>
#include <string>
#include <string_view>

namespace agenthost::json {

std::string serialize(const rapidjson::Value& value);

// Parses `text`; on failure returns nullopt and sets `error` to a message with
// the byte offset ("Missing a colon after a name at offset 12").
std::optional<rapidjson::Document> parse(std::string_view text, std::string& error);

// What `text` is as JSON, by the same rules as parse (depth, UTF-8), told
// without building a document: for checks that keep only the text.
enum class TextKind { invalid, object, other };
TextKind kind_of(std::string_view text);

// Reads and parses a file; `error` names the file on failure.
std::optional<rapidjson::Document> parse_file(const std::string& path, std::string& error);

rapidjson::Value string_value(std::string_view text, rapidjson::Document::AllocatorType& allocator);

// Member lookups that tolerate absence and wrong types.
std::string get_string(const rapidjson::Value& object, const char* name, const std::string& fallback = "");
const rapidjson::Value* get_member(const rapidjson::Value& object, const char* name);
long long get_int64(const rapidjson::Value& object, const char* name, long long fallback = 0);

}  // namespace agenthost::json
