#include "api/webhooks_api.hpp"

#include "api/json_writer.hpp"
#include "api/orchestrate_api.hpp"
#include "api/pipeline_api.hpp"
#include "api/request_body.hpp"
#include "api/run_json.hpp"
#include "api/tenancy.hpp"
#include "json/json_util.hpp"
#include "util/ids.hpp"
#include "util/time_format.hpp"
#include "webhooks/signature.hpp"
#include "net/ssrf_guard.hpp"
#include "webhooks/webhook_sender.hpp"

#include <atomic>
#include <thread>

namespace agenthost::api {
namespace {

// Test deliveries are sent off the request thread; this many at once.
std::atomic<int> test_deliveries_in_flight{0};
constexpr int kMaxTestDeliveries = 4;

std::string lower(std::string text) {
    for (char& c : text)
        if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
    return text;
}

void write_webhook_log(JsonWriter& out, const std::string& request_id,
                       const std::vector<std::pair<store::WebhookDelivery, std::vector<store::WebhookAttempt>>>& log) {
    out->StartObject();
    out.field("request_id", request_id);
    out.key("deliveries");
    out->StartArray();
    for (const auto& [delivery, attempts] : log) {
        out->StartObject();
        out.field("delivery_id", delivery.id);
        out.field("webhook_id", delivery.webhook_id);
        out.field("url", delivery.url);
        out.field("event_type", delivery.event_type);
        // 'sending' is an internal claim: to a client it is still pending.
        out.field("status", delivery.status == "sending" ? std::string("pending") : delivery.status);
        out.field("created_at", iso8601_ms(delivery.created_at_ms));
        out.key("attempts");
        out->StartArray();
        for (const auto& attempt : attempts) {
            out->StartObject();
            out.field("attempt", static_cast<size_t>(attempt.attempt));
            out.field("at", iso8601_ms(attempt.at_ms));
            out.key("status_code");
            if (attempt.status_code == 0) out->Null();
            else out->Int(attempt.status_code);
            out.key("error");
            if (attempt.error.empty()) out->Null();
            else out.string(attempt.error);
            out.field("duration_ms", attempt.duration_ms);
            out->EndObject();
        }
        out->EndArray();
        out->EndObject();
    }
    out->EndArray();
    out->EndObject();
}

// POST /webhook/callback/test: the exact signed body and headers a delivery
// with this secret carries, and, given a URL, the receiver's answer to it.
void test_callback(ApiContext& context, const http::HttpRequest& request, const http::Responder& responder) {
    rapidjson::Document body = read_json_body(request, "requests/webhook-test");
    std::string secret = json::get_string(body, "webhook_secret");
    if (!webhooks::is_valid_secret(secret))
        throw http::ApiError(422, "ValidationError", "webhook_secret: a whsec_ secret must be base64 after the prefix",
                             {{"/webhook_secret", "is not a valid whsec_ secret"}});
    std::string url = json::get_string(body, "webhook_url");
    net::GuardDecision guard;
    if (!url.empty()) {
        guard = net::check_webhook_url_at_submit(url, context.webhooks.allowed_hosts);
        if (!guard.allowed) throw http::ApiError(422, "ValidationError", guard.reason, {{"/webhook_url", guard.reason}});
    }
    long long now = store::now_ms();
    JsonWriter payload;
    payload->StartObject();
    payload.field("type", "webhook.test");
    payload.field("timestamp", iso8601_ms(now));
    payload.key("data");
    if (const rapidjson::Value* data = json::get_member(body, "payload")) data->Accept(*payload);
    else {
        payload->StartObject();
        payload.field("message", "agenthost test delivery");
        payload->EndObject();
    }
    payload->EndObject();
    std::string text = payload.str();
    std::string webhook_id = "msg_" + new_uuid();
    auto headers = webhooks::webhook_headers("webhook.test", webhook_id, now / 1000, text, secret,
                                             context.webhooks.user_agent);
    auto answer = [text, headers](const webhooks::SendResult* sent) {
        JsonWriter out;
        out->StartObject();
        out.field("body", text);
        out.key("headers");
        out->StartObject();
        for (const auto& [name, value] : headers) out.field(name, value);
        out->EndObject();
        out.key("delivery");
        if (sent == nullptr) out->Null();
        else {
            out->StartObject();
            out.key("status_code");
            if (sent->status_code == 0) out->Null();
            else out->Int(sent->status_code);
            out.key("error");
            if (sent->error.empty()) out->Null();
            else out.string(sent->error);
            out.field("duration_ms", sent->duration_ms);
            out->EndObject();
        }
        out->EndObject();
        return http::json_response(200, out.str());
    };
    if (url.empty()) {
        responder.send(answer(nullptr));
        return;
    }
    if (test_deliveries_in_flight.fetch_add(1) >= kMaxTestDeliveries) {
        --test_deliveries_in_flight;
        http::ApiError busy(503, "Overloaded", "too many test deliveries at once; retry shortly");
        busy.headers.emplace_back("Retry-After", "1");
        throw busy;
    }
    auto timeout = std::chrono::milliseconds(context.webhooks.timeout_ms);
    std::vector<std::string> allowed_hosts = context.webhooks.allowed_hosts;
    std::string request_id = request.request_id;
    // Resolving the name and the receiver's answer may take up to the
    // timeout: never on the request thread.
    std::thread([url, text, headers, allowed_hosts, timeout, responder, answer, request_id] {
        net::GuardDecision resolved = net::check_webhook_url(url, allowed_hosts);
        if (!resolved.allowed) {
            --test_deliveries_in_flight;
            responder.send(http::error_response(
                http::ApiError(422, "ValidationError", resolved.reason, {{"/webhook_url", resolved.reason}}), request_id));
            return;
        }
        webhooks::OutgoingWebhook outgoing{url, text, headers, resolved.host, resolved.port, resolved.resolved_ip};
        webhooks::SendResult sent = webhooks::send_webhook(outgoing, timeout);
        --test_deliveries_in_flight;
        responder.send(answer(&sent));
    }).detach();
}

// POST /webhook/receive (seed 004): a processing request signed with the
// configured inbound secret.
void receive(ApiContext& context, const http::HttpRequest& request, const http::Responder& responder) {
    const std::string& secret = context.webhooks.inbound_secret;
    if (secret.empty())
        throw http::ApiError(401, "Unauthorized", "inbound webhooks are not configured (webhooks.inbound_secret)");
    std::string given = lower(request.header("x-webhook-signature"));
    if (given.empty()) throw http::ApiError(401, "Unauthorized", "X-Webhook-Signature is missing");
    if (!webhooks::constant_time_equal(given, webhooks::hmac_sha256_hex(secret, request.body)))
        throw http::ApiError(401, "Unauthorized", "X-Webhook-Signature does not match the body");
    rapidjson::Document body = read_json_body(request, "requests/process");
    accept_processing_request(context, body, request, responder);
}

}  // namespace

void check_webhook_fields(const rapidjson::Value& body, const webhooks::WebhookSettings& settings) {
    std::string url = json::get_string(body, "webhook_url");
    std::string secret = json::get_string(body, "webhook_secret");
    if (url.empty()) {
        if (!secret.empty())
            throw http::ApiError(422, "ValidationError", "webhook_secret is given without a webhook_url",
                                 {{"/webhook_url", "is required with webhook_secret"}});
        return;
    }
    net::GuardDecision decision = net::check_webhook_url_at_submit(url, settings.allowed_hosts);
    if (!decision.allowed)
        throw http::ApiError(422, "ValidationError", "webhook_url refused: " + decision.reason,
                             {{"/webhook_url", decision.reason}});
    if (!secret.empty() && !webhooks::is_valid_secret(secret))
        throw http::ApiError(422, "ValidationError", "webhook_secret: a whsec_ secret must be base64 after the prefix",
                             {{"/webhook_secret", "is not a valid whsec_ secret"}});
}

std::optional<std::string> webhook_payload(ApiContext& context, const store::WebhookDelivery& delivery) {
    JsonWriter out;
    out->StartObject();
    out.field("type", delivery.event_type);
    out.field("timestamp", iso8601_ms(store::now_ms()));
    out.key("data");
    if (delivery.source_type == "pipeline") {
        auto view = context.runs.pipeline(delivery.source_id);
        if (!view) return std::nullopt;
        if (view->pipeline.mode == "dag" && context.workflows != nullptr) {
            // Orchestrated workflows are delivered as /agents/status shows them.
            auto workflow = context.workflows->dag(delivery.source_id);
            if (!workflow) return std::nullopt;
            write_workflow(out, *workflow);
        } else {
            write_pipeline(out, view->pipeline, &view->runs);
        }
    } else {
        auto run = context.runs.find(delivery.source_id);
        if (!run) return std::nullopt;
        write_run(out, *run);
    }
    out->EndObject();
    return out.str();
}

namespace {

// A delivery log belongs to its run's or processing request's tenant.
void check_source_visible(ApiContext& context, const http::HttpRequest& request, const std::string& id) {
    if (request.principal.sees_all_tenants()) return;
    bool hidden = with_store([&] {
        if (auto run = context.runs.find(id)) return !visible(request, run->tenant);
        if (auto view = context.runs.pipeline(id)) return !visible(request, view->pipeline.tenant);
        return false;
    });
    if (hidden) throw http::ApiError(404, "WebhookNotFound", "no webhook deliveries for '" + id + "'");
}

}  // namespace

void add_webhook_routes(http::Router& router, ApiContext& context) {
    router.get("/api/v1/webhook-logs/:id", [&context](const http::HttpRequest& request, http::Responder responder) {
        std::string id = request.param("id");
        check_source_visible(context, request, id);
        auto log = with_store([&] { return context.runs.webhook_log(id); });
        // A run or request without a webhook has an empty log; only an id
        // that names neither is not found.
        if (log.empty() && !with_store([&] { return context.runs.find(id).has_value() || context.runs.pipeline(id).has_value(); }))
            throw http::ApiError(404, "WebhookNotFound", "no run or processing request '" + id + "'");
        JsonWriter out;
        write_webhook_log(out, id, log);
        responder.send(http::json_response(200, out.str()));
    });
    router.post("/api/v1/webhook/retry/:id", [&context](const http::HttpRequest& request, http::Responder responder) {
        std::string id = request.param("id");
        check_source_visible(context, request, id);
        auto delivery = with_store([&] { return context.runs.retry_webhook(id); });
        if (!delivery) throw http::ApiError(404, "WebhookNotFound", "no webhook deliveries for '" + id + "'");
        JsonWriter out;
        out->StartObject();
        out.field("request_id", id);
        out.field("delivery_id", *delivery);
        out.field("status", "pending");
        out->EndObject();
        responder.send(http::json_response(202, out.str()));
    });
    router.post("/webhook/receive", [&context](const http::HttpRequest& request, http::Responder responder) {
        receive(context, request, responder);
    });
    router.post("/webhook/callback/test", [&context](const http::HttpRequest& request, http::Responder responder) {
        test_callback(context, request, responder);
    });
}

}  // namespace agenthost::api
