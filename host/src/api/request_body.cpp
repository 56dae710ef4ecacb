#include "api/request_body.hpp"

#include "http/api_error.hpp"
#include "json/json_util.hpp"
#include "json/schema_catalog.hpp"
#include "json/storable_text.hpp"

#include <algorithm>

namespace agenthost::api {
namespace {

// "application/json", "application/json; charset=utf-8" and any
// "application/<x>+json" are JSON; parameters are ignored.
bool is_json_media_type(std::string value) {
    std::transform(value.begin(), value.end(), value.begin(), [](unsigned char c) { return std::tolower(c); });
    std::string type = value.substr(0, value.find(';'));
    type.erase(std::remove_if(type.begin(), type.end(), [](unsigned char c) { return std::isspace(c); }), type.end());
    if (type == "application/json") return true;
    return type.rfind("application/", 0) == 0 && type.size() > 5 && type.compare(type.size() - 5, 5, "+json") == 0;
}

}  // namespace

rapidjson::Document read_json_body(const http::HttpRequest& request, const std::string& schema) {
    const std::string& content_type = request.header("content-type");
    if (!is_json_media_type(content_type))
        throw http::ApiError(415, "UnsupportedMediaType",
                             "request body must be application/json" +
                                 (content_type.empty() ? std::string(" (no Content-Type header was sent)")
                                                       : " (got " + content_type + ")"));
    std::string error;
    auto document = json::parse(request.body, error);
    if (!document) throw http::ApiError(400, "InvalidJSON", "request body is not valid JSON: " + error);
    if (auto bad_text = json::unstorable_strings(*document); !bad_text.empty())
        throw http::ApiError(422, "ValidationError", "request body is invalid: " + json::describe(bad_text),
                             http::to_details(bad_text));
    auto violations = json::host_schema(schema).validate(*document);
    if (!violations.empty())
        throw http::ApiError(422, "ValidationError", "request body is invalid: " + json::describe(violations),
                             http::to_details(violations));
    return std::move(*document);
}

rapidjson::Document read_json_body_or_empty(const http::HttpRequest& request, const std::string& schema) {
    bool blank = std::all_of(request.body.begin(), request.body.end(), [](unsigned char c) { return std::isspace(c); });
    if (!blank) return read_json_body(request, schema);
    rapidjson::Document empty(rapidjson::kObjectType);
    return empty;
}

}  // namespace agenthost::api
