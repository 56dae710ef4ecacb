#include "http/api_error.hpp"

#include "json/json_util.hpp"

namespace agenthost::http {

std::vector<ErrorDetail> to_details(const std::vector<json::Violation>& violations) {
    std::vector<ErrorDetail> details;
    for (const auto& violation : violations) details.push_back({violation.field, violation.message});
    return details;
}

HttpResponse error_response(int status, const std::string& type, const std::string& message,
                            const std::string& request_id, const std::vector<ErrorDetail>& details) {
    rapidjson::Document body(rapidjson::kObjectType);
    auto& allocator = body.GetAllocator();
    body.AddMember("error", json::string_value(type, allocator), allocator);
    body.AddMember("message", json::string_value(message, allocator), allocator);
    body.AddMember("request_id", json::string_value(request_id, allocator), allocator);
    rapidjson::Value list(rapidjson::kArrayType);
    for (const auto& detail : details) {
        rapidjson::Value item(rapidjson::kObjectType);
        item.AddMember("field", json::string_value(detail.field, allocator), allocator);
        item.AddMember("message", json::string_value(detail.message, allocator), allocator);
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
