#include "api/pipeline_api.hpp"

#include "api/query_params.hpp"
#include "api/request_body.hpp"
#include "api/run_json.hpp"
#include "api/tenancy.hpp"
#include "api/webhooks_api.hpp"
#include "json/json_util.hpp"
#include "util/time_format.hpp"

#include <algorithm>

namespace agenthost::api {
namespace {

const std::vector<std::string> kDefaultAgents = {"summarizer", "sentiment", "entity_extractor"};

// Counts characters, not bytes: MAX_TEXT_LENGTH is about text.
size_t utf8_length(const std::string& text) {
    return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xc0) != 0x80; }));
}

runs::PipelineRequest pipeline_request(const rapidjson::Document& body, size_t max_text_length) {
    runs::PipelineRequest request;
    request.text = json::get_string(body, "text");
    size_t length = utf8_length(request.text);
    if (length < 10 || length > max_text_length)
        throw http::ApiError(422, "ValidationError",
                             "text must be 10 to " + std::to_string(max_text_length) + " characters long, got " +
                                 std::to_string(length),
                             {{"/text", "must be 10 to " + std::to_string(max_text_length) + " characters long"}});
    request.mode = json::get_string(body, "orchestration_mode", "sequential");
    if (const rapidjson::Value* agents = json::get_member(body, "agents")) {
        for (const auto& agent : agents->GetArray()) request.agents.emplace_back(agent.GetString());
    } else {
        request.agents = kDefaultAgents;
    }
    request.webhook_url = json::get_string(body, "webhook_url");
    request.webhook_secret = json::get_string(body, "webhook_secret");
    return request;
}

}  // namespace

void write_pipeline(JsonWriter& out, const store::PipelineRecord& pipeline, const std::vector<store::RunRecord>* runs) {
    out->StartObject();
    out.field("request_id", pipeline.id);
    out.field("status", pipeline.status);
    out.field("orchestration_mode", pipeline.mode);
    out.string_array("agents", pipeline.agents);
    out.field("thread_id", pipeline.thread_id);
    out.field("created_at", iso8601_ms(pipeline.created_at_ms));
    out.key("completed_at");
    if (pipeline.finished_at_ms == 0) out->Null();
    else out.string(iso8601_ms(pipeline.finished_at_ms));
    out.field("text_length", utf8_length(pipeline.text));
    if (runs != nullptr) {
        // Seed 004's per-agent results, keyed by agent, plus the runs.
        out.key("results");
        out->StartObject();
        for (const auto& run : *runs) {
            out.key(run.agent);
            out->StartObject();
            out.field("status", run.status);
            out.field("run_id", run.id);
            if (run.result_json.empty()) {
                out.key("result");
                out->Null();
            } else {
                out.raw_field("result", run.result_json);
            }
            out.key("error");
            if (run.error.empty()) out->Null();
            else out.string(run.error);
            out.key("execution_time");
            if (run.started_at_ms != 0 && run.finished_at_ms != 0) out->Double((run.finished_at_ms - run.started_at_ms) / 1000.0);
            else out->Null();
            out->EndObject();
        }
        out->EndObject();
    }
    out->EndObject();
}

namespace {

http::HttpResponse processing_accepted(const store::PipelineRecord& stored) {
    JsonWriter out;
    out->StartObject();
    out.field("request_id", stored.id);
    out.field("status", "processing");
    out.field("orchestration_mode", stored.mode);
    out.string_array("agents", stored.agents);
    out.field("message", "processing started; poll /api/v1/results/" + stored.id);
    out->EndObject();
    http::HttpResponse response = http::json_response(202, out.str());
    response.headers.emplace_back("Location", "/api/v1/results/" + stored.id);
    return response;
}

}  // namespace

Replay replay_pipeline(ApiContext& context, const std::string& request_id,
                       http::HttpResponse (*accepted)(const store::PipelineRecord&)) {
    return [&context, request_id, accepted](const store::IdempotencyRecord& earlier, const http::Responder& to) {
        auto view = with_store([&] { return context.runs.pipeline(earlier.resource_id); });
        if (!view) {
            to.send(http::error_response(404, "RequestNotFound",
                                         "what this key created ('" + earlier.resource_id + "') no longer exists",
                                         request_id));
            return;
        }
        to.send(accepted(view->pipeline));
    };
}

void accept_processing_request(ApiContext& context, const rapidjson::Document& body, const http::HttpRequest& request,
                               const http::Responder& responder) {
    auto claim = idempotency_claim(request, "POST " + request.path, 202);
    std::string request_id = request.request_id;
    Replay replay = replay_pipeline(context, request_id, processing_accepted);
    if (answered_from_earlier(context, claim, request_id, responder, replay)) return;
    check_webhook_fields(body, context.webhooks);
    runs::PipelineRequest pipeline = pipeline_request(body, context.max_text_length);
    pipeline.tenant = request.principal.tenant;
    pipeline.key_id = request.principal.id;
    if (auto rejection = context.runs.check(pipeline)) throw rejection_error(*rejection);
    pipeline.idempotency = claim;
    context.runs.submit(pipeline, [&context, responder, request_id, claim, replay](const store::PipelineRecord& stored,
                                                                                 const std::string& error) {
        if (error.empty()) {
            responder.send(processing_accepted(stored));
        } else if (!answered_from_earlier(context, claim, request_id, responder, replay)) {
            responder.send(http::error_response(store_error(error), request_id));
        }
    });
}

void add_pipeline_routes(http::Router& router, ApiContext& context) {
    router.post("/api/v1/process", [&context](const http::HttpRequest& request, http::Responder responder) {
        rapidjson::Document body = read_json_body(request, "requests/process");
        accept_processing_request(context, body, request, responder);
    });
    router.get("/api/v1/results/:id", [&context](const http::HttpRequest& request, http::Responder responder) {
        auto view = with_store([&] { return context.runs.pipeline(request.param("id")); });
        if (!view || !visible(request, view->pipeline.tenant))
            throw http::ApiError(404, "RequestNotFound", "no processing request with id '" + request.param("id") + "'");
        JsonWriter out;
        write_pipeline(out, view->pipeline, &view->runs);
        responder.send(http::json_response(200, out.str()));
    });
    router.get("/api/v1/results", [&context](const http::HttpRequest& request, http::Responder responder) {
        size_t page = bounded_number(request, "page", 1, 1, 1000000);
        size_t page_size = bounded_number(request, "page_size", 20, 1, 100);
        auto found = with_store(
            [&] { return context.runs.pipelines((page - 1) * page_size, page_size, tenant_filter(request)); });
        JsonWriter out;
        out->StartObject();
        out.key("items");
        out->StartArray();
        for (const auto& pipeline : found.pipelines) write_pipeline(out, pipeline, nullptr);
        out->EndArray();
        out.field("total", found.total);
        out.field("page", page);
        out.field("page_size", page_size);
        out->EndObject();
        responder.send(http::json_response(200, out.str()));
    });
    router.get("/api/v1/health", [&context](const http::HttpRequest&, http::Responder responder) {
        bool database = context.runs.store_healthy();
        JsonWriter out;
        out->StartObject();
        out.field("status", database ? "healthy" : "unhealthy");
        out.field("database", database ? "healthy" : "unreachable");
        out.field("llm", context.llm ? context.llm->health().status : std::string("not_configured"));
        out.field("version", context.version);
        out->EndObject();
        responder.send(http::json_response(database ? 200 : 503, out.str()));
    });
}

}  // namespace agenthost::api
