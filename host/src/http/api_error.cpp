#include "http/api_error.hpp"

#include "json/json_util.hpp"
#include "util/utf8.hpp"

namespace agenthost::http {
namespace {

// Messages echo what the client sent (a path's id, a query's value), and a
// percent-decoded "%FF" is not UTF-8: written raw it would make the whole
// envelope invalid JSON, so such bytes become U+FFFD.
rapidjson::Value text_value(const std::string& text, rapidjson::Document::AllocatorType& allocator) {
    if (is_valid_utf8(text)) return json::string_value(text, allocator);
    return json::string_value(with_invalid_utf8_replaced(text), allocator);
}

}  // namespace

std::vector<ErrorDetail> to_details(const std::vector<json::Violation>& violations) {
    std::vector<ErrorDetail> details;
    for (const auto& violation : violations) details.push_back({violation.field, violation.message});
    return details;
}

HttpResponse error_response(int status, const std::string& type, const std::string& message,
                            const std::string& request_id, const std::vector<ErrorDetail>& details) {
    rapidjson::Document body(rapidjson::kObjectType);
    auto& allocator = body.GetAllocator();
    body.AddMember("error", text_value(type, allocator), allocator);
    body.AddMember("message", text_value(message, allocator), allocator);
    body.AddMember("request_id", text_value(request_id, allocator), allocator);
    rapidjson::Value list(rapidjson::kArrayType);
    for (const auto& detail : details) {
        rapidjson::Value item(rapidjson::kObjectType);
        item.AddMember("field", text_value(detail.field, allocator), allocator);
        item.AddMember("message", text_value(detail.message, allocator), allocator);
        list.PushBack(item, allocator);
    }
    body.AddMember("details", list, allocator);
    HttpResponse response;
    response.status = status;
    response.body = json::serialize(body);
    return response;
}

HttpResponse error_response(const ApiError& error, const std::string& request_id) {
    HttpResponse response = error_response(error.status, error.type, error.what(), request_id, error.details);
    response.headers = error.headers;
    return response;
}

}  // namespace agenthost::http
