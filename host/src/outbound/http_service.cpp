#include "outbound/http_service.hpp"

#include "json/json_util.hpp"
#include "llm/http_transport.hpp"
#include "net/ssrf_guard.hpp"
#include "util/log.hpp"

#include <rapidjson/document.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <set>

namespace agenthost::outbound {
namespace {

const std::set<std::string> kMethods = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

// RFC 9110 token characters: anything else in a name could smuggle a
// second header or confuse the receiver.
bool is_header_name(const std::string& name) {
    if (name.empty() || name.size() > 256) return false;
    return std::all_of(name.begin(), name.end(), [](unsigned char c) {
        return std::isalnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
    });
}

bool is_header_value(const std::string& value) {
    return std::none_of(value.begin(), value.end(), [](unsigned char c) { return c == '\r' || c == '\n' || c == 0; });
}

// Headers the host sets itself; a plugin must not steer the connection.
bool is_reserved_header(const std::string& lowered) {
    return lowered == "host" || lowered == "content-length" || lowered == "transfer-encoding" ||
           lowered == "connection" || lowered == "expect" || lowered == "upgrade";
}

bool is_credential_header(const std::string& lowered) {
    return lowered == "authorization" || lowered == "proxy-authorization" || lowered == "cookie" ||
           lowered == "set-cookie" || lowered == "x-api-key" || lowered == "api-key" ||
           lowered.find("token") != std::string::npos || lowered.find("secret") != std::string::npos;
}

struct ParsedRequest {
    llm::HttpPost post;
    double timeout_seconds = 0;
    size_t max_response_bytes = 0;
};

// The plugin's request, or nullopt with `error` saying what is wrong.
std::optional<ParsedRequest> parse_request(const std::string& request_json, const HttpSettings& settings,
                                           std::string& error) {
    auto request = json::parse(request_json, error);
    if (!request || !request->IsObject()) {
        error = "the request must be a JSON object {\"method\",\"url\",\"headers\",\"body\"}";
        return std::nullopt;
    }
    ParsedRequest parsed;
    const rapidjson::Value* method = json::get_member(*request, "method");
    if (method != nullptr && !method->IsString()) {
        error = "\"method\" must be a string";
        return std::nullopt;
    }
    parsed.post.method = method != nullptr ? method->GetString() : "GET";
    std::transform(parsed.post.method.begin(), parsed.post.method.end(), parsed.post.method.begin(),
                   [](unsigned char c) { return std::toupper(c); });
    if (kMethods.count(parsed.post.method) == 0) {
        error = "\"method\" must be one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
        return std::nullopt;
    }
    const rapidjson::Value* url = json::get_member(*request, "url");
    if (url == nullptr || !url->IsString() || url->GetStringLength() == 0) {
        error = "\"url\" must be a non-empty string";
        return std::nullopt;
    }
    parsed.post.url = url->GetString();
    if (!net::parse_http_url(parsed.post.url, error)) {
        error = "\"url\" is not usable: " + error;
        return std::nullopt;
    }
    if (const rapidjson::Value* headers = json::get_member(*request, "headers")) {
        if (!headers->IsObject()) {
            error = "\"headers\" must be an object of strings";
            return std::nullopt;
        }
        for (const auto& header : headers->GetObject()) {
            std::string name = header.name.GetString();
            if (!header.value.IsString() || !is_header_name(name) || !is_header_value(header.value.GetString())) {
                error = "header '" + name + "' is not a valid header name with a single-line string value";
                return std::nullopt;
            }
            if (is_reserved_header(lower(name))) {
                error = "header '" + name + "' is set by the host";
                return std::nullopt;
            }
            parsed.post.headers.emplace_back(name, header.value.GetString());
        }
    }
    if (const rapidjson::Value* body = json::get_member(*request, "body")) {
        if (!body->IsString()) {
            error = "\"body\" must be a string";
            return std::nullopt;
        }
        parsed.post.body.assign(body->GetString(), body->GetStringLength());
    }
    parsed.timeout_seconds = settings.max_timeout_seconds;
    if (const rapidjson::Value* timeout = json::get_member(*request, "timeout_seconds")) {
        if (!timeout->IsNumber() || !(timeout->GetDouble() > 0) || !std::isfinite(timeout->GetDouble())) {
            error = "\"timeout_seconds\" must be a number > 0";
            return std::nullopt;
        }
        parsed.timeout_seconds = std::min(timeout->GetDouble(), settings.max_timeout_seconds);
    }
    parsed.max_response_bytes = settings.max_response_bytes;
    if (const rapidjson::Value* limit = json::get_member(*request, "max_response_bytes")) {
        if (!limit->IsUint64() || limit->GetUint64() == 0) {
            error = "\"max_response_bytes\" must be an integer >= 1";
            return std::nullopt;
        }
        parsed.max_response_bytes = std::min<size_t>(limit->GetUint64(), settings.max_response_bytes);
    }
    auto timeout_ms = static_cast<long long>(std::ceil(parsed.timeout_seconds * 1000));
    parsed.post.timeout_ms = std::max<long long>(1, timeout_ms);
    parsed.post.connect_timeout_ms = std::min<long long>(parsed.post.timeout_ms, 10000);
    parsed.post.max_body_bytes = parsed.max_response_bytes;
    return parsed;
}

// "Name: value; ..." with credentials redacted, for the log.
std::string header_summary(const std::vector<std::pair<std::string, std::string>>& headers) {
    std::string text;
    for (const auto& [name, value] : redacted_headers(headers)) text += (text.empty() ? "" : "; ") + name + ": " + value;
    return text;
}

// scheme://host:port/path: the query may carry a key, so it stays out of logs.
std::string loggable_url(const std::string& url) {
    std::string error;
    auto parts = net::parse_http_url(url, error);
    if (!parts) return "(unparsable)";
    std::string path = parts->path_and_query.substr(0, parts->path_and_query.find('?'));
    std::string host = parts->host.find(':') != std::string::npos ? "[" + parts->host + "]" : parts->host;
    return parts->scheme + "://" + host + ":" + std::to_string(parts->port) + path;
}

std::string response_json(const llm::HttpReply& reply, long long duration_ms) {
    rapidjson::Document response(rapidjson::kObjectType);
    auto& allocator = response.GetAllocator();
    response.AddMember("status", reply.status, allocator);
    rapidjson::Value headers(rapidjson::kObjectType);
    for (const auto& [name, value] : reply.headers)
        headers.AddMember(json::string_value(name, allocator), json::string_value(value, allocator), allocator);
    response.AddMember("headers", headers, allocator);
    response.AddMember("body", json::string_value(reply.body, allocator), allocator);
    response.AddMember("duration_ms", static_cast<int64_t>(duration_ms), allocator);
    return json::serialize(response);
}

}  // namespace

std::vector<std::pair<std::string, std::string>> redacted_headers(
    const std::vector<std::pair<std::string, std::string>>& headers) {
    auto shown = headers;
    for (auto& [name, value] : shown)
        if (is_credential_header(lower(name))) value = "[redacted]";
    return shown;
}

HttpAnswer run_http(const HttpCall& call, const std::string& request_json) {
    HttpAnswer answer;
    static const HttpSettings kDefaults;
    const HttpSettings& settings = call.settings != nullptr ? *call.settings : kDefaults;
    auto request = parse_request(request_json, settings, answer.error);
    if (!request) {
        answer.status = HttpStatus::bad_request;
        return answer;
    }
    net::GuardWording wording{"the URL", "agents." + call.agent + ".http.allowed_hosts"};
    net::GuardDecision guard = net::check_url(request->post.url, settings.allowed_hosts, wording);
    if (!guard.allowed) {
        answer.status = guard.unresolved ? HttpStatus::unavailable : HttpStatus::denied;
        answer.error = guard.reason;
        log::warn("plugin http request refused", {{"agent", call.agent}, {"method", request->post.method},
                                                  {"url", loggable_url(request->post.url)}, {"reason", guard.reason}});
        return answer;
    }
    if (!guard.resolved_ip.empty()) {
        std::string ip = guard.resolved_ip.find(':') != std::string::npos ? "[" + guard.resolved_ip + "]" : guard.resolved_ip;
        request->post.pinned_resolve = guard.host + ":" + std::to_string(guard.port) + ":" + ip;
    }
    auto started = std::chrono::steady_clock::now();
    llm::HttpReply reply;
    {
        // Cancelling the run cuts the transfer short.
        llm::CancelScope cancel_with_run(call.cancelled);
        reply = llm::http_post(request->post);
    }
    auto duration_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
    log::info("plugin http request", {{"agent", call.agent},
                                      {"method", request->post.method},
                                      {"url", loggable_url(request->post.url)},
                                      {"headers", header_summary(request->post.headers)},
                                      {"status", reply.status},
                                      {"duration_ms", static_cast<long long>(duration_ms)},
                                      {"error", reply.error}});
    if (call.cancelled != nullptr && call.cancelled->load()) {
        answer.status = HttpStatus::cancelled;
        answer.error = "the run was cancelled during the HTTP request";
        return answer;
    }
    if (reply.transport_error()) {
        answer.status = HttpStatus::unavailable;
        answer.error = request->post.method + " " + loggable_url(request->post.url) + " failed: " + reply.error;
        return answer;
    }
    answer.status = HttpStatus::ok;
    answer.response_json = response_json(reply, duration_ms);
    return answer;
}

}  // namespace agenthost::outbound
