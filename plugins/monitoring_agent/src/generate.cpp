// Generate mode: the rule file, its promtool tests, the dashboard and, on
// request, the Prometheus Operator objects, as artifacts with a summary.
#include "rules.hpp"

namespace monitoring {

Generated generate(const ServiceSpec& spec) {
    Generated generated;
    const std::string dir = "monitoring/" + spec.service + "/";
    const std::string rule_file = spec.service + ".rules.yaml";
    generated.artifacts.push_back({dir + rule_file, rules_yaml(spec), "application/yaml"});
    generated.artifacts.push_back(
        {dir + spec.service + ".rules.test.yaml", rule_tests_yaml(spec, rule_file), "application/yaml"});
    generated.artifacts.push_back({dir + spec.service + ".dashboard.json", dashboard_json(spec), "application/json"});
    if (spec.kubernetes) {
        generated.artifacts.push_back({dir + "servicemonitor.yaml", service_monitor_yaml(spec), "application/yaml"});
        generated.artifacts.push_back({dir + "prometheusrule.yaml", prometheus_rule_yaml(spec), "application/yaml"});
    }
    for (const auto& alert : alert_rules(spec))
        if (generated.alerts.empty() || generated.alerts.back() != alert.name) generated.alerts.push_back(alert.name);

    std::string windows;
    for (const auto& window : burn_windows(spec.slo_window_days))
        windows += (windows.empty() ? "" : ", ") + window.long_window + "/" + window.short_window + " at " +
                   number_text(window.factor) + "x (" + window.severity + ")";
    generated.summary = "Monitoring for " + spec.service + " (" + kind_name(spec.kind) + ", SLO " +
                        number_text(spec.availability) + "% over " + std::to_string(spec.slo_window_days) +
                        "d, p99 objective " + number_text(spec.latency_p99_seconds * 1000) +
                        " ms): recording and alerting rules on " + spec.metrics.requests + " and " +
                        spec.metrics.duration + ", burn-rate alerts " + windows +
                        ", promtool unit tests (promtool test rules " + dir + spec.service +
                        ".rules.test.yaml) and a Grafana dashboard" +
                        (spec.kubernetes ? ", with a ServiceMonitor and a PrometheusRule" : "") + ".";
    if (!spec.defaults_used.empty()) {
        generated.summary += " Defaults used:";
        for (std::size_t i = 0; i < spec.defaults_used.size(); ++i)
            generated.summary += (i ? ", " : " ") + spec.defaults_used[i];
        generated.summary += ".";
    }
    return generated;
}

}  // namespace monitoring
