// One signed POST of a webhook body over libcurl, to an address already
// checked by the SSRF guard and pinned so DNS cannot change it in between.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace agenthost::webhooks {

struct OutgoingWebhook {
    std::string url;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    // Connect to this address for url's host:port (empty: resolve normally).
    std::string pinned_host;
    int pinned_port = 0;
    std::string pinned_ip;
};

struct SendResult {
    int status_code = 0;  // 0: no HTTP answer
    std::string error;    // connection error, timeout, ...
    double duration_ms = 0;
};

SendResult send_webhook(const OutgoingWebhook& webhook, std::chrono::milliseconds timeout);

// The headers every delivery carries: Content-Type, X-Webhook-Event and
// Standard Webhooks' webhook-id / webhook-timestamp, plus, with a secret,
// X-Webhook-Signature (hex HMAC-SHA256 of the body, seed 004) and
// webhook-signature (v1, Standard Webhooks).
std::vector<std::pair<std::string, std::string>> webhook_headers(const std::string& event_type,
                                                                 const std::string& webhook_id, long long timestamp,
                                                                 const std::string& body, const std::string& secret,
                                                                 const std::string& user_agent);

}  // namespace agenthost::webhooks
