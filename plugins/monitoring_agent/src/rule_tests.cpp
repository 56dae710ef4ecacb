// `promtool test rules` unit tests for the generated alerts: synthetic
// series for a fast burn, a slow burn, a healthy service, slow and saturated
// capacity, and a failed scrape, each with the alerts (labels and rendered
// annotations) that must fire and those that must stay silent.
#include <cmath>
#include <regex>
#include <string>

#include "rules.hpp"

namespace monitoring {
namespace {

constexpr int kMinutes = 300;            // series length, one sample a minute
constexpr const char* kEvalTime = "4h";  // after every `for` (3h the longest)
constexpr double kPerMinute = 1000;      // requests a minute in every scenario

// `value` rounded to three significant digits, so the rendered annotation
// is exact whatever the last bit of Prometheus' arithmetic.
double round3(double value) {
    if (value <= 0) return value;
    const double scale = std::pow(10.0, 2 - std::floor(std::log10(value)));
    return std::round(value * scale) / scale;
}

// A label value the error matcher selects, and one it does not.
std::pair<std::string, std::string> outcome_values(const ServiceSpec& spec) {
    const std::regex failure(spec.metrics.error_regex);
    std::string bad, good;
    for (const char* value : {"500", "503", "failed", "error", "ERROR", "failure", "timeout", "false", "5xx"})
        if (bad.empty() && std::regex_match(value, failure)) bad = value;
    for (const char* value : {"200", "success", "succeeded", "ok", "OK", "true", "2xx", "204"})
        if (good.empty() && !std::regex_match(value, failure)) good = value;
    if (bad.empty() || good.empty())
        throw InputError("context.metrics.error_regex '" + spec.metrics.error_regex +
                         "' matches none of the usual failure values (500, failed, error, …) or all of them, so "
                         "no unit test can exercise the alerts");
    return {bad, good};
}

std::string series_name(const std::string& metric, const ServiceSpec& spec, const std::string& extra = "") {
    return metric + selector(spec, extra);
}

void add_series(YAML::Node& test, const std::string& series, const std::string& values) {
    YAML::Node entry(YAML::NodeType::Map);
    entry["series"] = series;
    entry["values"] = values;
    test["input_series"].push_back(entry);
}

std::string counter(double per_minute) { return "0+" + number_text(per_minute) + "x" + std::to_string(kMinutes); }
std::string gauge(double value) { return number_text(value) + "+0x" + std::to_string(kMinutes); }

// What a scenario feeds in.
struct Scenario {
    std::string name;
    double error_ratio = 0;
    bool slow = false;       // p99 above the objective
    bool saturated = false;  // above the saturation threshold
    bool down = false;       // up == 0
};

// The p99 histogram_quantile returns for the slow histogram: every request
// falls between the objective and objective * (1 + k), so it is objective *
// (1 + 0.99 k); k is picked so that value is far from a rounding edge.
double slow_latency_width(const ServiceSpec& spec) {
    for (double k : {1.0, 2.0, 3.0, 4.0}) {
        const double value = spec.latency_p99_seconds * (1 + 0.99 * k) * 1000;
        if (std::fabs(value - std::floor(value) - 0.5) > 0.1) return k;
    }
    return 1.0;
}

double saturated_ratio(const ServiceSpec& spec) { return std::round((spec.saturation_threshold + 1) / 2 * 1000) / 1000; }

YAML::Node scenario_test(const ServiceSpec& spec, const Scenario& scenario) {
    const auto [bad, good] = outcome_values(spec);
    const auto& m = spec.metrics;
    YAML::Node test(YAML::NodeType::Map);
    test["name"] = scenario.name;
    test["interval"] = "1m";
    test["input_series"] = YAML::Node(YAML::NodeType::Sequence);
    const double failing = scenario.error_ratio * kPerMinute;
    add_series(test, series_name(m.requests, spec, m.error_label + "=\"" + good + "\""), counter(kPerMinute - failing));
    add_series(test, series_name(m.requests, spec, m.error_label + "=\"" + bad + "\""), counter(failing));
    // Histogram buckets: fast requests all finish within half the
    // objective, slow ones between the objective and (1 + k) times it.
    const double target = spec.latency_p99_seconds;
    const double width = slow_latency_width(spec);
    const std::pair<double, bool> buckets[] = {{target / 2, false}, {target, false}, {target * (1 + width), true}};
    for (const auto& [le, slow_reaches] : buckets) {
        const bool counted = !scenario.slow || slow_reaches;
        add_series(test, series_name(m.duration + "_bucket", spec, "le=\"" + number_text(le) + "\""),
                   counter(counted ? kPerMinute : 0));
    }
    add_series(test, series_name(m.duration + "_bucket", spec, "le=\"+Inf\""), counter(kPerMinute));
    const double limit = 1000;
    add_series(test, series_name(m.saturation_used, spec),
               gauge(scenario.saturated ? saturated_ratio(spec) * limit : limit * spec.saturation_threshold / 2));
    add_series(test, series_name(m.saturation_limit, spec), gauge(limit));
    add_series(test, series_name("up", spec), gauge(scenario.down ? 0 : 1));

    // Which alerts fire, with which value.
    YAML::Node checks(YAML::NodeType::Sequence);
    std::map<std::string, YAML::Node> by_name;
    std::vector<std::string> order;
    const std::vector<AlertRule> alerts = alert_rules(spec);
    for (const auto& alert : alerts) {
        if (!by_name.count(alert.name)) {
            YAML::Node check(YAML::NodeType::Map);
            check["eval_time"] = kEvalTime;
            check["alertname"] = alert.name;
            check["exp_alerts"] = YAML::Node(YAML::NodeType::Sequence);
            by_name[alert.name] = check;
            order.push_back(alert.name);
        }
        double value = 0;
        bool fires = false;
        if (alert.name == "ErrorBudgetBurn") {
            fires = scenario.error_ratio > alert.threshold;
            value = scenario.error_ratio;
        } else if (alert.name == "HighErrorRate") {
            fires = scenario.error_ratio > alert.threshold;
            value = scenario.error_ratio;
        } else if (alert.name == "LatencyObjectiveBreach") {
            fires = scenario.slow;
            value = target * (1 + 0.99 * width);
        } else if (alert.name == "HighSaturation") {
            fires = scenario.saturated;
            value = saturated_ratio(spec);
        } else if (alert.name == "TargetDown") {
            fires = scenario.down;
        }
        if (!fires) continue;
        YAML::Node expected(YAML::NodeType::Map);
        expected["exp_labels"]["job"] = spec.service;
        for (const auto& [name, label] : alert.labels) expected["exp_labels"][name] = label;
        expected["exp_annotations"]["summary"] = alert.summary;
        expected["exp_annotations"]["description"] =
            fill_value(alert.description, rendered_value(alert.format, value));
        expected["exp_annotations"]["runbook_url"] = alert.runbook_url;
        by_name[alert.name]["exp_alerts"].push_back(expected);
    }
    for (const auto& name : order) checks.push_back(by_name[name]);
    test["alert_rule_test"] = checks;
    return test;
}

}  // namespace

std::string rule_tests_yaml(const ServiceSpec& spec, const std::string& rule_file_name) {
    const auto windows = burn_windows(spec.slo_window_days);
    const double budget = spec.error_budget();
    // Slow: between the two lowest thresholds, so only the slowest window's
    // ticket fires.
    double highest = 0;
    for (const auto& window : windows)
        if (window.threshold(spec) < 0.5) highest = std::max(highest, window.threshold(spec));
    // Twice the highest reachable threshold and twice HighErrorRate's, so
    // every alert that can fire on errors does.
    const double fast = round3(std::min(0.5, std::max(highest, spec.error_rate_threshold) * 2));
    const double slow = round3(std::sqrt(windows[2].threshold(spec) * windows[3].threshold(spec)));
    const Scenario scenarios[] = {
        {"fast burn: " + rendered_value(ValueFormat::percentage, fast) + " of requests fail", fast},
        {"slow burn: " + rendered_value(ValueFormat::percentage, slow) + " of requests fail", slow},
        {"healthy: half the error budget, fast, spare capacity", round3(budget / 2)},
        {"slow and saturated, errors within budget", round3(budget / 2), true, true},
        {"scrapes failing", round3(budget / 2), false, false, true}};
    YAML::Node file(YAML::NodeType::Map);
    file["rule_files"].push_back(rule_file_name);
    file["evaluation_interval"] = "1m";
    for (const auto& scenario : scenarios) file["tests"].push_back(scenario_test(spec, scenario));
    return emit_yaml(file);
}

}  // namespace monitoring
