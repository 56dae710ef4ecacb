#include "webhooks/webhook_dispatcher.hpp"

#include "store/secret_box.hpp"
#include "metrics/host_metrics.hpp"
#include "net/ssrf_guard.hpp"
#include "telemetry/host_spans.hpp"
#include "telemetry/tracer.hpp"
#include "util/log.hpp"
#include "webhooks/webhook_sender.hpp"

#include <cmath>
#include <random>

namespace agenthost::webhooks {
namespace {

// Senders wait on slow receivers (up to the timeout), so they are threads of
// their own, not the run workers.
constexpr size_t kSenders = 4;
constexpr size_t kClaimBatch = 16;

}  // namespace

WebhookDispatcher::WebhookDispatcher(store::Store& store, WebhookSettings settings, std::string host_id,
                                     PayloadBuilder payload)
    : store_(store),
      settings_(std::move(settings)),
      host_id_(std::move(host_id)),
      payload_(std::move(payload)),
      senders_(kSenders) {}

WebhookDispatcher::~WebhookDispatcher() { stop(); }

void WebhookDispatcher::start(bool sole_host) {
    if (sole_host) {
        const store::WebhookRepository& webhooks = store_.webhooks();
        size_t released = 0;
        store_.writes().run([&](soci::session& session) { released = webhooks.release_claims(session); });
        if (released > 0)
            log::warn("webhook deliveries interrupted by a restart are sent again",
                      {{"deliveries", static_cast<long long>(released)}});
    }
    thread_ = std::thread([this] { loop(); });
}

void WebhookDispatcher::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (stopping_) return;
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
    senders_.stop();  // deliveries being sent finish and are logged
}

void WebhookDispatcher::wake() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        woken_ = true;
    }
    wake_.notify_all();
}

long long WebhookDispatcher::backoff_ms(int attempt) const {
    thread_local std::mt19937 random{std::random_device{}()};
    std::uniform_real_distribution<double> jitter(0.8, 1.2);
    double delay = static_cast<double>(settings_.retry_base_ms) * std::pow(2.0, attempt - 1) * jitter(random);
    return static_cast<long long>(std::min(delay, 3600.0 * 1000));
}

void WebhookDispatcher::loop() {
    for (;;) {
        {
            std::unique_lock<std::mutex> lock(mutex_);
            wake_.wait_for(lock, std::chrono::milliseconds(200), [this] { return stopping_ || woken_; });
            if (stopping_) return;
            woken_ = false;
        }
        if (in_flight_.load() >= kSenders * 2) continue;
        std::vector<store::WebhookDelivery> due;
        const store::WebhookRepository& webhooks = store_.webhooks();
        // A sender gets the timeout plus a margin before its claim lapses.
        long long lease_until = store::now_ms() + settings_.timeout_ms + 30000;
        bool skip_locked = store_.dialect() == store::Dialect::postgresql;
        try {
            store_.writes().run([&](soci::session& session) {
                due = webhooks.claim_due(session, host_id_, lease_until, kClaimBatch, skip_locked);
            });
        } catch (const std::exception& e) {
            log::debug("claiming webhook deliveries failed", {{"error", e.what()}});
            continue;
        }
        for (auto& delivery : due) {
            ++in_flight_;
            if (!senders_.try_submit([this, delivery]() mutable {
                    deliver(std::move(delivery));
                    --in_flight_;
                }))
                --in_flight_;  // stopping: the claim lapses and another try comes later
        }
    }
}

std::string WebhookDispatcher::source_traceparent(const store::WebhookDelivery& delivery) {
    if (!telemetry::tracing_enabled() || delivery.source_type != "run") return "";
    try {
        auto run = store_.read([&](soci::session& session) { return store_.runs().find(session, delivery.source_id); });
        return run ? run->trace_parent : "";
    } catch (const std::exception&) {
        return "";  // the delivery goes out all the same, in a trace of its own
    }
}

void WebhookDispatcher::deliver(store::WebhookDelivery delivery) {
    const store::WebhookRepository& webhooks = store_.webhooks();
    store::WebhookAttempt attempt;
    attempt.attempt = delivery.attempts + 1;
    attempt.at_ms = store::now_ms();
    telemetry::Span traced =
        telemetry::start_webhook_span(source_traceparent(delivery), delivery.event_type, delivery.id, attempt.attempt);
    telemetry::ScopedContext in_delivery(traced.context());

    std::string status;
    long long next_attempt = 0;
    try {
        if (delivery.payload.empty()) {
            std::optional<std::string> payload = payload_(delivery);
            if (!payload) throw std::runtime_error("its " + delivery.source_type + " no longer exists");
            delivery.payload = *payload;
            const std::string id = delivery.id, body = delivery.payload;
            store_.writes().run([&](soci::session& session) { webhooks.set_payload(session, id, body); });
        }
        net::GuardDecision guard = net::check_webhook_url(delivery.url, settings_.allowed_hosts);
        if (!guard.allowed) {
            attempt.error = "refused: " + guard.reason;
            status = "failed";
            // A name that does not resolve now may later (DNS is eventually
            // consistent): retried like a receiver that did not answer.
            if (guard.unresolved && attempt.attempt < 1 + settings_.max_retries) {
                status = "pending";
                next_attempt = store::now_ms() + backoff_ms(attempt.attempt);
            }
        } else {
            OutgoingWebhook outgoing;
            outgoing.url = delivery.url;
            outgoing.body = delivery.payload;
            outgoing.headers = webhook_headers(delivery.event_type, delivery.webhook_id, attempt.at_ms / 1000,
                                               delivery.payload, store::secret_box().open(delivery.secret),
                                               settings_.user_agent);
            telemetry::add_traceparent(outgoing.headers);
            outgoing.pinned_host = guard.host;
            outgoing.pinned_port = guard.port;
            outgoing.pinned_ip = guard.resolved_ip;
            SendResult sent = send_webhook(outgoing, std::chrono::milliseconds(settings_.timeout_ms));
            attempt.status_code = sent.status_code;
            attempt.duration_ms = sent.duration_ms;
            attempt.error = sent.error;
            if (sent.status_code >= 200 && sent.status_code < 300) status = "delivered";
            else if (sent.status_code == 410) status = "gone";  // the receiver wants no more
            else if (attempt.attempt < 1 + settings_.max_retries) {
                status = "pending";
                next_attempt = store::now_ms() + backoff_ms(attempt.attempt);
            } else {
                status = "failed";
            }
            if (attempt.error.empty() && status != "delivered") attempt.error = "HTTP " + std::to_string(sent.status_code);
        }
    } catch (const std::exception& e) {
        attempt.error = e.what();
        status = "failed";
    }
    metrics::host_metrics().webhook_attempts.add({status});
    telemetry::end_webhook_span(traced, attempt.status_code, status, attempt.error);
    if (attempt.duration_ms > 0) metrics::host_metrics().webhook_duration.observe({}, attempt.duration_ms / 1000.0);
    log::info("webhook attempt", {{"delivery_id", delivery.id},
                                  {"source_id", delivery.source_id},
                                  {"attempt", attempt.attempt},
                                  {"status_code", attempt.status_code},
                                  {"outcome", status}});
    store_.writes().submit([&webhooks, delivery, attempt, status, next_attempt](soci::session& session) {
        webhooks.record_attempt(session, delivery, attempt, status, next_attempt);
    });
}

}  // namespace agenthost::webhooks
