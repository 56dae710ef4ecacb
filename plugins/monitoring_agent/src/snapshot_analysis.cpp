// Analysis of one scrape (text exposition): counters are cumulative since
// the process started, so the error ratio is over the process's life;
// histograms give the latency quantile over the same span; usage gauges are
// compared with their limits.
#include <algorithm>
#include <cmath>
#include <regex>
#include <set>

#include "metric_roles.hpp"

namespace monitoring {
namespace {

std::string family_of(const Exposition& exposition, const std::string& sample_name) {
    for (const char* suffix : {"_bucket", "_sum", "_count"}) {
        const std::string s = suffix;
        if (sample_name.size() > s.size() && sample_name.compare(sample_name.size() - s.size(), s.size(), s) == 0) {
            const std::string base = sample_name.substr(0, sample_name.size() - s.size());
            auto type = exposition.types.find(base);
            if (type != exposition.types.end() && (type->second == "histogram" || type->second == "summary"))
                return base;
        }
    }
    return sample_name;
}

void error_ratios(const Exposition& exposition, const ServiceSpec& spec, Analysis& analysis) {
    std::map<std::string, std::vector<const Sample*>> counters;
    for (const auto& sample : exposition.samples)
        if (is_request_counter(spec, sample.name) && has_outcome_label(spec, sample.labels))
            counters[sample.name].push_back(&sample);
    for (const auto& [name, samples] : counters) {
        double total = 0, failed = 0;
        std::vector<const Sample*> failures;
        for (const Sample* sample : samples) {
            total += sample->value;
            if (is_failure(spec, sample->labels)) {
                failed += sample->value;
                failures.push_back(sample);
            }
        }
        if (!(total > 0)) continue;
        const double ratio = failed / total;
        if (ratio <= spec.error_budget()) continue;
        Anomaly anomaly;
        anomaly.type = "error_rate_spike";
        anomaly.metric = name;
        anomaly.severity = ratio > spec.error_rate_threshold ? "critical" : "warning";
        anomaly.message = percent(ratio) + " of " + name + " failed since the process started, above " +
                          (ratio > spec.error_rate_threshold
                               ? "the alert threshold of " + percent(spec.error_rate_threshold)
                               : "the error budget of " + percent(spec.error_budget()));
        anomaly.evidence.push_back(number_text(failed) + " failed of " + number_text(total) + " in " + name);
        std::sort(failures.begin(), failures.end(), [](const Sample* a, const Sample* b) { return a->value > b->value; });
        for (std::size_t i = 0; i < failures.size() && i < 3; ++i)
            anomaly.evidence.push_back("line " + std::to_string(failures[i]->line) + ": " + failures[i]->text);
        analysis.anomalies.push_back(anomaly);
    }
}

void latencies(const Exposition& exposition, const ServiceSpec& spec, Analysis& analysis) {
    std::map<std::string, std::map<double, double>> histograms;  // family -> le -> count (summed over labels)
    std::map<std::string, std::vector<const Sample*>> lines;
    for (const auto& sample : exposition.samples) {
        auto le = sample.labels.find("le");
        if (le == sample.labels.end() || !is_latency_histogram(spec, sample.name)) continue;
        double bound = 0;
        try {
            bound = le->second == "+Inf" ? INFINITY : std::stod(le->second);
        } catch (...) {
            continue;
        }
        histograms[sample.name][bound] += sample.value;
        lines[sample.name].push_back(&sample);
    }
    for (const auto& [name, counts] : histograms) {
        std::vector<std::pair<double, double>> buckets(counts.begin(), counts.end());
        if (buckets.empty() || !std::isinf(buckets.back().first)) continue;
        const double p99 = bucket_quantile(0.99, buckets);
        if (!(p99 > spec.latency_p99_seconds)) continue;
        Anomaly anomaly;
        anomaly.type = "latency_regression";
        anomaly.metric = name.substr(0, name.size() - 7);
        anomaly.severity = p99 > 2 * spec.latency_p99_seconds ? "critical" : "warning";
        anomaly.message = "p99 of " + anomaly.metric + " is about " + seconds(p99) + ", above the objective of " +
                          seconds(spec.latency_p99_seconds);
        const double total = buckets.back().second;
        for (const auto& [bound, count] : buckets)
            if (bound >= spec.latency_p99_seconds && !std::isinf(bound)) {
                anomaly.evidence.push_back(number_text(total - count) + " of " + number_text(total) +
                                           " observations (" + percent((total - count) / total) + ") took longer than " +
                                           seconds(bound));
                break;
            }
        for (const Sample* sample : lines[name])
            if (sample->labels.at("le") == "+Inf" || std::stod(sample->labels.at("le")) >= spec.latency_p99_seconds) {
                anomaly.evidence.push_back("line " + std::to_string(sample->line) + ": " + sample->text);
                if (anomaly.evidence.size() >= 4) break;
            }
        analysis.anomalies.push_back(anomaly);
    }
    // Summaries that export their own quantile.
    for (const auto& sample : exposition.samples) {
        auto quantile = sample.labels.find("quantile");
        if (quantile == sample.labels.end() || quantile->second != "0.99") continue;
        if (!is_latency_name(sample.name)) continue;
        if (!(sample.value > spec.latency_p99_seconds)) continue;
        analysis.anomalies.push_back({"latency_regression",
                                      sample.value > 2 * spec.latency_p99_seconds ? "critical" : "warning",
                                      sample.name,
                                      "p99 of " + sample.name + " is " + seconds(sample.value) +
                                          ", above the objective of " + seconds(spec.latency_p99_seconds),
                                      {"line " + std::to_string(sample.line) + ": " + sample.text}});
    }
}

void capacity(const Exposition& exposition, const ServiceSpec& spec, Analysis& analysis) {
    std::map<std::string, double> sums;
    std::map<std::string, const Sample*> first;
    for (const auto& sample : exposition.samples) {
        const std::string family = family_of(exposition, sample.name);
        if (family != sample.name) continue;  // parts of histograms and summaries
        sums[sample.name] += sample.value;
        first.emplace(sample.name, &sample);
    }
    std::set<std::string> families;
    for (const auto& [name, sum] : sums) families.insert(name);
    for (const auto& used : families) {
        const std::string limit = limit_family(spec, used, families);
        if (limit.empty() || !(sums[limit] > 0)) continue;
        const double ratio = sums[used] / sums[limit];
        if (!(ratio > spec.saturation_threshold)) continue;
        analysis.anomalies.push_back(
            {"saturation", ratio >= 0.98 ? "critical" : "warning", used,
             used + " is at " + percent(ratio) + " of " + limit + " (threshold " + percent(spec.saturation_threshold) +
                 ")",
             {"line " + std::to_string(first[used]->line) + ": " + first[used]->text,
              "line " + std::to_string(first[limit]->line) + ": " + first[limit]->text}});
    }
}

}  // namespace

void rank_anomalies(Analysis& analysis, const std::string& what) {
    std::stable_sort(analysis.anomalies.begin(), analysis.anomalies.end(),
                     [](const Anomaly& a, const Anomaly& b) { return a.severity == "critical" && b.severity != "critical"; });
    if (analysis.anomalies.empty()) {
        analysis.summary = "No anomaly in " + what + ".";
        return;
    }
    std::size_t critical = 0;
    for (const auto& anomaly : analysis.anomalies) critical += anomaly.severity == "critical";
    analysis.summary = std::to_string(analysis.anomalies.size()) + " anomal" +
                       (analysis.anomalies.size() == 1 ? "y" : "ies") + " in " + what + " (" +
                       std::to_string(critical) + " critical); first: " + analysis.anomalies.front().message + ".";
}

Analysis analyse_exposition(const Exposition& exposition, const ServiceSpec& spec) {
    Analysis analysis;
    analysis.series = exposition.samples.size();
    error_ratios(exposition, spec, analysis);
    latencies(exposition, spec, analysis);
    capacity(exposition, spec, analysis);
    rank_anomalies(analysis, std::to_string(analysis.series) + " samples");
    return analysis;
}

}  // namespace monitoring
