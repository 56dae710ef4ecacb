// Analysis of time series (a range query's result): each signal's recent
// part against its own earlier baseline, with the moment it changed.
#include <algorithm>
#include <cmath>
#include <regex>
#include <set>

#include <devkit/text.hpp>

#include "metric_roles.hpp"

namespace monitoring {
namespace {

using devkit::ends_with;

bool is_cumulative(const std::string& name) {
    return ends_with(name, "_total") || ends_with(name, "_bucket") || ends_with(name, "_count") ||
           ends_with(name, "_sum");
}

std::string describe(const Series& series) {
    std::string out = series.name + "{";
    bool first = true;
    for (const auto& [name, value] : series.labels) {
        out += (first ? "" : ",") + name + "=\"" + value + "\"";
        first = false;
    }
    return out + "}";
}

// Per-step increases of a counter (a drop is a restart: the new value is
// the increase), keyed by the later point's time.
std::map<double, double> increases(const Series& series) {
    std::map<double, double> out;
    for (std::size_t i = 1; i < series.points.size(); ++i) {
        const double now = series.points[i].second, before = series.points[i - 1].second;
        out[series.points[i].first] += now >= before ? now - before : now;
    }
    return out;
}

double median(std::vector<double> values) {
    if (values.empty()) return NAN;
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

// The first index from which the values stay above `threshold` in the
// median (the onset of a change), or npos.
std::size_t onset(const std::vector<double>& values, double threshold) {
    for (std::size_t i = values.size() / 2; i < values.size(); ++i) {
        if (!(values[i] > threshold)) continue;
        if (median(std::vector<double>(values.begin() + static_cast<long>(i), values.end())) > threshold) {
            // Walk back over the steps just before that are already above.
            while (i > 0 && values[i - 1] > threshold) --i;
            return i;
        }
    }
    return std::string::npos;
}

void error_ratios(const std::vector<Series>& all, const ServiceSpec& spec, Analysis& analysis) {
    std::map<std::string, std::vector<const Series*>> families;
    for (const auto& series : all)
        if (is_request_counter(spec, series.name) && has_outcome_label(spec, series.labels))
            families[series.name].push_back(&series);
    for (const auto& [name, members] : families) {
        std::map<double, std::pair<double, double>> steps;  // t -> (failed, all)
        std::map<const Series*, std::map<double, double>> failing;
        for (const Series* series : members) {
            const bool failure = is_failure(spec, series->labels);
            const auto rises = increases(*series);
            for (const auto& [t, rise] : rises) {
                steps[t].second += rise;
                if (failure) steps[t].first += rise;
            }
            if (failure) failing[series] = rises;
        }
        if (steps.size() < 4) continue;
        std::vector<double> times, ratios;
        for (const auto& [t, counts] : steps) {
            times.push_back(t);
            ratios.push_back(counts.second > 0 ? counts.first / counts.second : 0);
        }
        double base_failed = 0, base_all = 0;
        auto it = steps.begin();
        for (std::size_t i = 0; i < steps.size() / 2; ++i, ++it) {
            base_failed += it->second.first;
            base_all += it->second.second;
        }
        const double baseline = base_all > 0 ? base_failed / base_all : 0;
        const double threshold = std::max(3 * baseline, spec.error_budget());
        const std::size_t from = onset(ratios, threshold);
        if (from == std::string::npos) continue;
        double failed = 0, total = 0, worst = 0;
        double worst_at = times[from];
        for (std::size_t i = from; i < times.size(); ++i) {
            failed += steps[times[i]].first;
            total += steps[times[i]].second;
            if (ratios[i] > worst) worst = ratios[i], worst_at = times[i];
        }
        const double recent = total > 0 ? failed / total : 0;
        Anomaly anomaly;
        anomaly.type = "error_rate_spike";
        anomaly.metric = name;
        anomaly.severity = recent > spec.error_rate_threshold ? "critical" : "warning";
        anomaly.message = "the failure ratio of " + name + " rose from " + percent(baseline) + " to " + percent(recent) +
                          " at " + timestamp(times[from]);
        anomaly.evidence.push_back("baseline " + percent(baseline) + " from " + timestamp(times.front()) + " to " +
                                   timestamp(times[times.size() / 2 - 1]));
        anomaly.evidence.push_back("from " + timestamp(times[from]) + ": " + number_text(failed) + " failed of " +
                                   number_text(total) + " (" + percent(recent) + ")");
        anomaly.evidence.push_back("worst step " + timestamp(worst_at) + ": " + percent(worst));
        // The failing series that grew most since the onset.
        std::vector<std::pair<double, const Series*>> growth;
        for (const auto& [series, rises] : failing) {
            double sum = 0;
            for (const auto& [t, rise] : rises)
                if (t >= times[from]) sum += rise;
            growth.push_back({sum, series});
        }
        std::sort(growth.begin(), growth.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
        for (std::size_t i = 0; i < growth.size() && i < 2; ++i)
            if (growth[i].first > 0)
                anomaly.evidence.push_back(describe(*growth[i].second) + " rose by " + number_text(growth[i].first) +
                                           " since the onset");
        analysis.anomalies.push_back(anomaly);
    }
}

void latency_regressions(const std::vector<Series>& all, const ServiceSpec& spec, Analysis& analysis) {
    // family -> time -> le -> increase (summed over other labels)
    std::map<std::string, std::map<double, std::map<double, double>>> histograms;
    std::map<std::string, std::map<double, double>> quantiles;  // exported p99 gauges
    for (const auto& series : all) {
        auto le = series.labels.find("le");
        if (le != series.labels.end() && is_latency_histogram(spec, series.name)) {
            double bound = 0;
            try {
                bound = le->second == "+Inf" ? INFINITY : std::stod(le->second);
            } catch (...) {
                continue;
            }
            for (const auto& [t, rise] : increases(series)) histograms[series.name][t][bound] += rise;
            continue;
        }
        auto quantile = series.labels.find("quantile");
        if (quantile != series.labels.end() && quantile->second == "0.99" &&
            is_latency_name(series.name))
            for (const auto& [t, value] : series.points)
                quantiles[series.name][t] = std::max(quantiles[series.name][t], value);
    }
    for (const auto& [name, steps] : histograms) {
        const std::string family = name.substr(0, name.size() - 7);
        for (const auto& [t, buckets] : steps) {
            std::vector<std::pair<double, double>> list(buckets.begin(), buckets.end());
            const double p99 = list.empty() || !std::isinf(list.back().first) ? NAN : bucket_quantile(0.99, list);
            if (!std::isnan(p99)) quantiles[family + " (p99 from buckets)"][t] = p99;
        }
    }
    for (const auto& [name, points] : quantiles) {
        if (points.size() < 4) continue;
        std::vector<double> times, values;
        for (const auto& [t, value] : points) times.push_back(t), values.push_back(value);
        const double baseline = median(std::vector<double>(values.begin(), values.begin() + values.size() / 2));
        const double threshold = std::max(1.5 * baseline, baseline + 0.001);
        const std::size_t from = onset(values, threshold);
        if (from == std::string::npos) continue;
        const double recent = median(std::vector<double>(values.begin() + static_cast<long>(from), values.end()));
        Anomaly anomaly;
        anomaly.type = "latency_regression";
        anomaly.metric = name;
        anomaly.severity = recent > spec.latency_p99_seconds ? "critical" : "warning";
        anomaly.message = "p99 of " + name + " rose from " + seconds(baseline) + " to " + seconds(recent) + " at " +
                          timestamp(times[from]) + " (objective " + seconds(spec.latency_p99_seconds) + ")";
        anomaly.evidence.push_back("baseline median " + seconds(baseline) + " before " +
                                   timestamp(times[values.size() / 2]));
        anomaly.evidence.push_back(timestamp(times[from]) + ": " + seconds(values[from]));
        anomaly.evidence.push_back("median since then " + seconds(recent) + ", last " + seconds(values.back()) +
                                   " at " + timestamp(times.back()));
        analysis.anomalies.push_back(anomaly);
    }
}

void saturation(const std::vector<Series>& all, const ServiceSpec& spec, Analysis& analysis) {
    std::map<std::string, std::map<double, double>> gauges;  // family -> t -> sum
    for (const auto& series : all)
        if (!is_cumulative(series.name) && !series.labels.count("quantile"))
            for (const auto& [t, value] : series.points) gauges[series.name][t] += value;
    std::set<std::string> families;
    for (const auto& [name, points] : gauges) families.insert(name);
    for (const auto& used : families) {
        const std::string limit = limit_family(spec, used, families);
        const bool is_ratio = limit.empty() && std::regex_search(used, std::regex("(utili[sz]ation|_ratio)$"));
        if (limit.empty() && !is_ratio) continue;
        std::vector<double> times, ratios;
        for (const auto& [t, value] : gauges[used]) {
            double bound = 1;
            if (!is_ratio) {
                auto found = gauges[limit].find(t);
                if (found == gauges[limit].end() || !(found->second > 0)) continue;
                bound = found->second;
            }
            times.push_back(t);
            ratios.push_back(value / bound);
        }
        if (times.empty()) continue;
        const std::size_t recent_from = times.size() - std::max<std::size_t>(1, times.size() / 3);
        const double peak = *std::max_element(ratios.begin() + static_cast<long>(recent_from), ratios.end());
        if (!(peak > spec.saturation_threshold)) continue;
        std::size_t crossed = recent_from;
        while (crossed > 0 && ratios[crossed - 1] > spec.saturation_threshold) --crossed;
        while (crossed < ratios.size() && !(ratios[crossed] > spec.saturation_threshold)) ++crossed;
        const std::string of = is_ratio ? "capacity" : limit;
        analysis.anomalies.push_back(
            {"saturation", peak >= 0.98 ? "critical" : "warning", used,
             used + " reached " + percent(peak) + " of " + of + " (threshold " + percent(spec.saturation_threshold) + ")",
             {timestamp(times.front()) + ": " + percent(ratios.front()) + " of " + of,
              timestamp(times[crossed]) + ": " + percent(ratios[crossed]) + ", above the threshold from here",
              timestamp(times.back()) + ": " + percent(ratios.back())}});
    }
}

}  // namespace

Analysis analyse_series(const std::vector<Series>& series, const ServiceSpec& spec) {
    Analysis analysis;
    analysis.series = series.size();
    error_ratios(series, spec, analysis);
    latency_regressions(series, spec, analysis);
    saturation(series, spec, analysis);
    rank_anomalies(analysis, std::to_string(series.size()) + " series");
    return analysis;
}

}  // namespace monitoring
