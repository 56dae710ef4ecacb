// The batch span processor and exporter in one: finished spans wait in a
// bounded queue; a background thread sends them in batches, every
// schedule delay or as soon as a batch is full. A full queue drops the span
// and counts it, so recording never waits for the collector; an
// unreachable collector costs a log line a minute, not one per batch.
#pragma once

#include "telemetry/span.hpp"
#include "telemetry/trace_settings.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace agenthost::telemetry {

struct ExportStats {
    std::uint64_t exported = 0;        // spans the collector accepted
    std::uint64_t dropped = 0;         // queue full, or their batch failed
    std::uint64_t failed_batches = 0;  // POSTs that failed
};

class SpanExporter {
  public:
    // `send` is the POST (post_json by default; a test may count instead):
    // at most `timeout_ms`, and it should end early once `give_up()` says so.
    using Send = std::function<bool(const std::string& body, long long timeout_ms,
                                    const std::function<bool()>& give_up, std::string& error)>;

    SpanExporter(TraceSettings settings, std::vector<Attribute> resource, std::string version, Send send = {});
    ~SpanExporter();

    void start();
    // Sends what is queued and stops the thread, all within the export
    // timeout and at most kStopGrace: a stalled collector cannot hold the
    // host's shutdown. Spans ended later, or left when time is up, are
    // dropped.
    void stop();
    static constexpr std::chrono::milliseconds kStopGrace{5000};

    // Never blocks beyond a short lock; false when the span was dropped.
    bool enqueue(SpanData span);

    ExportStats stats() const;

  private:
    void loop();
    void send_batch(std::vector<SpanData> batch);
    // Past the stop deadline (only set once stopping).
    bool out_of_time() const;

    TraceSettings settings_;
    std::vector<Attribute> resource_;
    std::string version_;
    Send send_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<SpanData> queue_;
    bool stopping_ = false;
    bool started_ = false;
    std::thread thread_;
    std::atomic<std::uint64_t> exported_{0}, dropped_{0}, failed_batches_{0};
    std::atomic<long long> stop_deadline_ns_{0};  // steady clock; 0 until stop()
    // Failure reporting, on the export thread only.
    std::chrono::steady_clock::time_point last_warning_{};
    bool warned_ = false;
    bool failing_ = false;
    std::uint64_t failures_since_warning_ = 0;
};

}  // namespace agenthost::telemetry
