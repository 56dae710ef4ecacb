// Sends queued webhook deliveries: claims due ones from the store, fixes
// each payload at its first attempt, signs, sends through the SSRF guard,
// logs the attempt, and schedules a retry with exponential backoff and
// jitter, until delivered, out of retries, or refused with 410 Gone.
#pragma once

#include "runs/worker_pool.hpp"
#include "store/store.hpp"
#include "webhooks/webhook_settings.hpp"

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

namespace agenthost::webhooks {

class WebhookDispatcher {
  public:
    // Builds a delivery's JSON body from the current state of its run or
    // processing request; nullopt when that no longer exists.
    using PayloadBuilder = std::function<std::optional<std::string>(const store::WebhookDelivery&)>;

    WebhookDispatcher(store::Store& store, WebhookSettings settings, std::string host_id, PayloadBuilder payload);
    ~WebhookDispatcher();

    // With `sole_host` (SQLite), deliveries a dead process left mid-send are
    // taken back at once instead of after their claim lapses.
    void start(bool sole_host);
    void stop();
    // Something became due: look now rather than at the next poll.
    void wake();

  private:
    void loop();
    void deliver(store::WebhookDelivery delivery);
    long long backoff_ms(int attempt) const;
    // The traceparent stored with a run's delivery source ("" when tracing
    // is off, for a pipeline, or when it cannot be read).
    std::string source_traceparent(const store::WebhookDelivery& delivery);

    store::Store& store_;
    WebhookSettings settings_;
    std::string host_id_;
    PayloadBuilder payload_;
    runs::WorkerPool senders_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool woken_ = false;
    bool stopping_ = false;
    std::atomic<size_t> in_flight_{0};
    std::thread thread_;
};

}  // namespace agenthost::webhooks
