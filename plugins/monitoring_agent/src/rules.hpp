// The rules as data, shared by the rule file, its promtool tests, the
// dashboard and the PrometheusRule object (internal to the agent).
#ifndef MONITORING_AGENT_RULES_HPP
#define MONITORING_AGENT_RULES_HPP

#include <devkit/yaml_emit.hpp>
#include <yaml-cpp/yaml.h>

#include <map>
#include <string>
#include <vector>

#include "monitoring.hpp"

namespace monitoring {

// Where an annotation shows the alert's value: the rule file holds the Go
// template, a promtool test the text Prometheus renders for a known value.
inline constexpr const char* value_slot = "%VALUE%";

enum class ValueFormat { percentage, seconds, none };

struct AlertRule {
    std::string name;
    std::string expr;
    std::string for_duration;
    std::map<std::string, std::string> labels;
    std::string summary;
    std::string description;  // may hold value_slot
    ValueFormat format = ValueFormat::none;
    std::string runbook_url;
    double threshold = 0;  // the value above which it fires (0 for TargetDown)
};

struct RecordingRule {
    std::string record;
    std::string expr;
};

// {job="svc"} plus `extra` matchers.
std::string selector(const ServiceSpec& spec, const std::string& extra = "");
// Failed / all requests over `window`, summed per job.
std::string error_ratio_expr(const ServiceSpec& spec, const std::string& window);
std::string latency_p99_expr(const ServiceSpec& spec, const std::string& window);
std::string saturation_expr(const ServiceSpec& spec);
// The recording rule name of the error ratio over `window`.
std::string error_ratio_record(const std::string& window);
inline constexpr const char* latency_record = "job:slo_request_duration_seconds:p99_rate5m";
inline constexpr const char* saturation_record = "job:slo_saturation:ratio";

std::vector<RecordingRule> recording_rules(const ServiceSpec& spec);
std::vector<AlertRule> alert_rules(const ServiceSpec& spec);

// How Prometheus renders `value` in the annotation (humanizePercentage, or
// printf "%.3f" seconds), so a test can expect the exact text.
std::string rendered_value(ValueFormat format, double value);
// The annotation text with the value slot filled by `value_text`.
std::string fill_value(const std::string& text, const std::string& value_text);

// The rule groups as a YAML sequence (the `groups:` of a rule file).
YAML::Node rule_groups(const ServiceSpec& spec);
using devkit::emit_yaml;

}  // namespace monitoring

#endif  // MONITORING_AGENT_RULES_HPP
