#include "telemetry/span_exporter.hpp"

#include "telemetry/otlp_http.hpp"
#include "telemetry/otlp_json.hpp"
#include "util/log.hpp"

namespace agenthost::telemetry {
namespace {

constexpr auto kWarningInterval = std::chrono::minutes(1);

// The collector's URL without any user:password@ part, for the log.
std::string display_url(const std::string& url) {
    size_t scheme = url.find("://");
    size_t start = scheme == std::string::npos ? 0 : scheme + 3;
    size_t at = url.find('@', start);
    size_t slash = url.find('/', start);
    if (at == std::string::npos || (slash != std::string::npos && at > slash)) return url;
    return url.substr(0, start) + url.substr(at + 1);
}

}  // namespace

SpanExporter::SpanExporter(TraceSettings settings, std::vector<Attribute> resource, std::string version, Send send)
    : settings_(std::move(settings)), resource_(std::move(resource)), version_(std::move(version)), send_(std::move(send)) {
    if (!send_) {
        send_ = [url = settings_.traces_url, headers = settings_.headers](
                    const std::string& body, long long timeout_ms, const std::function<bool()>& give_up,
                    std::string& error) {
            PostOutcome outcome = post_json(url, headers, body, timeout_ms, give_up);
            error = outcome.error;
            return outcome.ok();
        };
    }
}

SpanExporter::~SpanExporter() { stop(); }

void SpanExporter::start() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (started_ || stopping_) return;
    started_ = true;
    thread_ = std::thread([this] { loop(); });
}

void SpanExporter::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (stopping_) return;
        stopping_ = true;
        auto grace = std::min<std::chrono::milliseconds>(kStopGrace, std::chrono::milliseconds(settings_.export_timeout_ms));
        stop_deadline_ns_ = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                (std::chrono::steady_clock::now() + grace).time_since_epoch())
                                .count();
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

bool SpanExporter::enqueue(SpanData span) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!stopping_ && queue_.size() < settings_.max_queue_size) {
            queue_.push_back(std::move(span));
            if (queue_.size() < settings_.max_export_batch_size) return true;
        } else {
            ++dropped_;
            return false;
        }
    }
    wake_.notify_one();  // a full batch goes now
    return true;
}

bool SpanExporter::out_of_time() const {
    long long deadline = stop_deadline_ns_.load();
    return deadline != 0 && std::chrono::steady_clock::now().time_since_epoch() >= std::chrono::nanoseconds(deadline);
}

ExportStats SpanExporter::stats() const { return {exported_.load(), dropped_.load(), failed_batches_.load()}; }

void SpanExporter::loop() {
    auto delay = std::chrono::milliseconds(settings_.schedule_delay_ms);
    for (;;) {
        std::vector<SpanData> batch;
        bool last = false;
        {
            std::unique_lock<std::mutex> lock(mutex_);
            wake_.wait_for(lock, delay,
                           [this] { return stopping_ || queue_.size() >= settings_.max_export_batch_size; });
            last = stopping_;
            size_t take = std::min(queue_.size(), settings_.max_export_batch_size);
            batch.reserve(take);
            for (size_t i = 0; i < take; ++i) {
                batch.push_back(std::move(queue_.front()));
                queue_.pop_front();
            }
        }
        if (!batch.empty()) send_batch(std::move(batch));
        if (last) {
            // What is left after the last batch: one more try each, then out.
            std::deque<SpanData> rest;
            {
                std::lock_guard<std::mutex> lock(mutex_);
                rest.swap(queue_);
            }
            while (!rest.empty()) {
                std::vector<SpanData> more;
                while (!rest.empty() && more.size() < settings_.max_export_batch_size) {
                    more.push_back(std::move(rest.front()));
                    rest.pop_front();
                }
                send_batch(std::move(more));
            }
            return;
        }
    }
}

void SpanExporter::send_batch(std::vector<SpanData> batch) {
    std::string error;
    bool sent = false;
    if (out_of_time()) {
        dropped_ += batch.size();  // the host is stopping and will not wait longer
        return;
    }
    try {
        sent = send_(encode_traces(resource_, version_, batch), settings_.export_timeout_ms,
                     [this] { return out_of_time(); }, error);
    } catch (const std::exception& e) {
        error = e.what();
    }
    auto now = std::chrono::steady_clock::now();
    if (sent) {
        exported_ += batch.size();
        if (failing_) {
            failing_ = false;
            log::info("trace export works again", {{"endpoint", display_url(settings_.traces_url)}});
        }
        return;
    }
    ++failed_batches_;
    dropped_ += batch.size();
    failing_ = true;
    ++failures_since_warning_;
    if (!warned_ || now - last_warning_ >= kWarningInterval) {
        log::warn("trace export failed; spans are dropped (logged at most once a minute)",
                  {{"endpoint", display_url(settings_.traces_url)},
                   {"error", error},
                   {"failed_batches", static_cast<long long>(failures_since_warning_)},
                   {"dropped_spans_total", static_cast<long long>(dropped_.load())}});
        warned_ = true;
        last_warning_ = now;
        failures_since_warning_ = 0;
    }
}

}  // namespace agenthost::telemetry
