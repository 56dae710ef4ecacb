#include "auth/cors_policy.hpp"

#include <rapidjson/document.h>

#include <stdexcept>

namespace agenthost::auth {
namespace {

// Every method a route answers to (PUT: /store/items); a page's script
// could not store items when PUT was missing.
const char* kAllowedMethods = "GET, POST, PUT, DELETE, OPTIONS";
const char* kAllowedHeaders =
    "Authorization, X-API-Key, Content-Type, X-Request-ID, X-Approver, Last-Event-ID, Idempotency-Key, traceparent";
// What a page's script may read from a response besides the simple headers.
const char* kExposedHeaders =
    "X-Request-ID, Location, Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset";
const char* kPreflightMaxAge = "600";

std::string trim(const std::string& text) {
    size_t start = text.find_first_not_of(" \t\r\n");
    if (start == std::string::npos) return "";
    return text.substr(start, text.find_last_not_of(" \t\r\n") - start + 1);
}

}  // namespace

std::vector<std::string> parse_origin_list(const std::string& text) {
    std::vector<std::string> origins;
    std::string body = trim(text);
    if (!body.empty() && body[0] == '[') {
        rapidjson::Document document;
        document.Parse(body.c_str());
        if (document.HasParseError() || !document.IsArray())
            throw std::invalid_argument("CORS_ORIGINS is not a JSON array of strings");
        for (const auto& item : document.GetArray()) {
            if (!item.IsString()) throw std::invalid_argument("CORS_ORIGINS is not a JSON array of strings");
            std::string origin = trim(item.GetString());
            if (!origin.empty()) origins.push_back(origin);
        }
        return origins;
    }
    size_t start = 0;
    while (start <= body.size()) {
        size_t end = body.find(',', start);
        if (end == std::string::npos) end = body.size();
        std::string origin = trim(body.substr(start, end - start));
        if (!origin.empty()) origins.push_back(origin);
        start = end + 1;
    }
    return origins;
}

bool CorsPolicy::allows(const std::string& origin) const {
    if (origin.empty()) return false;
    for (const auto& allowed : settings_.origins) {
        if (allowed == "*") return true;
        // Origins compare exactly; a trailing slash in config is forgiven.
        if (allowed == origin || (allowed.size() == origin.size() + 1 && allowed.back() == '/' &&
                                  allowed.compare(0, origin.size(), origin) == 0))
            return true;
    }
    return false;
}

Headers CorsPolicy::response_headers(const std::string& origin) const {
    // The answer depends on the origin, so caches must key on it even when
    // it is refused.
    if (!allows(origin)) return origin.empty() ? Headers{} : Headers{{"Vary", "Origin"}};
    // The origin is echoed, never "*": credentials (Authorization) are sent.
    return {{"Access-Control-Allow-Origin", origin},
            {"Vary", "Origin"},
            {"Access-Control-Expose-Headers", kExposedHeaders}};
}

Headers CorsPolicy::preflight_headers(const std::string& origin, const std::string& requested_method) const {
    if (!allows(origin)) return {};
    std::string methods = kAllowedMethods;
    if (!requested_method.empty() && methods.find(requested_method) == std::string::npos) return {};
    return {{"Access-Control-Allow-Origin", origin},
            {"Vary", "Origin"},
            {"Access-Control-Allow-Methods", methods},
            {"Access-Control-Allow-Headers", kAllowedHeaders},
            {"Access-Control-Max-Age", kPreflightMaxAge}};
}

}  // namespace agenthost::auth
