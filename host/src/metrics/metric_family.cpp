#include "metrics/metric_family.hpp"

#include <cmath>
#include <cstdio>
#include <unordered_map>

namespace agenthost::metrics {
namespace {

// Label values joined with a byte that cannot appear in UTF-8 text.
std::string join(const Labels& labels) {
    std::string key;
    for (const std::string& value : labels) {
        key += value;
        key += '\xff';
    }
    return key;
}

void add_to(std::atomic<double>& target, double amount) {
    double current = target.load(std::memory_order_relaxed);
    while (!target.compare_exchange_weak(current, current + amount, std::memory_order_relaxed)) {
    }
}

std::string number(double value) {
    if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.12g", value);
    return buffer;
}

}  // namespace

std::string escape_label(const std::string& value) {
    std::string out;
    out.reserve(value.size());
    for (char c : value) {
        if (c == '\\') out += "\\\\";
        else if (c == '"') out += "\\\"";
        else if (c == '\n') out += "\\n";
        else out += c;
    }
    return out;
}

const std::vector<double>& duration_buckets() {
    static const std::vector<double> buckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                             0.1,    0.25,  0.5,    1,     2.5,  5,     10, 30, 60};
    return buckets;
}

Family::Family(std::string name, std::string help, Type type, std::vector<std::string> label_names,
               std::vector<double> buckets)
    : name_(std::move(name)),
      help_(std::move(help)),
      type_(type),
      label_names_(std::move(label_names)),
      buckets_(std::move(buckets)) {}

Family::Series& Family::series(const Labels& labels) {
    // Per thread: family -> label key -> series. Series are never removed,
    // so the cached pointers stay valid for the process's life.
    thread_local std::unordered_map<const Family*, std::unordered_map<std::string, Series*>> cache;
    std::string key = join(labels);
    auto& mine = cache[this];
    auto found = mine.find(key);
    if (found != mine.end()) return *found->second;
    std::lock_guard<std::mutex> lock(mutex_);
    auto& slot = series_[key];
    if (!slot) slot = std::make_unique<Series>(buckets_.size());
    mine.emplace(key, slot.get());
    return *slot;
}

void Family::add(const Labels& labels, double amount) { add_to(series(labels).sum, amount); }

void Family::set(const Labels& labels, double value) { series(labels).sum.store(value, std::memory_order_relaxed); }

void Family::observe(const Labels& labels, double value) {
    Series& s = series(labels);
    size_t bucket = 0;
    while (bucket < buckets_.size() && value > buckets_[bucket]) ++bucket;
    s.bucket_counts[bucket].fetch_add(1, std::memory_order_relaxed);
    s.count.fetch_add(1, std::memory_order_relaxed);
    add_to(s.sum, value);
}

std::string Family::label_text(const std::string& key, const std::string& extra) const {
    std::string out;
    size_t start = 0;
    for (const std::string& name : label_names_) {
        size_t end = key.find('\xff', start);
        if (!out.empty()) out += ',';
        out += name + "=\"" + escape_label(key.substr(start, end - start)) + "\"";
        start = end + 1;
    }
    if (!extra.empty()) out += (out.empty() ? "" : ",") + extra;
    return out.empty() ? "" : "{" + out + "}";
}

void Family::render(std::string& out) const {
    static const char* kTypes[] = {"counter", "gauge", "histogram"};
    std::lock_guard<std::mutex> lock(mutex_);
    if (series_.empty()) return;
    out += "# HELP " + name_ + " " + help_ + "\n";
    out += "# TYPE " + name_ + " " + kTypes[static_cast<int>(type_)] + "\n";
    for (const auto& [key, s] : series_) {
        if (type_ != Type::histogram) {
            out += name_ + label_text(key) + " " + number(s->sum.load(std::memory_order_relaxed)) + "\n";
            continue;
        }
        std::uint64_t cumulative = 0;
        for (size_t i = 0; i <= buckets_.size(); ++i) {
            cumulative += s->bucket_counts[i].load(std::memory_order_relaxed);
            std::string bound = i < buckets_.size() ? number(buckets_[i]) : "+Inf";
            out += name_ + "_bucket" + label_text(key, "le=\"" + bound + "\"") + " " + std::to_string(cumulative) + "\n";
        }
        out += name_ + "_sum" + label_text(key) + " " + number(s->sum.load(std::memory_order_relaxed)) + "\n";
        out += name_ + "_count" + label_text(key) + " " + std::to_string(cumulative) + "\n";
    }
}

}  // namespace agenthost::metrics
