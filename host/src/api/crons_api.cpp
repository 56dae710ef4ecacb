#include "api/crons_api.hpp"

#include "api/json_writer.hpp"
#include "api/request_body.hpp"
#include "api/run_json.hpp"
#include "api/runs_api.hpp"
#include "api/tenancy.hpp"
#include "api/thread_json.hpp"
#include "crons/cron_service.hpp"
#include "json/json_util.hpp"
#include "util/time_format.hpp"

namespace agenthost::api {
namespace {

void time_or_null(JsonWriter& out, const char* name, long long ms) {
    out.key(name);
    if (ms == 0) out->Null();
    else out.string(iso8601_ms(ms));
}

void write_cron(JsonWriter& out, const store::CronRecord& cron) {
    out->StartObject();
    out.field("cron_id", cron.id);
    out.key("thread_id");
    if (cron.thread_id.empty()) out->Null();
    else out.string(cron.thread_id);
    out.field("agent_name", cron.agent);
    out.field("task", cron.task);
    out.raw_field("context", cron.context_json.empty() ? "{}" : cron.context_json);
    out.field("schedule", cron.schedule);
    out.field("timezone", cron.timezone);
    out.field("on_missed", cron.on_missed);
    std::string error;
    auto options = json::parse(cron.options_json.empty() ? "{}" : cron.options_json, error);
    out.field("multitask_strategy", options ? json::get_string(*options, "multitask_strategy", "enqueue") : "enqueue");
    out.field("on_completion", options ? json::get_string(*options, "on_completion", "keep") : "keep");
    time_or_null(out, "end_time", cron.end_time_ms);
    time_or_null(out, "next_run_at", cron.next_fire_at_ms);
    time_or_null(out, "last_run_at", cron.last_fired_at_ms);
    out.key("last_run_id");
    if (cron.last_run_id.empty()) out->Null();
    else out.string(cron.last_run_id);
    out.field("runs_created", static_cast<size_t>(cron.fired_count));
    out.raw_field("metadata", cron.metadata_json.empty() ? "{}" : cron.metadata_json);
    time_or_null(out, "created_at", cron.created_at_ms);
    time_or_null(out, "updated_at", cron.updated_at_ms);
    out->EndObject();
}

http::HttpResponse cron_response(int status, const store::CronRecord& cron) {
    JsonWriter out;
    write_cron(out, cron);
    http::HttpResponse response = http::json_response(status, out.str());
    if (status == 201) response.headers.emplace_back("Location", "/runs/crons/" + cron.id);
    return response;
}

store::CronRecord visible_cron(crons::CronService& crons, const http::HttpRequest& request, const std::string& id) {
    auto cron = with_store([&] { return crons.find(id); });
    if (!cron || !request.principal.may_see(cron->tenant))
        throw http::ApiError(404, "CronNotFound", "no cron with id '" + id + "'");
    return *cron;
}

// `thread_id`: from the path of POST /threads/{id}/runs/crons ("" for POST /runs/crons).
http::HttpResponse create_cron(ApiContext& context, crons::CronService& crons, const http::HttpRequest& request,
                               const std::string& thread_id) {
    rapidjson::Document body = read_json_body(request, "requests/cron-create");
    if (!thread_id.empty()) visible_thread(context, request, thread_id);
    crons::CronRequest cron;
    cron.agent_name = json::get_string(body, "agent_name");
    cron.task = json::get_string(body, "task");
    if (const rapidjson::Value* v = json::get_member(body, "context")) cron.context_json = json::serialize(*v);
    cron.thread_id = thread_id;
    cron.schedule = json::get_string(body, "schedule");
    cron.timezone = json::get_string(body, "timezone", "UTC");
    cron.on_missed = json::get_string(body, "on_missed", "once");
    cron.multitask_strategy = json::get_string(body, "multitask_strategy", "enqueue");
    cron.on_completion = json::get_string(body, "on_completion", "keep");
    cron.metadata_json = metadata_from(body, "{}");
    if (const rapidjson::Value* end = json::get_member(body, "end_time"); end != nullptr && end->IsString()) {
        auto at = parse_rfc3339_ms(end->GetString());
        if (!at)
            throw http::ApiError(422, "ValidationError", "end_time is not an RFC 3339 time",
                                 {{"/end_time", "must be an RFC 3339 time such as 2026-12-31T23:00:00Z"}});
        cron.end_time_ms = *at;
    }
    cron.tenant = request.principal.tenant;
    cron.key_id = request.principal.id;
    // The agent and its context are checked now, as POST /runs would.
    runs::InvokeRequest probe;
    probe.agent_name = cron.agent_name;
    probe.task = cron.task;
    probe.context_json = cron.context_json;
    if (auto rejection = context.runs.check(probe)) throw rejection_error(*rejection);
    store::CronRecord prepared;
    try {
        prepared = crons.prepare(cron);
    } catch (const crons::CronRejection& rejection) {
        throw http::ApiError(422, "ValidationError", rejection.message, {{"/" + rejection.field, rejection.message}});
    }
    with_store([&] { crons.insert(prepared); });
    return cron_response(201, prepared);
}

http::HttpResponse search_crons(crons::CronService& crons, const http::HttpRequest& request) {
    rapidjson::Document body = read_json_body_or_empty(request, "requests/cron-search");
    store::CronFilter filter;
    filter.agent = json::get_string(body, "agent_name");
    filter.thread_id = json::get_string(body, "thread_id");
    filter.limit = static_cast<size_t>(json::get_int64(body, "limit", 50));
    filter.offset = static_cast<size_t>(json::get_int64(body, "offset", 0));
    if (!request.principal.sees_all_tenants()) {
        filter.by_tenant = true;
        filter.tenant = request.principal.tenant;
    }
    auto found = with_store([&] { return crons.search(filter); });
    JsonWriter out;
    out->StartObject();
    out.key("crons");
    out->StartArray();
    for (const auto& cron : found) write_cron(out, cron);
    out->EndArray();
    out->EndObject();
    return http::json_response(200, out.str());
}

http::HttpResponse delete_cron(crons::CronService& crons, const http::HttpRequest& request) {
    store::CronRecord cron = visible_cron(crons, request, request.param("id"));
    if (!with_store([&] { return crons.remove(cron.id); }))
        throw http::ApiError(404, "CronNotFound", "no cron with id '" + cron.id + "'");
    http::HttpResponse gone;
    gone.status = 204;
    return gone;
}

}  // namespace

void add_cron_routes(http::Router& router, ApiContext& context, crons::CronService& crons) {
    router.post("/runs/crons", [&context, &crons](const http::HttpRequest& request, http::Responder responder) {
        responder.send(create_cron(context, crons, request, ""));
    });
    router.post("/threads/:id/runs/crons", [&context, &crons](const http::HttpRequest& request,
                                                              http::Responder responder) {
        responder.send(create_cron(context, crons, request, request.param("id")));
    });
    router.post("/runs/crons/search", [&crons](const http::HttpRequest& request, http::Responder responder) {
        responder.send(search_crons(crons, request));
    });
    router.get("/runs/crons/:id", [&crons](const http::HttpRequest& request, http::Responder responder) {
        responder.send(cron_response(200, visible_cron(crons, request, request.param("id"))));
    });
    router.add("DELETE", "/runs/crons/:id", [&crons](const http::HttpRequest& request, http::Responder responder) {
        responder.send(delete_cron(crons, request));
    });
}

}  // namespace agenthost::api
