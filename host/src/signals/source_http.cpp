#include "signals/source_http.hpp"

#include "json/json_util.hpp"
#include "outbound/http_service.hpp"
#include "signals/log_source.hpp"

#include <rapidjson/document.h>

#include <cctype>

namespace agenthost::signals {

SourceAnswer source_request(const std::string& method, const std::string& url,
                            const std::vector<std::pair<std::string, std::string>>& headers, const std::string& body,
                            const PullSettings& settings, size_t max_response_bytes) {
    rapidjson::Document request(rapidjson::kObjectType);
    auto& allocator = request.GetAllocator();
    request.AddMember("method", json::string_value(method, allocator), allocator);
    request.AddMember("url", json::string_value(url, allocator), allocator);
    rapidjson::Value fields(rapidjson::kObjectType);
    fields.AddMember("User-Agent", "agenthost-log-puller", allocator);
    for (const auto& [name, value] : headers)
        fields.AddMember(json::string_value(name, allocator), json::string_value(value, allocator), allocator);
    request.AddMember("headers", fields, allocator);
    if (!body.empty()) request.AddMember("body", json::string_value(body, allocator), allocator);
    outbound::HttpSettings http;
    http.allowed_hosts = settings.allowed_hosts;
    http.max_timeout_seconds = settings.timeout_seconds;
    http.max_response_bytes = max_response_bytes;
    outbound::HttpCall call{"log-source", &http, nullptr};
    outbound::HttpAnswer answer = outbound::run_http(call, json::serialize(request));
    if (answer.status != outbound::HttpStatus::ok) {
        std::string error = answer.error;
        // The guard names the agent setting; sources have their own.
        size_t at = error.find("agents.log-source.http.allowed_hosts");
        if (at != std::string::npos) error.replace(at, 36, "signals.pull.allowed_hosts");
        throw PullError(error);
    }
    std::string parse_error;
    auto response = json::parse(answer.response_json, parse_error);
    if (!response || !response->IsObject()) throw PullError("the http service answered no response: " + parse_error);
    SourceAnswer out;
    out.status = static_cast<int>(json::get_int64(*response, "status"));
    if (const auto* fields = json::get_member(*response, "headers"); fields != nullptr && fields->IsObject())
        for (const auto& field : fields->GetObject())
            if (field.value.IsString()) out.headers[field.name.GetString()] = field.value.GetString();
    if (const auto* text = json::get_member(*response, "body"); text != nullptr && text->IsString())
        out.body.assign(text->GetString(), text->GetStringLength());
    return out;
}

std::string describe_answer(const SourceAnswer& answer) {
    std::string start = answer.body.substr(0, 200);
    for (char& c : start)
        if (c == '\n' || c == '\r') c = ' ';
    return "HTTP " + std::to_string(answer.status) + (start.empty() ? "" : ": " + start);
}

std::string url_encode(const std::string& text) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

}  // namespace agenthost::signals
