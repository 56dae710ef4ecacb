// What a caller asks of the long-term store, read from JSON and checked
// once for both ways in: the HTTP handlers (api/store_api.cpp) and the
// plugins' store calls (abi.h, callback_run_store). A request that breaks a
// rule throws InvalidStoreRequest naming the field (a JSON Pointer), which
// HTTP answers as 422 and the ABI as AGENTHOST_ERROR_BAD_ARGUMENT.
//
// The rules follow LangGraph's store: a namespace is a list of labels,
// each non-empty and without '.', since clients send it dot-joined in
// GET /store/items?namespace=a.b; values are JSON objects; ttl is in
// minutes (fractions allowed).
#pragma once

#include <rapidjson/document.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace agenthost::memory_store {

inline constexpr size_t kMaxLabels = 16;
inline constexpr size_t kMaxLabelBytes = 256;
inline constexpr size_t kMaxKeyBytes = 1024;
// A value (serialised) may hold this much; past it 422 (the HTTP body
// limit, 1 MiB by default, answers 413 before this is read).
inline constexpr size_t kMaxValueBytes = 256 * 1024;
inline constexpr double kMaxTtlMinutes = 10.0 * 366 * 24 * 60;
inline constexpr size_t kMaxSearchLimit = 1000;
inline constexpr size_t kMaxOffset = 100000;
inline constexpr size_t kMaxQueryWords = 32;

struct InvalidStoreRequest : std::runtime_error {
    InvalidStoreRequest(std::string field, const std::string& message)
        : std::runtime_error(message), field(std::move(field)) {}
    std::string field;  // JSON Pointer ("/namespace/1") or query parameter name
};

struct Namespace {
    std::vector<std::string> labels;
    std::string joined;  // labels joined with '.', as the store keeps it
};

struct ItemRef {
    Namespace ns;
    std::string key;
};

struct PutRequest {
    ItemRef item;
    std::string value_json;   // the object, serialised
    std::string search_text;  // its strings, for the full-text index
    std::optional<long long> ttl_ms;
};

// One condition on a top-level member of an item's value.
struct FieldCondition {
    std::string field;
    std::string op;  // $eq $ne $gt $gte $lt $lte
    rapidjson::Document operand;
};

struct SearchRequest {
    Namespace prefix;  // no labels: every namespace
    std::vector<FieldCondition> filter;
    std::vector<std::string> words;  // from `query`; none: newest first
    bool has_query = false;
    bool refresh_ttl = false;  // restart the ttl of the items found
    size_t limit = 10;
    size_t offset = 0;
};

struct NamespacesRequest {
    Namespace prefix;
    std::vector<std::string> suffix;
    size_t max_depth = 0;  // 0: whole namespaces
    size_t limit = 100;
    size_t offset = 0;
};

// `value` must be an array of labels; `allow_empty` for prefixes.
Namespace read_namespace(const rapidjson::Value* value, const std::string& field, bool allow_empty);
// "a.b.c" as LangGraph's clients send it in a query string.
Namespace read_dotted_namespace(const std::string& dotted, const std::string& field);
std::string read_key(const rapidjson::Value* value, const std::string& field);

// The bodies of PUT /store/items, DELETE /store/items, POST
// /store/items/search and POST /store/namespaces (and the same members of
// a plugin's store call).
PutRequest read_put(const rapidjson::Value& body);
ItemRef read_item_ref(const rapidjson::Value& body);
SearchRequest read_search(const rapidjson::Value& body);
NamespacesRequest read_namespaces(const rapidjson::Value& body);
// The body's "refresh_ttl" (absent or null: false).
bool read_refresh_ttl(const rapidjson::Value& body);

// The words full-text search ranks by: runs of letters and digits (any
// non-ASCII byte counts as a letter), at most kMaxQueryWords of them.
std::vector<std::string> query_words(const std::string& query);
// Every string value in `value` (not member names), one per line.
std::string searchable_text(const rapidjson::Value& value);
// True when the item's value (an object) meets every condition.
bool matches_filter(const rapidjson::Value& value, const std::vector<FieldCondition>& filter);

}  // namespace agenthost::memory_store
