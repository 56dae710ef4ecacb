// The SQL for webhook deliveries: a durable queue of results to POST to
// callers' URLs, each with its attempts logged.
#pragma once

#include "store/database.hpp"

#include <optional>
#include <string>
#include <vector>

namespace agenthost::store {

struct WebhookDelivery {
    std::string id;
    std::string webhook_id;   // Standard Webhooks' webhook-id: the same on every attempt
    std::string source_type;  // run | pipeline
    std::string source_id;    // run id or processing request id
    std::string event_type;   // run.succeeded, pipeline.completed, ...
    std::string url;
    std::string secret;
    std::string payload;      // empty until the first attempt fixes it
    std::string status;       // pending | sending | delivered | failed | gone
    int attempts = 0;
    long long next_attempt_at_ms = 0;
    long long created_at_ms = 0;
};

struct WebhookAttempt {
    int attempt = 0;
    long long at_ms = 0;
    int status_code = 0;  // 0 when no HTTP answer came
    std::string error;
    double duration_ms = 0;
};

class WebhookRepository {
  public:
    // Queues a delivery of `source_id`'s final result, due now.
    void enqueue(soci::session& session, const std::string& source_type, const std::string& source_id,
                 const std::string& event_type, const std::string& url, const std::string& secret) const;
    // Takes up to `limit` due deliveries for `owner` until `lease_until_ms`
    // (a host that dies mid-send leaves them to be taken again).
    std::vector<WebhookDelivery> claim_due(soci::session& session, const std::string& owner, long long lease_until_ms,
                                           size_t limit, bool skip_locked) const;
    // Deliveries left mid-send by a process that died go back to pending
    // (SQLite: this process is the only host, so every such claim is orphaned).
    size_t release_claims(soci::session& session) const;
    void set_payload(soci::session& session, const std::string& id, const std::string& payload) const;
    // Logs the attempt and moves the delivery to `status`, due again at
    // `next_attempt_at_ms` when pending.
    void record_attempt(soci::session& session, const WebhookDelivery& delivery, const WebhookAttempt& attempt,
                        const std::string& status, long long next_attempt_at_ms) const;
    // Queues the newest delivery of `source_id` again; its id, or nullopt.
    std::optional<std::string> retry_latest(soci::session& session, const std::string& source_id) const;

    std::vector<WebhookDelivery> for_source(soci::session& session, const std::string& source_id) const;
    std::vector<WebhookAttempt> attempts(soci::session& session, const std::string& delivery_id) const;
};

}  // namespace agenthost::store
