// Prometheus metric families with labels, recorded without a lock on the
// hot path: a series is found through a per-thread cache of pointers and
// bumped with relaxed atomics; only the first use of a label set on a
// thread, and a scrape, take the family's mutex.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace agenthost::metrics {

// Values of a family's labels, in the order of its label names.
using Labels = std::vector<std::string>;

class Family {
  public:
    enum class Type { counter, gauge, histogram };
    // Histogram buckets are upper bounds in the family's unit (seconds, or
    // a count for batch sizes), ascending; +Inf is implied.
    Family(std::string name, std::string help, Type type, std::vector<std::string> label_names,
           std::vector<double> buckets = {});

    void add(const Labels& labels, double amount = 1);      // counter, gauge
    void set(const Labels& labels, double value);           // gauge
    void observe(const Labels& labels, double value);       // histogram

    // Appends the family in the text exposition format.
    void render(std::string& out) const;
    const std::string& name() const { return name_; }

  private:
    struct Series {
        explicit Series(size_t buckets) : bucket_counts(buckets + 1) {}
        // Counters and gauges keep their value in `sum`.
        std::atomic<double> sum{0};
        std::atomic<std::uint64_t> count{0};
        std::vector<std::atomic<std::uint64_t>> bucket_counts;  // per bucket, not cumulative; last is +Inf
    };
    Series& series(const Labels& labels);
    std::string label_text(const std::string& key, const std::string& extra = "") const;

    std::string name_, help_;
    Type type_;
    std::vector<std::string> label_names_;
    std::vector<double> buckets_;
    mutable std::mutex mutex_;
    std::map<std::string, std::unique_ptr<Series>> series_;  // by joined label values
};

// Escapes a label value for the exposition format.
std::string escape_label(const std::string& value);

// Bounds for durations in seconds: 0.5 ms to 60 s.
const std::vector<double>& duration_buckets();

}  // namespace agenthost::metrics
