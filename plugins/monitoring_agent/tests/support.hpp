// Test helpers: specs from JSON, artifacts by path suffix, YAML files.
#ifndef MONITORING_AGENT_TESTS_SUPPORT_HPP
#define MONITORING_AGENT_TESTS_SUPPORT_HPP

#include <json_schema.hpp>
#include <yaml-cpp/yaml.h>

#include <string>

#include "monitoring.hpp"

namespace monitoring_test {

inline monitoring::ServiceSpec spec(const std::string& context_json, const std::string& task = "") {
    return monitoring::read_spec(textkit::testing::parse_json(context_json), task);
}

inline const devkit::Artifact& artifact(const monitoring::Generated& generated, const std::string& suffix) {
    for (const auto& artifact : generated.artifacts)
        if (artifact.path.size() >= suffix.size() &&
            artifact.path.compare(artifact.path.size() - suffix.size(), suffix.size(), suffix) == 0)
            return artifact;
    throw std::runtime_error("no artifact ending in " + suffix);
}

}  // namespace monitoring_test

#endif
