// Pipeline generation: a Harness CD pipeline or a GitHub Actions workflow for
// the settings, built as YAML::Node trees and emitted with YAML::Emitter.
#ifndef HARNESS_EXPERT_GENERATE_HPP
#define HARNESS_EXPERT_GENERATE_HPP

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "settings.hpp"

namespace harness_expert {

struct Artifact {
    std::string path;
    std::string content;
    std::string media_type = "application/yaml";
};

struct Generated {
    std::vector<Artifact> artifacts;
    std::string summary;
    std::vector<std::string> warnings;
    // GitHub Actions: the Kubernetes namespace each environment deploys to
    // (environment, namespace), in order.
    std::vector<std::pair<std::string, std::string>> namespaces;
};

// Called once per environment stage as it is generated: (environment, index, count).
using StageCallback = std::function<void(const std::string&, std::size_t, std::size_t)>;

// Approval design: an environment that needs approval (prod/production when
// prod_approval is set) gets a HarnessApproval step as the first step of its
// own Deployment stage, so the approval travels with the stage.
Generated generate(const Settings& settings, const StageCallback& on_stage = {});

// The step types the Harness execution of a strategy runs, in order (without
// the approval step), and its rollback step types.
std::vector<std::string> harness_step_types(Strategy strategy);
std::vector<std::string> harness_rollback_step_types(Strategy strategy);

}  // namespace harness_expert

#endif
