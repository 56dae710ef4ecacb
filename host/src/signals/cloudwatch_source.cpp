// `cloudwatch` sources: CloudWatch Logs FilterLogEvents (JSON 1.1 over HTTPS,
// signed with SigV4) from the cursor's time on, following nextToken for a
// few pages. Credentials are the source's own or the host's
// AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN; the region
// the source's or AWS_REGION; `endpoint` replaces
// https://logs.<region>.amazonaws.com (tests, VPC endpoints, LocalStack).
// The cursor is the newest event time read and the ids of the events at
// that millisecond: the next pull starts at that millisecond (events that
// arrive later with the same time are not lost) and skips those ids.
#include "json/json_util.hpp"
#include "net/ssrf_guard.hpp"
#include "signals/aws_sigv4.hpp"
#include "signals/log_source.hpp"
#include "signals/source_answers.hpp"
#include "signals/source_http.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cstdlib>
#include <set>

namespace agenthost::signals {
namespace {

constexpr int kMaxPages = 5;

struct CloudWatchCursor {
    long long time_ms = 0;
    std::set<std::string> ids;
};

CloudWatchCursor read_cursor(const LogSourceConfig& source, const std::string& cursor_json) {
    CloudWatchCursor cursor;
    cursor.time_ms = source.created_at_ms;
    std::string error;
    auto document = json::parse(cursor_json, error);
    if (document && document->IsObject()) {
        cursor.time_ms = json::get_int64(*document, "time_ms", cursor.time_ms);
        if (const auto* ids = json::get_member(*document, "ids"); ids != nullptr && ids->IsArray())
            for (const auto& id : ids->GetArray())
                if (id.IsString()) cursor.ids.insert(id.GetString());
    }
    return cursor;
}

std::string write_cursor(const CloudWatchCursor& cursor) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> out(buffer);
    out.StartObject();
    out.Key("time_ms");
    out.Int64(cursor.time_ms);
    out.Key("ids");
    out.StartArray();
    for (const auto& id : cursor.ids) out.String(id.c_str(), static_cast<rapidjson::SizeType>(id.size()));
    out.EndArray();
    out.EndObject();
    return buffer.GetString();
}

std::string env(const char* name) {
    const char* value = std::getenv(name);
    return value != nullptr ? value : "";
}

AwsCredentials credentials_of(const LogSourceConfig& source) {
    AwsCredentials credentials;
    if (!source.access_key_id.empty()) {
        credentials = {source.access_key_id, source.secret_access_key, source.session_token};
    } else {
        credentials = {env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY"), env("AWS_SESSION_TOKEN")};
    }
    if (credentials.access_key_id.empty() || credentials.secret_access_key.empty())
        throw PullError("no AWS credentials: set access_key_id and secret_access_key on the source, or "
                        "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY for the host");
    return credentials;
}

// The Host header as libcurl sends it: the port only when not the scheme's.
std::string host_header(const net::UrlParts& url) {
    std::string host = url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host;
    bool default_port = (url.scheme == "https" && url.port == 443) || (url.scheme == "http" && url.port == 80);
    return default_port ? host : host + ":" + std::to_string(url.port);
}

}  // namespace

CloudWatchPage read_cloudwatch_page(const std::string& body) {
    std::string error;
    auto document = json::parse(body, error);
    if (!document || !document->IsObject()) throw PullError("CloudWatch answered something that is not JSON: " + error);
    CloudWatchPage page;
    if (const auto* list = json::get_member(*document, "events"); list != nullptr) {
        if (!list->IsArray()) throw PullError("CloudWatch's events is not an array");
        for (const auto& item : list->GetArray()) {
            if (!item.IsObject()) continue;
            CloudWatchEvent event;
            event.time_ms = json::get_int64(item, "timestamp");
            event.id = json::get_string(item, "eventId");
            event.message = json::get_string(item, "message");
            event.stream = json::get_string(item, "logStreamName");
            page.events.push_back(std::move(event));
        }
    }
    page.next_token = json::get_string(*document, "nextToken");
    return page;
}

PullBatch pull_cloudwatch(const LogSourceConfig& source, const std::string& cursor_json,
                          const PullSettings& settings, long long now_ms) {
    CloudWatchCursor cursor = read_cursor(source, cursor_json);
    AwsCredentials credentials = credentials_of(source);
    std::string region = source.region.empty() ? env("AWS_REGION") : source.region;
    if (region.empty()) throw PullError("no AWS region: set region on the source or AWS_REGION for the host");
    std::string endpoint = source.endpoint.empty() ? "https://logs." + region + ".amazonaws.com/" : source.endpoint;
    std::string parse_error;
    auto url = net::parse_http_url(endpoint, parse_error);
    if (!url) throw PullError("the CloudWatch endpoint is not usable: " + parse_error);
    std::vector<CloudWatchEvent> events;
    std::string next_token;
    bool more = false;
    for (int page = 0; page < kMaxPages; ++page) {
        rapidjson::Document body(rapidjson::kObjectType);
        auto& allocator = body.GetAllocator();
        body.AddMember("logGroupName", json::string_value(source.log_group, allocator), allocator);
        body.AddMember("startTime", static_cast<int64_t>(cursor.time_ms), allocator);
        body.AddMember("limit", source.limit, allocator);
        if (!source.filter_pattern.empty())
            body.AddMember("filterPattern", json::string_value(source.filter_pattern, allocator), allocator);
        if (!next_token.empty()) body.AddMember("nextToken", json::string_value(next_token, allocator), allocator);
        std::string payload = json::serialize(body);
        SigV4Request request;
        request.method = "POST";
        request.path = url->path_and_query.substr(0, url->path_and_query.find('?'));
        size_t question = url->path_and_query.find('?');
        request.query = question == std::string::npos ? "" : url->path_and_query.substr(question + 1);
        request.region = region;
        request.service = "logs";
        request.amz_date = amz_date(now_ms);
        request.payload = payload;
        request.headers = {{"Content-Type", "application/x-amz-json-1.1"},
                           {"Host", host_header(*url)},
                           {"X-Amz-Date", request.amz_date},
                           {"X-Amz-Target", "Logs_20140328.FilterLogEvents"}};
        if (!credentials.session_token.empty())
            request.headers.emplace_back("X-Amz-Security-Token", credentials.session_token);
        SigV4Result signature = sign_v4(request, credentials);
        std::vector<std::pair<std::string, std::string>> headers;
        for (const auto& header : request.headers)
            if (header.first != "Host") headers.push_back(header);
        headers.emplace_back("Authorization", signature.authorization);
        headers.emplace_back("Accept", "application/json");
        SourceAnswer answer = source_request("POST", endpoint, headers, payload, settings, settings.max_bytes * 8);
        if (answer.status != 200) throw PullError("CloudWatch FilterLogEvents answered " + describe_answer(answer));
        CloudWatchPage answer_page = read_cloudwatch_page(answer.body);
        for (auto& event : answer_page.events) {
            if (event.time_ms < cursor.time_ms) continue;
            if (event.time_ms == cursor.time_ms && cursor.ids.count(event.id) != 0) continue;
            events.push_back(std::move(event));
        }
        next_token = std::move(answer_page.next_token);
        if (next_token.empty()) break;
        more = page + 1 == kMaxPages;
    }
    std::stable_sort(events.begin(), events.end(), [](const CloudWatchEvent& a, const CloudWatchEvent& b) { return a.time_ms < b.time_ms; });
    PullBatch batch;
    batch.more = more;
    for (auto& event : events) {
        if (event.time_ms > cursor.time_ms) {
            cursor.time_ms = event.time_ms;
            cursor.ids.clear();
        }
        cursor.ids.insert(event.id);
        rapidjson::Document context(rapidjson::kObjectType);
        context.AddMember("log_stream", json::string_value(event.stream, context.GetAllocator()), context.GetAllocator());
        context.AddMember("event_id", json::string_value(event.id, context.GetAllocator()), context.GetAllocator());
        batch.lines.push_back({std::move(event.message), event.time_ms, json::serialize(context)});
    }
    batch.cursor_json = write_cursor(cursor);
    return batch;
}

}  // namespace agenthost::signals
