// Test helpers: contexts, YAML round trips and the Kubernetes schema subsets.
#ifndef KUBERNETES_AGENT_TESTS_SUPPORT_HPP
#define KUBERNETES_AGENT_TESTS_SUPPORT_HPP

#include <json_schema.hpp>
#include <yaml-cpp/yaml.h>

#include <map>
#include <string>

#include "kubernetes.hpp"

namespace k8s_test {

// A realistic request for every object kind.
inline const char* full_context = R"({
  "service": "payments-api",
  "image": "ghcr.io/acme/payments-api:2.4.1",
  "port": 9000,
  "replicas": 3,
  "resources": {"requests": {"cpu": "250m", "memory": "256Mi"}, "limits": {"cpu": "1", "memory": "512Mi"}},
  "env": {"LOG_LEVEL": "info", "HTTP_PORT": "9000", "FEATURE_X": true, "TIMEOUT_SECONDS": 30},
  "secret_env": [{"name": "DATABASE_URL", "secret": "payments-db", "key": "url"},
                 {"name": "STRIPE_KEY", "secret": "payments-stripe", "key": "api-key"}],
  "health_path": "/health/ready",
  "autoscaling": {"min": 3, "max": 12, "cpu_percent": 65},
  "ingress_host": "payments.acme.example.com",
  "namespace": "payments"
})";

inline const std::map<std::string, std::string> schema_files = {
    {"Deployment", "deployment"},
    {"Service", "service"},
    {"HorizontalPodAutoscaler", "horizontalpodautoscaler"},
    {"ConfigMap", "configmap"},
    {"PodDisruptionBudget", "poddisruptionbudget"},
    {"Ingress", "ingress"}};

inline const rapidjson::Document& schema_for(const std::string& kind) {
    static std::map<std::string, rapidjson::Document> cache;
    auto found = cache.find(kind);
    if (found == cache.end())
        found = cache.emplace(kind, textkit::testing::read_json_file(std::string(KUBERNETES_SCHEMA_DIR) + "/" +
                                                                     schema_files.at(kind) + ".schema.json"))
                    .first;
    return found->second;
}

// Parses one YAML document (exactly one) into JSON with yaml-cpp.
inline rapidjson::Document yaml_object(const std::string& yaml) {
    auto documents = k8s::yaml_documents(yaml);
    if (documents.size() != 1) throw std::runtime_error("expected one YAML document");
    return std::move(documents.front());
}

inline std::map<std::string, std::string> labels(const rapidjson::Value& value) {
    std::map<std::string, std::string> result;
    for (const auto& member : value.GetObject()) result[member.name.GetString()] = member.value.GetString();
    return result;
}

// The generated objects as one YAML stream, as review mode reads them.
inline std::string joined_yaml(const k8s::Generated& generated) {
    std::string all;
    for (const auto& artifact : generated.artifacts) all += "---\n" + artifact.content;
    return all;
}

inline rapidjson::Document parse_context(const std::string& json) { return textkit::testing::parse_json(json); }

}  // namespace k8s_test

#endif
