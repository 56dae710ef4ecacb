#include "api/signals_api.hpp"

#include "api/incident_json.hpp"
#include "api/query_params.hpp"
#include "api/request_body.hpp"
#include "api/run_json.hpp"
#include "json/json_util.hpp"
#include "signals/fingerprint.hpp"
#include "signals/signal_signature.hpp"

#include <map>

namespace agenthost::api {
namespace {

signals::IncidentService& service(ApiContext& context) {
    if (context.incidents == nullptr) throw http::ApiError(503, "Unavailable", "this host has no incident store");
    return *context.incidents;
}

// GitHub and Slack cannot send API keys: their routes are open and their
// signature is the credential. Unsigned, they are accepted only while the
// host itself asks for no credentials.
void require_secret_when_auth(ApiContext& context, const char* setting) {
    if (context.authenticator != nullptr && context.authenticator->required())
        throw http::ApiError(401, "Unauthorized",
                             std::string("unsigned signals are refused while auth is required: configure ") + setting);
}

void answer_ingest(const http::Responder& responder, const std::string& request_id,
                   const signals::IngestResult& result, const std::string& error) {
    if (!error.empty()) {
        responder.send(http::error_response(store_error(error), request_id));
        return;
    }
    // Each incident once, with its count after this request.
    std::map<std::string, std::pair<bool, long long>> incidents;
    std::vector<std::string> order;
    for (const auto& outcome : result.outcomes) {
        if (outcome.incident_id.empty()) continue;
        auto [it, inserted] = incidents.emplace(outcome.incident_id, std::make_pair(false, 0LL));
        if (inserted) order.push_back(outcome.incident_id);
        it->second.first = it->second.first || outcome.created;
        it->second.second = std::max(it->second.second, outcome.signal_count);
    }
    JsonWriter out;
    out->StartObject();
    out.field("accepted", result.outcomes.size());
    out.key("signal_ids");
    out->StartArray();
    for (const auto& outcome : result.outcomes)
        if (outcome.stored) out.string(outcome.signal_id);
    out->EndArray();
    out.key("incidents");
    out->StartArray();
    for (const auto& id : order) {
        out->StartObject();
        out.field("id", id);
        out.field("created", incidents[id].first);
        out.key("signal_count");
        out->Int64(incidents[id].second);
        out->EndObject();
    }
    out->EndArray();
    out->EndObject();
    responder.send(http::json_response(202, out.str()));
}

void ingest(ApiContext& context, const http::HttpRequest& request, const http::Responder& responder,
            const std::string& tenant, std::vector<signals::IncomingSignal> batch) {
    std::string request_id = request.request_id;
    service(context).ingest(tenant, std::move(batch),
                            [responder, request_id](const signals::IngestResult& result, const std::string& error) {
                                answer_ingest(responder, request_id, result, error);
                            });
}

// A log source named by the entry lends it its service and repository.
struct SourceDefaults {
    std::string service;
    std::string repository;
};

signals::IncomingSignal log_signal(const rapidjson::Value& entry, const std::string& field,
                                   const std::map<std::string, SourceDefaults>& sources) {
    signals::IncomingSignal signal;
    signal.kind = "log";
    signal.message = json::get_string(entry, "message");
    if (signal.message.empty())
        throw http::ApiError(422, "ValidationError", field + "/message is required", {{field + "/message", "is required"}});
    signal.service = json::get_string(entry, "service");
    signal.repository = json::get_string(entry, "repository");
    std::string source = json::get_string(entry, "source");
    if (!source.empty()) {
        auto found = sources.find(source);
        if (found == sources.end())
            throw http::ApiError(422, "ValidationError", field + "/source: no log source named '" + source + "'",
                                 {{field + "/source", "names no log source (POST /api/log-sources)"}});
        if (signal.service.empty()) signal.service = found->second.service;
        if (signal.repository.empty()) signal.repository = found->second.repository;
    }
    std::string level = json::get_string(entry, "level", "error");
    signal.severity = signals::normal_severity(level);
    if (signal.severity.empty())
        throw http::ApiError(422, "ValidationError", field + "/level: unknown level '" + level + "'",
                             {{field + "/level", "must be critical, error, warning or info (or a usual spelling)"}});
    signal.may_open_incident = signal.severity == "error" || signal.severity == "critical";
    if (const rapidjson::Value* at = json::get_member(entry, "timestamp"); at != nullptr && at->IsInt64())
        signal.received_at_ms = at->GetInt64();
    signal.payload_json = json::serialize(entry);
    return signal;
}

void post_logs(ApiContext& context, const http::HttpRequest& request, const http::Responder& responder) {
    rapidjson::Document body = read_json_body(request, "requests/sre-log-signal");
    std::string tenant = request.principal.tenant;
    std::map<std::string, SourceDefaults> sources;
    for (const auto& item : with_store([&] { return service(context).integrations("log_source", &tenant); })) {
        std::string error;
        auto source = json::parse(item.body_json, error);
        if (source && source->IsObject())
            sources[item.key] = {json::get_string(*source, "service"), json::get_string(*source, "repository")};
    }
    std::vector<signals::IncomingSignal> batch;
    if (const rapidjson::Value* entries = json::get_member(body, "entries"); entries != nullptr && entries->IsArray()) {
        if (body.HasMember("message"))
            throw http::ApiError(422, "ValidationError", "send one message or entries, not both",
                                 {{"/message", "is not allowed with entries"}});
        size_t index = 0;
        for (const auto& entry : entries->GetArray())
            batch.push_back(log_signal(entry, "/entries/" + std::to_string(index++), sources));
    } else {
        batch.push_back(log_signal(body, "", sources));
    }
    ingest(context, request, responder, tenant, std::move(batch));
}

void post_slack(ApiContext& context, const http::HttpRequest& request, const http::Responder& responder) {
    const std::string& secret = service(context).settings().slack_signing_secret;
    if (!secret.empty()) {
        std::string problem = signals::check_slack_signature(
            secret, request.header("x-slack-signature"), request.header("x-slack-request-timestamp"), request.body,
            store::now_ms() / 1000, service(context).settings().slack_max_skew_seconds);
        if (!problem.empty()) throw http::ApiError(401, "Unauthorized", problem);
    } else {
        require_secret_when_auth(context, "signals.slack_signing_secret (SLACK_SIGNING_SECRET)");
    }
    rapidjson::Document body = read_json_body(request, "requests/sre-slack-signal");
    std::string type = json::get_string(body, "type");
    if (type == "url_verification") {
        JsonWriter out;
        out->StartObject();
        out.field("challenge", json::get_string(body, "challenge"));
        out->EndObject();
        responder.send(http::json_response(200, out.str()));
        return;
    }
    const rapidjson::Value* event = json::get_member(body, "event");
    const rapidjson::Value& message = event != nullptr && event->IsObject() ? *event : body;
    signals::IncomingSignal signal;
    signal.kind = "slack";
    signal.message = json::get_string(message, "text");
    std::string channel = json::get_string(message, "channel");
    if (signal.message.empty())
        throw http::ApiError(422, "ValidationError", "the Slack message has no text",
                             {{event != nullptr ? "/event/text" : "/text", "is required"}});
    if (channel.empty())
        throw http::ApiError(422, "ValidationError", "the Slack message names no channel",
                             {{event != nullptr ? "/event/channel" : "/channel", "is required"}});
    // Signed Slack requests carry no key: they belong to the default tenant.
    std::string tenant = request.principal.tenant;
    signal.service = "slack:" + channel;
    signal.repository = with_store([&] { return service(context).repository_of_channel(tenant, channel); });
    std::string severity = json::get_string(body, "severity");
    signal.severity = severity.empty() ? "error" : severity;
    // An escalation in a channel mapped to a repository opens (or joins) an
    // incident; chatter elsewhere is evidence.
    signal.may_open_incident = !signal.repository.empty() && signal.severity != "info";
    signal.payload_json = json::serialize(body);
    ingest(context, request, responder, tenant, {signal});
}

void post_github(ApiContext& context, const http::HttpRequest& request, const http::Responder& responder) {
    const std::string& secret = service(context).settings().github_secret;
    if (!secret.empty()) {
        std::string problem = signals::check_github_signature(secret, request.header("x-hub-signature-256"), request.body);
        if (!problem.empty()) throw http::ApiError(401, "Unauthorized", problem);
    } else {
        require_secret_when_auth(context, "signals.github_secret (GITHUB_WEBHOOK_SECRET)");
    }
    rapidjson::Document body = read_json_body(request, "requests/sre-github-signal");
    std::string event = request.header("x-github-event");
    if (event.empty()) event = "unknown";
    signals::IncomingSignal signal;
    signal.kind = "github";
    signal.severity = "info";
    if (const rapidjson::Value* repository = json::get_member(body, "repository"); repository && repository->IsObject())
        signal.repository = json::get_string(*repository, "name");
    // What retrieval finds: the event and every commit summary it carries.
    std::string text = "github " + event;
    if (std::string ref = json::get_string(body, "ref"); !ref.empty()) text += " " + ref;
    if (const rapidjson::Value* commits = json::get_member(body, "commits"); commits && commits->IsArray())
        for (const auto& commit : commits->GetArray())
            if (commit.IsObject()) {
                std::string id = json::get_string(commit, "id");
                text += "\n" + id.substr(0, std::min<size_t>(id.size(), 12)) + " " + json::get_string(commit, "message");
                // The files too: errors name classes and modules, not commits.
                std::string files;
                for (const char* list : {"added", "removed", "modified"})
                    if (const rapidjson::Value* names = json::get_member(commit, list); names && names->IsArray())
                        for (const auto& name : names->GetArray())
                            if (name.IsString() && files.size() < 2000) files += (files.empty() ? "" : ", ") + std::string(name.GetString());
                if (!files.empty()) text += " (" + files + ")";
            }
    if (const rapidjson::Value* head = json::get_member(body, "head_commit"); head && head->IsObject() &&
                                                                               json::get_member(body, "commits") == nullptr)
        text += "\n" + json::get_string(*head, "message");
    signal.message = text.size() > 16384 ? text.substr(0, 16384) : text;
    signal.service = "github";
    signal.payload_json = json::serialize(body);
    ingest(context, request, responder, request.principal.tenant, {signal});
}

void post_issue(ApiContext& context, const http::HttpRequest& request, const http::Responder& responder) {
    rapidjson::Document body = read_json_body(request, "requests/sre-issue");
    signals::IncomingSignal signal;
    signal.kind = "manual";
    std::string title = json::get_string(body, "title");
    std::string description = json::get_string(body, "description");
    signal.message = description.empty() ? title : title + "\n" + description;
    signal.service = json::get_string(body, "service");
    signal.repository = json::get_string(body, "repository");
    signal.severity = json::get_string(body, "severity", "error");
    signal.payload_json = json::serialize(body);
    std::string request_id = request.request_id;
    service(context).open_issue(request.principal.tenant, title, signal,
                                [responder, request_id](const store::IncidentRecord& incident, const std::string& error) {
                                    if (!error.empty()) {
                                        responder.send(http::error_response(store_error(error), request_id));
                                        return;
                                    }
                                    JsonWriter out;
                                    write_incident(out, incident);
                                    http::HttpResponse response = http::json_response(201, out.str());
                                    response.headers.emplace_back("Location", "/api/incidents/" + incident.id);
                                    responder.send(std::move(response));
                                });
}

http::HttpResponse search(ApiContext& context, const http::HttpRequest& request) {
    std::string query = query_value(request, "q");
    if (query.empty()) throw http::ApiError(422, "ValidationError", "q is required", {{"q", "is required"}});
    if (query.size() > 4096) throw http::ApiError(422, "ValidationError", "q is too long", {{"q", "at most 4096 bytes"}});
    size_t limit = bounded_number(request, "limit", 20, 1, 200);
    auto found = with_store([&] { return service(context).search(request.principal.tenant, query, limit); });
    JsonWriter out;
    out->StartObject();
    out.key("signals");
    out->StartArray();
    for (const auto& signal : found) write_signal(out, signal);
    out->EndArray();
    out->EndObject();
    return http::json_response(200, out.str());
}

}  // namespace

void add_signal_routes(http::Router& router, ApiContext& context) {
    router.post("/api/signals/logs", [&context](const http::HttpRequest& request, http::Responder responder) {
        post_logs(context, request, responder);
    });
    router.post("/api/signals/slack", [&context](const http::HttpRequest& request, http::Responder responder) {
        post_slack(context, request, responder);
    });
    router.post("/api/signals/github", [&context](const http::HttpRequest& request, http::Responder responder) {
        post_github(context, request, responder);
    });
    router.post("/api/issues", [&context](const http::HttpRequest& request, http::Responder responder) {
        post_issue(context, request, responder);
    });
    router.get("/api/signals/search", [&context](const http::HttpRequest& request, http::Responder responder) {
        responder.send(search(context, request));
    });
}

}  // namespace agenthost::api
