#include "api/incidents_api.hpp"

#include "api/incident_json.hpp"
#include "api/query_params.hpp"
#include "api/request_body.hpp"
#include "api/run_json.hpp"
#include "api/tenancy.hpp"
#include "json/json_util.hpp"

namespace agenthost::api {
namespace {

signals::IncidentService& service(ApiContext& context) {
    if (context.incidents == nullptr) throw http::ApiError(503, "Unavailable", "this host has no incident store");
    return *context.incidents;
}

std::string one_of(const http::HttpRequest& request, const char* name, std::initializer_list<const char*> allowed) {
    const std::string& value = query_value(request, name);
    if (value.empty()) return value;
    std::string listed;
    for (const char* option : allowed) {
        if (value == option) return value;
        listed += (listed.empty() ? "" : ", ") + std::string(option);
    }
    throw http::ApiError(422, "ValidationError", std::string(name) + " must be one of " + listed,
                         {{name, "must be one of " + listed}});
}

http::HttpResponse list(ApiContext& context, const http::HttpRequest& request) {
    store::IncidentFilter filter;
    filter.status = one_of(request, "status", {"open", "resolved"});
    filter.severity = one_of(request, "severity", {"info", "warning", "error", "critical"});
    filter.repository = query_value(request, "repository");
    filter.limit = bounded_number(request, "limit", 20, 1, 200);
    filter.cursor = query_value(request, "cursor");
    if (!filter.cursor.empty()) check_cursor(filter.cursor);
    if (!request.principal.sees_all_tenants()) {
        filter.by_tenant = true;
        filter.tenant = request.principal.tenant;
    }
    store::IncidentPage page = with_store([&] { return service(context).incidents(filter); });
    JsonWriter out;
    out->StartObject();
    out.key("incidents");
    out->StartArray();
    for (const auto& incident : page.incidents) write_incident(out, incident);
    out->EndArray();
    out.key("next_cursor");
    if (page.next_cursor.empty()) out->Null();
    else out.string(page.next_cursor);
    out->EndObject();
    return http::json_response(200, out.str());
}

store::IncidentRecord visible_incident(ApiContext& context, const http::HttpRequest& request) {
    std::string id = request.param("id");
    auto incident = with_store([&] { return service(context).find(id); });
    if (!incident || !visible(request, incident->tenant))
        throw http::ApiError(404, "IncidentNotFound", "no incident with id '" + id + "'");
    return *incident;
}

http::HttpResponse detail(ApiContext& context, const http::HttpRequest& request) {
    store::IncidentRecord incident = visible_incident(context, request);
    auto found = with_store([&] { return service(context).detail(incident.id); });
    if (!found) throw http::ApiError(404, "IncidentNotFound", "no incident with id '" + incident.id + "'");
    JsonWriter out;
    write_incident_detail(out, *found);
    return http::json_response(200, out.str());
}

void change_status(ApiContext& context, const http::HttpRequest& request, const http::Responder& responder,
                   const std::string& status) {
    store::IncidentRecord incident = visible_incident(context, request);
    rapidjson::Document body = read_json_body_or_empty(request, "requests/sre-resolve");
    std::string note = json::get_string(body, status == "resolved" ? "resolution" : "reason");
    std::string request_id = request.request_id;
    std::string id = incident.id;
    service(context).set_status(
        id, status, note, actor_of(request),
        [&context, responder, request_id, id, status](bool changed, const std::string& error) {
            if (!error.empty()) {
                responder.send(http::error_response(store_error(error), request_id));
                return;
            }
            if (!changed) {
                responder.send(http::error_response(
                    409, status == "resolved" ? "IncidentResolved" : "IncidentOpen",
                    "incident " + id + (status == "resolved" ? " is resolved already" : " is not resolved"), request_id));
                return;
            }
            try {
                auto now = service(context).find(id);
                JsonWriter out;
                if (now) write_incident(out, *now);
                responder.send(http::json_response(200, out.str()));
            } catch (const std::exception& e) {
                responder.send(http::error_response(store_error(e.what()), request_id));
            }
        });
}

}  // namespace

void add_incident_routes(http::Router& router, ApiContext& context) {
    router.get("/api/incidents", [&context](const http::HttpRequest& request, http::Responder responder) {
        responder.send(list(context, request));
    });
    router.get("/api/incidents/:id", [&context](const http::HttpRequest& request, http::Responder responder) {
        responder.send(detail(context, request));
    });
    router.post("/api/incidents/:id/resolve", [&context](const http::HttpRequest& request, http::Responder responder) {
        change_status(context, request, responder, "resolved");
    });
    router.post("/api/incidents/:id/reopen", [&context](const http::HttpRequest& request, http::Responder responder) {
        change_status(context, request, responder, "open");
    });
}

}  // namespace agenthost::api
