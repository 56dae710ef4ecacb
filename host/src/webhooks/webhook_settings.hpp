// How result webhooks are sent and received, from the config's "webhooks"
// section and seed 004's environment variables.
#pragma once

#include <string>
#include <vector>

namespace agenthost::webhooks {

struct WebhookSettings {
    int max_retries = 3;          // WEBHOOK_MAX_RETRIES: attempts = 1 + this
    long long timeout_ms = 30000;  // WEBHOOK_TIMEOUT (seconds)
    long long retry_base_ms = 1000;  // AGENTHOST_WEBHOOKS_RETRY_BASE_MS
    // Hosts that may be private or loopback (AGENTHOST_WEBHOOKS_ALLOWED_HOSTS).
    std::vector<std::string> allowed_hosts;
    // Verifies X-Webhook-Signature on POST /webhook/receive.
    std::string inbound_secret;
    std::string user_agent = "agenthost";
};

}  // namespace agenthost::webhooks
