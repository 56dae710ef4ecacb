#include "api/sre_config_api.hpp"

#include "api/incident_json.hpp"
#include "api/request_body.hpp"
#include "api/run_json.hpp"
#include "api/tenancy.hpp"
#include "json/json_util.hpp"
#include "signals/line_signals.hpp"
#include "signals/log_source.hpp"
#include "util/ids.hpp"

namespace agenthost::api {
namespace {

// One kind of integration: where it is served, what its body is, what is
// unique about it and how its absence is named.
struct Kind {
    const char* kind;
    const char* path;
    const char* schema;
    const char* key_field;
    const char* not_found;
    const char* exists;
    const char* noun;
};

const Kind kRepos{"repo", "/api/repos", "requests/sre-repo", "name", "RepositoryNotFound", "RepositoryExists", "repository"};
const Kind kLogSources{"log_source", "/api/log-sources", "requests/sre-log-source", "name", "LogSourceNotFound",
                       "LogSourceExists", "log source"};
const Kind kSlackChannels{"slack_channel", "/api/slack/channels", "requests/sre-slack-channel", "channel",
                          "SlackChannelNotFound", "SlackChannelExists", "Slack channel"};

[[noreturn]] void missing_field(const std::string& field, const std::string& why) {
    throw http::ApiError(422, "ValidationError", field + ": " + why, {{"/" + field, why}});
}

bool has(const rapidjson::Value& body, const char* name) { return !json::get_string(body, name).empty(); }

bool is_http_url(const std::string& url) { return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0; }

// What JSON Schema says only awkwardly: which fields each type needs.
void check_fields(const Kind& kind, const rapidjson::Value& body) {
    if (kind.kind == kRepos.kind) {
        std::string url = json::get_string(body, "url");
        std::string path = json::get_string(body, "path");
        if (url.empty() && path.empty()) missing_field("url", "a repository needs a url or a path");
        if (!url.empty() && !is_http_url(url) && url.rfind("ssh://", 0) != 0 && url.rfind("git@", 0) != 0 &&
            url.rfind("file://", 0) != 0)
            missing_field("url", "must be an https://, http://, ssh://, file:// or git@ URL");
        if (!path.empty() && path.front() != '/') missing_field("path", "must be an absolute path");
        return;
    }
    if (kind.kind != kLogSources.kind) return;
    std::string type = json::get_string(body, "type");
    if (type == "loki") {
        if (!has(body, "url")) missing_field("url", "is required for a loki source");
        if (!is_http_url(json::get_string(body, "url"))) missing_field("url", "must be an http:// or https:// URL");
        if (!has(body, "query")) missing_field("query", "is required for a loki source (a LogQL selector)");
    } else if (type == "cloudwatch") {
        if (!has(body, "log_group")) missing_field("log_group", "is required for a cloudwatch source");
        if (!has(body, "region")) missing_field("region", "is required for a cloudwatch source");
    } else if (type == "file") {
        std::string path = json::get_string(body, "path");
        if (path.empty()) missing_field("path", "is required for a file source");
        if (path.front() != '/') missing_field("path", "must be an absolute path");
    } else if (type == "url") {
        if (!has(body, "url")) missing_field("url", "is required for a url source");
        if (!is_http_url(json::get_string(body, "url"))) missing_field("url", "must be an http:// or https:// URL");
    }
    // What the puller needs to be able to use.
    if (body.HasMember("filter")) {
        std::string problem = signals::check_line_filter(json::get_string(body, "filter"));
        if (!problem.empty()) missing_field("filter", problem);
    }
    if (has(body, "endpoint") && !is_http_url(json::get_string(body, "endpoint")))
        missing_field("endpoint", "must be an http:// or https:// URL");
    if (has(body, "access_key_id") != has(body, "secret_access_key"))
        missing_field(has(body, "access_key_id") ? "secret_access_key" : "access_key_id",
                      "access_key_id and secret_access_key go together");
    if (has(body, "session_token") && !has(body, "access_key_id"))
        missing_field("access_key_id", "a session_token needs access_key_id and secret_access_key");
}

signals::IncidentService& service(ApiContext& context) {
    if (context.incidents == nullptr) throw http::ApiError(503, "Unavailable", "this host has no incident store");
    return *context.incidents;
}

store::SreIntegration visible_item(ApiContext& context, const http::HttpRequest& request, const Kind& kind) {
    std::string id = request.param("id");
    auto item = with_store([&] { return service(context).integration(kind.kind, id); });
    if (!item || !visible(request, item->tenant))
        throw http::ApiError(404, kind.not_found, std::string("no ") + kind.noun + " with id '" + id + "'");
    return *item;
}

void add_kind(http::Router& router, ApiContext& context, const Kind& kind) {
    std::string one = std::string(kind.path) + "/:id";
    router.post(kind.path, [&context, &kind](const http::HttpRequest& request, http::Responder responder) {
        rapidjson::Document body = read_json_body(request, kind.schema);
        check_fields(kind, body);
        store::SreIntegration item;
        item.id = new_time_ordered_uuid();
        item.tenant = request.principal.tenant;
        item.kind = kind.kind;
        item.key = json::get_string(body, kind.key_field);
        if (kind.kind == kRepos.kind && !body.HasMember("default_branch"))
            body.AddMember("default_branch", "main", body.GetAllocator());
        if (kind.kind == kLogSources.kind) signals::seal_log_source_secrets(body);
        item.body_json = json::serialize(body);
        item.created_at_ms = store::now_ms();
        std::string request_id = request.request_id;
        service(context).add_integration(item, [responder, item, request_id, &kind](bool created,
                                                                                   const std::string& error) {
            if (!error.empty()) {
                responder.send(http::error_response(store_error(error), request_id));
            } else if (!created) {
                responder.send(http::error_response(
                    409, kind.exists, std::string(kind.key_field) + " '" + item.key + "' is taken already", request_id));
            } else {
                JsonWriter out;
                write_integration(out, item);
                http::HttpResponse response = http::json_response(201, out.str());
                response.headers.emplace_back("Location", std::string(kind.path) + "/" + item.id);
                responder.send(std::move(response));
            }
        });
    });
    router.get(kind.path, [&context, &kind](const http::HttpRequest& request, http::Responder responder) {
        std::string tenant = request.principal.tenant;
        bool all = request.principal.sees_all_tenants();
        auto items = with_store([&] { return service(context).integrations(kind.kind, all ? nullptr : &tenant); });
        JsonWriter out;
        out->StartObject();
        out.key("items");
        out->StartArray();
        for (const auto& item : items) write_integration(out, item);
        out->EndArray();
        out->EndObject();
        responder.send(http::json_response(200, out.str()));
    });
    router.get(one, [&context, &kind](const http::HttpRequest& request, http::Responder responder) {
        store::SreIntegration item = visible_item(context, request, kind);
        std::optional<store::LogCursor> status;
        if (kind.kind == kLogSources.kind)
            status = with_store([&] { return service(context).log_source_status(item.id); });
        JsonWriter out;
        write_integration(out, item, true, status ? &*status : nullptr);
        responder.send(http::json_response(200, out.str()));
    });
    router.add("DELETE", one, [&context, &kind](const http::HttpRequest& request, http::Responder responder) {
        store::SreIntegration item = visible_item(context, request, kind);
        std::string request_id = request.request_id;
        std::string id = item.id;
        service(context).remove_integration(kind.kind, id, [responder, request_id, id, &kind](bool removed,
                                                                                            const std::string& error) {
            if (!error.empty()) {
                responder.send(http::error_response(store_error(error), request_id));
            } else if (!removed) {
                responder.send(http::error_response(404, kind.not_found, std::string("no ") + kind.noun + " with id '" + id + "'", request_id));
            } else {
                http::HttpResponse gone;
                gone.status = 204;
                responder.send(std::move(gone));
            }
        });
    });
}

}  // namespace

void add_sre_config_routes(http::Router& router, ApiContext& context) {
    add_kind(router, context, kRepos);
    add_kind(router, context, kLogSources);
    add_kind(router, context, kSlackChannels);
}

}  // namespace agenthost::api
