// Prometheus Operator objects: a ServiceMonitor that scrapes the service
// (its job label is the Kubernetes Service's name, which the rules expect)
// and a PrometheusRule holding the same rule groups as the rule file.
#include "rules.hpp"

namespace monitoring {
namespace {

YAML::Node object(const ServiceSpec& spec, const char* kind, const std::string& name) {
    YAML::Node node(YAML::NodeType::Map);
    node["apiVersion"] = "monitoring.coreos.com/v1";
    node["kind"] = kind;
    node["metadata"]["name"] = name;
    node["metadata"]["namespace"] = spec.namespace_name;
    node["metadata"]["labels"]["app.kubernetes.io/name"] = spec.service;
    node["metadata"]["labels"]["app.kubernetes.io/component"] = "monitoring";
    return node;
}

}  // namespace

std::string service_monitor_yaml(const ServiceSpec& spec) {
    YAML::Node monitor = object(spec, "ServiceMonitor", spec.service);
    monitor["spec"]["jobLabel"] = "app.kubernetes.io/name";
    monitor["spec"]["selector"]["matchLabels"]["app.kubernetes.io/name"] = spec.service;
    YAML::Node endpoint(YAML::NodeType::Map);
    endpoint["port"] = "metrics";
    endpoint["path"] = "/metrics";
    endpoint["interval"] = "30s";
    endpoint["scrapeTimeout"] = "10s";
    monitor["spec"]["endpoints"].push_back(endpoint);
    return emit_yaml(monitor);
}

std::string prometheus_rule_yaml(const ServiceSpec& spec) {
    YAML::Node rule = object(spec, "PrometheusRule", spec.service + "-slo");
    rule["spec"]["groups"] = rule_groups(spec);
    return emit_yaml(rule);
}

}  // namespace monitoring
