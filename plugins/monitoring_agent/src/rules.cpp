// Recording and alerting rules: SLO error ratios over the burn-rate windows,
// the multiwindow multi-burn-rate alerts, error rate, latency, saturation
// and scrape failures.
#include "rules.hpp"

#include <devkit/text.hpp>
#include <devkit/yaml_emit.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <stdexcept>

namespace monitoring {
namespace {

std::string percent_text(double ratio) { return number_text(ratio * 100.0) + "%"; }


}  // namespace

std::vector<BurnWindow> burn_windows(int slo_window_days) {
    struct Pair {
        const char* long_window;
        const char* short_window;
        double hours;
        double spent;
        const char* severity;
        const char* for_duration;
    };
    // The workbook's budget policy: page when 2% of the budget goes in an
    // hour or 5% in six; ticket when 10% goes in a day or in three.
    const Pair pairs[] = {{"1h", "5m", 1, 0.02, "page", "2m"},
                          {"6h", "30m", 6, 0.05, "page", "15m"},
                          {"1d", "2h", 24, 0.10, "ticket", "1h"},
                          {"3d", "6h", 72, 0.10, "ticket", "3h"}};
    std::vector<BurnWindow> windows;
    for (const auto& pair : pairs) {
        BurnWindow window;
        window.long_window = pair.long_window;
        window.short_window = pair.short_window;
        window.long_hours = pair.hours;
        window.budget_spent = pair.spent;
        window.factor = pair.spent * slo_window_days * 24.0 / pair.hours;
        window.severity = pair.severity;
        window.for_duration = pair.for_duration;
        windows.push_back(window);
    }
    return windows;
}

std::string number_text(double value) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.12g", value);
    return buffer;
}

std::string selector(const ServiceSpec& spec, const std::string& extra) {
    return "{job=\"" + spec.service + "\"" + (extra.empty() ? "" : "," + extra) + "}";
}

std::string error_ratio_expr(const ServiceSpec& spec, const std::string& window) {
    const auto& m = spec.metrics;
    return "sum by (job) (rate(" + m.requests + selector(spec, m.error_label + "=~\"" + m.error_regex + "\"") + "[" +
           window + "])) / sum by (job) (rate(" + m.requests + selector(spec) + "[" + window + "]))";
}

std::string latency_p99_expr(const ServiceSpec& spec, const std::string& window) {
    return "histogram_quantile(0.99, sum by (job, le) (rate(" + spec.metrics.duration + "_bucket" + selector(spec) +
           "[" + window + "])))";
}

std::string saturation_expr(const ServiceSpec& spec) {
    return "sum by (job) (" + spec.metrics.saturation_used + selector(spec) + ") / sum by (job) (" +
           spec.metrics.saturation_limit + selector(spec) + ")";
}

std::string error_ratio_record(const std::string& window) { return "job:slo_errors_per_request:ratio_rate" + window; }

std::vector<RecordingRule> recording_rules(const ServiceSpec& spec) {
    std::vector<std::string> windows = {"5m"};
    for (const auto& window : burn_windows(spec.slo_window_days)) {
        windows.push_back(window.long_window);
        windows.push_back(window.short_window);
    }
    std::sort(windows.begin(), windows.end());
    windows.erase(std::unique(windows.begin(), windows.end()), windows.end());
    std::vector<RecordingRule> rules;
    for (const auto& window : windows) rules.push_back({error_ratio_record(window), error_ratio_expr(spec, window)});
    rules.push_back({"job:slo_requests:rate5m",
                     "sum by (job) (rate(" + spec.metrics.requests + selector(spec) + "[5m]))"});
    rules.push_back({latency_record, latency_p99_expr(spec, "5m")});
    rules.push_back({saturation_record, saturation_expr(spec)});
    return rules;
}

std::vector<AlertRule> alert_rules(const ServiceSpec& spec) {
    const std::string& service = spec.service;
    const std::string slo_window = std::to_string(spec.slo_window_days) + "d";
    const std::string budget = percent_text(spec.error_budget());
    const std::string job = selector(spec);
    std::vector<AlertRule> alerts;
    auto runbook = [&spec](const std::string& name) { return spec.runbook_base_url + "#" + devkit::lower(name); };
    for (const auto& window : burn_windows(spec.slo_window_days)) {
        const std::string threshold = "(" + number_text(window.factor) + " * " + number_text(spec.error_budget()) + ")";
        AlertRule alert;
        alert.name = "ErrorBudgetBurn";
        alert.expr = error_ratio_record(window.long_window) + job + " > " + threshold + "\nand\n" +
                     error_ratio_record(window.short_window) + job + " > " + threshold;
        alert.for_duration = window.for_duration;
        alert.threshold = window.threshold(spec);
        alert.labels = {{"severity", window.severity},
                        {"long_window", window.long_window},
                        {"short_window", window.short_window},
                        {"slo_window", slo_window}};
        alert.summary = service + " is burning its error budget " + number_text(window.factor) + "x too fast (" +
                        window.long_window + " and " + window.short_window + " windows)";
        alert.description = std::string(value_slot) + " of " + service + "'s requests failed over the last " +
                            window.long_window + " (and over the last " + window.short_window +
                            "), against an error budget of " + budget + " (SLO " + number_text(spec.availability) +
                            "% over " + slo_window + "). At " + number_text(window.factor) + "x the sustainable rate " +
                            percent_text(window.budget_spent) + " of the budget is gone within " + window.long_window +
                            ".";
        alert.format = ValueFormat::percentage;
        alert.runbook_url = runbook(alert.name);
        alerts.push_back(alert);
    }
    AlertRule errors;
    errors.name = "HighErrorRate";
    errors.expr = error_ratio_record("5m") + job + " > " + number_text(spec.error_rate_threshold);
    errors.for_duration = "5m";
    errors.threshold = spec.error_rate_threshold;
    errors.labels = {{"severity", "warning"}};
    errors.summary = service + " is failing more than " + percent_text(spec.error_rate_threshold) + " of requests";
    errors.description = std::string(value_slot) + " of " + service + "'s requests (" + spec.metrics.requests +
                         ", " + spec.metrics.error_label + "=~\"" + spec.metrics.error_regex +
                         "\") failed over the last 5 minutes; the alert threshold is " +
                         percent_text(spec.error_rate_threshold) + ".";
    errors.format = ValueFormat::percentage;
    errors.runbook_url = runbook(errors.name);
    alerts.push_back(errors);

    AlertRule latency;
    latency.name = "LatencyObjectiveBreach";
    latency.expr = std::string(latency_record) + job + " > " + number_text(spec.latency_p99_seconds);
    latency.for_duration = "10m";
    latency.threshold = spec.latency_p99_seconds;
    latency.labels = {{"severity", "warning"}};
    latency.summary = service + "'s p99 latency is above its objective of " +
                      number_text(spec.latency_p99_seconds * 1000) + " ms";
    latency.description = "The p99 latency of " + service + " (" + spec.metrics.duration + ") has been " +
                          value_slot + "s over the last 5 minutes for 10 minutes; the objective is " +
                          number_text(spec.latency_p99_seconds) + "s.";
    latency.format = ValueFormat::seconds;
    latency.runbook_url = runbook(latency.name);
    alerts.push_back(latency);

    AlertRule saturation;
    saturation.name = "HighSaturation";
    saturation.expr = std::string(saturation_record) + job + " > " + number_text(spec.saturation_threshold);
    saturation.for_duration = "15m";
    saturation.threshold = spec.saturation_threshold;
    saturation.labels = {{"severity", "warning"}};
    saturation.summary = service + " is running out of capacity";
    saturation.description = service + " is using " + value_slot + " of its capacity (" +
                             spec.metrics.saturation_used + " / " + spec.metrics.saturation_limit +
                             ") for 15 minutes; the threshold is " + percent_text(spec.saturation_threshold) + ".";
    saturation.format = ValueFormat::percentage;
    saturation.runbook_url = runbook(saturation.name);
    alerts.push_back(saturation);

    AlertRule down;
    down.name = "TargetDown";
    down.expr = "up" + job + " == 0";
    down.for_duration = "5m";
    down.labels = {{"severity", "page"}};
    down.summary = "Prometheus cannot scrape " + service;
    down.description = "Every scrape of job " + service +
                       " has failed for 5 minutes: the service is down or its metrics endpoint is unreachable, and "
                       "the other alerts of this service cannot fire.";
    down.runbook_url = runbook(down.name);
    alerts.push_back(down);
    return alerts;
}

std::string rendered_value(ValueFormat format, double value) {
    char buffer[64];
    switch (format) {
        case ValueFormat::percentage:
            // Go's humanizePercentage: fmt.Sprintf("%.4g%%", v*100).
            std::snprintf(buffer, sizeof buffer, "%.4g%%", value * 100);
            return buffer;
        case ValueFormat::seconds:
            std::snprintf(buffer, sizeof buffer, "%.3f", value);
            return buffer;
        case ValueFormat::none:
        default:
            return "";
    }
}

std::string fill_value(const std::string& text, const std::string& value_text) {
    std::string out = text;
    const std::string slot = value_slot;
    for (auto at = out.find(slot); at != std::string::npos; at = out.find(slot, at + value_text.size()))
        out.replace(at, slot.size(), value_text);
    return out;
}

YAML::Node rule_groups(const ServiceSpec& spec) {
    YAML::Node groups(YAML::NodeType::Sequence);
    YAML::Node recordings(YAML::NodeType::Map);
    recordings["name"] = spec.service + "-slo-recordings";
    recordings["rules"] = YAML::Node(YAML::NodeType::Sequence);
    for (const auto& rule : recording_rules(spec)) {
        YAML::Node entry(YAML::NodeType::Map);
        entry["record"] = rule.record;
        entry["expr"] = rule.expr;
        recordings["rules"].push_back(entry);
    }
    groups.push_back(recordings);

    YAML::Node alerting(YAML::NodeType::Map);
    alerting["name"] = spec.service + "-alerts";
    alerting["rules"] = YAML::Node(YAML::NodeType::Sequence);
    for (const auto& alert : alert_rules(spec)) {
        YAML::Node entry(YAML::NodeType::Map);
        entry["alert"] = alert.name;
        entry["expr"] = alert.expr;
        entry["for"] = alert.for_duration;
        for (const auto& [name, value] : alert.labels) entry["labels"][name] = value;
        const char* template_value = alert.format == ValueFormat::percentage ? "{{ $value | humanizePercentage }}"
                                     : alert.format == ValueFormat::seconds  ? "{{ $value | printf \"%.3f\" }}"
                                                                              : "";
        entry["annotations"]["summary"] = alert.summary;
        entry["annotations"]["description"] = fill_value(alert.description, template_value);
        entry["annotations"]["runbook_url"] = alert.runbook_url;
        alerting["rules"].push_back(entry);
    }
    groups.push_back(alerting);
    return groups;
}

std::string rules_yaml(const ServiceSpec& spec) {
    YAML::Node file(YAML::NodeType::Map);
    file["groups"] = rule_groups(spec);
    return emit_yaml(file);
}

}  // namespace monitoring
