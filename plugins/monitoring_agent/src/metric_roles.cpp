#include "metric_roles.hpp"

#include <devkit/text.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <ctime>
#include <regex>
#include <sstream>

namespace monitoring {
namespace {

const std::set<std::string> outcome_labels = {"code", "status", "status_code", "outcome", "result"};
const std::regex generic_failure("5..|5xx|error|errors|failed|failure|fail|timeout|false",
                                 std::regex::icase | std::regex::optimize);

std::vector<std::string> tokens(const std::string& name) {
    std::vector<std::string> out;
    std::stringstream stream(name);
    std::string token;
    while (std::getline(stream, token, '_'))
        if (!token.empty()) out.push_back(token);
    return out;
}

std::vector<std::string> without(std::vector<std::string> list, const std::set<std::string>& drop) {
    list.erase(std::remove_if(list.begin(), list.end(), [&drop](const std::string& t) { return drop.count(t) > 0; }),
               list.end());
    return list;
}

}  // namespace

bool has_outcome_label(const ServiceSpec& spec, const std::map<std::string, std::string>& labels) {
    if (labels.count(spec.metrics.error_label)) return true;
    for (const auto& name : outcome_labels)
        if (labels.count(name)) return true;
    return false;
}

bool is_failure(const ServiceSpec& spec, const std::map<std::string, std::string>& labels) {
    auto own = labels.find(spec.metrics.error_label);
    if (own != labels.end()) {
        // Compiled once per pattern and thread: a scrape holds thousands of samples.
        thread_local std::string pattern;
        thread_local std::optional<std::regex> compiled;
        if (pattern != spec.metrics.error_regex || !compiled) {
            pattern = spec.metrics.error_regex;
            try {
                compiled.emplace(pattern);
            } catch (const std::regex_error&) {
                compiled.reset();
            }
        }
        if (compiled && std::regex_match(own->second, *compiled)) return true;
    }
    for (const auto& name : outcome_labels) {
        auto found = labels.find(name);
        if (found != labels.end() && std::regex_match(found->second, generic_failure)) return true;
    }
    return false;
}

bool is_request_counter(const ServiceSpec& spec, const std::string& family) {
    if (family == spec.metrics.requests) return true;
    const bool total = family.size() > 6 && family.compare(family.size() - 6, 6, "_total") == 0;
    static const std::regex countable("request|job|quer|call|task|message|operation");
    return total && std::regex_search(family, countable);
}

bool is_latency_name(const std::string& name) {
    static const std::regex timing("duration|latency|seconds");
    return std::regex_search(name, timing);
}

bool is_latency_histogram(const ServiceSpec& spec, const std::string& bucket_family) {
    if (bucket_family == spec.metrics.duration + "_bucket") return true;
    static const std::regex durations("(duration|latency|seconds).*_bucket$");
    return std::regex_search(bucket_family, durations);
}

std::string limit_family(const ServiceSpec& spec, const std::string& used, const std::set<std::string>& families) {
    if (used == spec.metrics.saturation_used && families.count(spec.metrics.saturation_limit))
        return spec.metrics.saturation_limit;
    static const std::set<std::string> usage = {"open", "active", "used", "in", "use", "busy", "current", "inuse"};
    static const std::set<std::string> limits = {"max", "limit", "capacity", "maximum"};
    const auto used_tokens = tokens(used);
    const bool looks_used = std::any_of(used_tokens.begin(), used_tokens.end(),
                                        [](const std::string& t) { return usage.count(t) > 0; });
    const auto core = without(used_tokens, usage);
    for (const auto& family : families) {
        if (family == used) continue;
        const auto family_tokens = tokens(family);
        const bool is_limit = std::any_of(family_tokens.begin(), family_tokens.end(),
                                          [](const std::string& t) { return limits.count(t) > 0; });
        if (!is_limit) continue;
        const auto family_core = without(family_tokens, limits);
        if (family_core == core && (looks_used || family_core != used_tokens)) return family;
    }
    return {};
}

double bucket_quantile(double q, const std::vector<std::pair<double, double>>& buckets) {
    if (buckets.size() < 2) return NAN;
    const double total = buckets.back().second;
    if (!(total > 0)) return NAN;
    const double rank = q * total;
    std::size_t i = 0;
    while (i < buckets.size() - 1 && buckets[i].second < rank) ++i;
    if (i == buckets.size() - 1) return buckets[buckets.size() - 2].first;  // in +Inf: the highest finite bound
    const double start = i == 0 ? 0 : buckets[i - 1].first;
    const double below = i == 0 ? 0 : buckets[i - 1].second;
    const double in_bucket = buckets[i].second - below;
    if (in_bucket <= 0) return buckets[i].first;
    return start + (buckets[i].first - start) * ((rank - below) / in_bucket);
}

std::string percent(double ratio) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.3g%%", ratio * 100);
    return buffer;
}

std::string seconds(double value) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.3gs", value);
    return buffer;
}

std::string timestamp(double unix_seconds) { return devkit::utc_timestamp(unix_seconds); }

}  // namespace monitoring
