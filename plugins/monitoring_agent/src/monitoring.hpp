// The monitoring agent's logic, free of SDK types: the service spec read
// from a request, Prometheus rules with their promtool unit tests, a Grafana
// dashboard, Prometheus Operator objects, and the analysis of a metrics
// sample. Linked into the plugin and into the tests.
#ifndef MONITORING_AGENT_MONITORING_HPP
#define MONITORING_AGENT_MONITORING_HPP

#include <devkit/artifacts.hpp>
#include <devkit/context_fields.hpp>
#include <rapidjson/document.h>

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace monitoring {

using InputError = devkit::FieldError;  // bad input, a 422 naming the field

enum class Kind { http, worker, database };
std::string kind_name(Kind kind);

// The metrics the rules are written against.
struct MetricNames {
    std::string requests;     // counter of every request (or job, or query)
    std::string error_label;  // label of requests that marks failures
    std::string error_regex;  // its values for a failure
    std::string duration;     // histogram base name (…_bucket is queried)
    std::string saturation_used;   // gauge: capacity in use
    std::string saturation_limit;  // gauge: capacity available
};

struct ServiceSpec {
    std::string service;  // the Prometheus job label
    Kind kind = Kind::http;
    double availability = 99.9;  // percent of good requests over the SLO window
    double latency_p99_seconds = 0.3;
    int slo_window_days = 30;
    double error_rate_threshold = 0.05;  // HighErrorRate fires above this ratio
    double saturation_threshold = 0.9;
    MetricNames metrics;
    std::string runbook_base_url;
    std::string namespace_name = "monitoring";
    bool kubernetes = false;  // also ServiceMonitor and PrometheusRule
    std::vector<std::string> defaults_used;  // what the request did not say
    double error_budget() const { return 1.0 - availability / 100.0; }
};

// Reads the request (context first, then the task's words, then defaults).
// Throws InputError naming the bad field.
ServiceSpec read_spec(const rapidjson::Value& context, std::string_view task);

// ---- SLO burn rates (Google SRE workbook, "Alerting on SLOs") -------------

// One alert of the multiwindow, multi-burn-rate policy: it fires when both
// windows burn the budget faster than `factor` times the sustainable rate.
struct BurnWindow {
    std::string long_window;   // e.g. "1h"
    std::string short_window;  // a twelfth of it, e.g. "5m"
    double long_hours = 0;
    double budget_spent = 0;  // fraction of the whole budget spent in long_window at that rate
    double factor = 0;        // budget_spent * SLO window / long window
    std::string severity;     // page or ticket
    std::string for_duration;
    double threshold(const ServiceSpec& spec) const { return factor * spec.error_budget(); }
};

// The workbook's four pairs (2% in 1h and 5% in 6h page; 10% in 1d and in
// 3d ticket), with factors for an SLO window of `slo_window_days`.
std::vector<BurnWindow> burn_windows(int slo_window_days);

// ---- Generate ---------------------------------------------------------------

// Prometheus's text for a number: shortest form, no trailing zeros.
std::string number_text(double value);

std::string rules_yaml(const ServiceSpec& spec);       // a rule file (groups:)
std::string rule_tests_yaml(const ServiceSpec& spec, const std::string& rule_file_name);
std::string dashboard_json(const ServiceSpec& spec);   // Grafana dashboard model
std::string service_monitor_yaml(const ServiceSpec& spec);
std::string prometheus_rule_yaml(const ServiceSpec& spec);

struct Generated {
    std::vector<devkit::Artifact> artifacts;
    std::string summary;
    std::vector<std::string> alerts;  // the alert names written
};
Generated generate(const ServiceSpec& spec);

// ---- Metrics samples ---------------------------------------------------------

struct Sample {
    std::string name;
    std::map<std::string, std::string> labels;
    double value = 0;
    std::size_t line = 0;  // 1-based, in the text it came from
    std::string text;      // the line as given
};

// A Prometheus text exposition (format 0.0.4). Throws InputError naming
// `field` and the line of the first malformed sample.
struct Exposition {
    std::map<std::string, std::string> types;  // family -> counter, gauge, histogram, summary, untyped
    std::vector<Sample> samples;
};
Exposition parse_exposition(std::string_view text, const std::string& field);

// Time series as the Prometheus query API returns them
// ([{"metric": {"__name__": …}, "values": [[t, "v"], …]}], or the whole
// response with data.result). Throws InputError naming the bad element.
struct Series {
    std::string name;
    std::map<std::string, std::string> labels;  // without __name__
    std::vector<std::pair<double, double>> points;  // (unix seconds, value), in time order
};
std::vector<Series> parse_series(const rapidjson::Value& value, const std::string& field);

// ---- Analyse ----------------------------------------------------------------

struct Anomaly {
    std::string type;      // error_rate_spike, latency_regression, saturation
    std::string severity;  // critical or warning
    std::string metric;
    std::string message;
    std::vector<std::string> evidence;
};

struct Analysis {
    std::vector<Anomaly> anomalies;  // most severe first
    std::size_t series = 0;          // samples or series read
    std::string summary;
};

// One scrape: ratios of the cumulative counters, histogram quantiles and
// capacity gauges against the spec's targets.
Analysis analyse_exposition(const Exposition& exposition, const ServiceSpec& spec);
// Time series: the recent part against the earlier baseline.
Analysis analyse_series(const std::vector<Series>& series, const ServiceSpec& spec);

}  // namespace monitoring

#endif  // MONITORING_AGENT_MONITORING_HPP
