// Webhooks at the API: checking webhook_url/webhook_secret on requests (the
// SSRF guard), the delivery log and manual retry (seed 004), the signed
// inbound endpoint, the test callback, and the body each delivery carries.
#pragma once

#include "api/api_context.hpp"
#include "http/router.hpp"
#include "store/webhook_repository.hpp"

#include <rapidjson/document.h>

#include <optional>
#include <string>

namespace agenthost::api {

void add_webhook_routes(http::Router& router, ApiContext& context);

// Throws ApiError 422 naming /webhook_url or /webhook_secret when a request
// asks for a webhook the host must not or cannot send.
void check_webhook_fields(const rapidjson::Value& body, const webhooks::WebhookSettings& settings);

// {"type", "timestamp", "data"}: data is the run as GET /runs/{id} shows it,
// or the processing request as GET /api/v1/results/{id} does.
std::optional<std::string> webhook_payload(ApiContext& context, const store::WebhookDelivery& delivery);

}  // namespace agenthost::api
