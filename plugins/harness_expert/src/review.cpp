#include "review.hpp"

#include "devkit/yaml_safety.hpp"
#include <yaml-cpp/yaml.h>

#include <map>

#include "identifiers.hpp"
#include "settings.hpp"

namespace harness_expert {
namespace {

bool ends_with(const std::string& text, const std::string& suffix) {
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool starts_with(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }

std::string scalar(const YAML::Node& node, const char* key) {
    if (!node.IsMap()) return {};
    const YAML::Node value = node[key];
    return value && value.IsScalar() ? value.Scalar() : std::string();
}

bool is_approval_type(const std::string& type) {
    return type == "HarnessApproval" || type == "JiraApproval" || type == "ServiceNowApproval" ||
           type == "CustomApproval";
}

bool is_deploy_type(const std::string& type) {
    return starts_with(type, "K8s") || starts_with(type, "Helm") || type.find("Deploy") != std::string::npos;
}

struct StepRef {
    std::string identifier;
    std::string type;
    std::string path;  // of the identifier
    bool group = false;
};

// Flattens steps, stepGroups and parallel blocks in execution order.
void flatten_steps(const YAML::Node& list, const std::string& path, std::vector<StepRef>& out) {
    if (!list || !list.IsSequence()) return;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const YAML::Node item = list[i];
        const std::string at = path + "[" + std::to_string(i) + "]";
        if (!item.IsMap()) continue;
        if (const YAML::Node step = item["step"]; step && step.IsMap()) {
            out.push_back({scalar(step, "identifier"), scalar(step, "type"), at + ".step.identifier", false});
        }
        if (const YAML::Node group = item["stepGroup"]; group && group.IsMap()) {
            out.push_back({scalar(group, "identifier"), "StepGroup", at + ".stepGroup.identifier", true});
            flatten_steps(group["steps"], at + ".stepGroup.steps", out);
        }
        if (const YAML::Node parallel = item["parallel"]; parallel && parallel.IsSequence())
            flatten_steps(parallel, at + ".parallel", out);
    }
}

struct StageRef {
    YAML::Node stage;
    std::string path;  // of the stage mapping
};

void flatten_stages(const YAML::Node& list, const std::string& path, std::vector<StageRef>& out) {
    if (!list || !list.IsSequence()) return;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const YAML::Node item = list[i];
        const std::string at = path + "[" + std::to_string(i) + "]";
        if (!item.IsMap()) continue;
        if (const YAML::Node stage = item["stage"]; stage && stage.IsMap()) out.push_back({stage, at + ".stage"});
        if (const YAML::Node parallel = item["parallel"]; parallel && parallel.IsSequence())
            flatten_stages(parallel, at + ".parallel", out);
    }
}

std::string stage_label(const YAML::Node& stage) {
    std::string label = scalar(stage, "identifier");
    return label.empty() ? scalar(stage, "name") : label;
}

// Every identifier-like value (key "identifier" or ending in "Identifier")
// that is not an expression must follow the rule.
void check_identifier_rule(const YAML::Node& node, const std::string& path, const std::string& stage,
                           std::vector<Finding>& findings) {
    if (node.IsMap()) {
        std::string here_stage = stage;
        for (const auto& entry : node) {
            if (!entry.first.IsScalar()) continue;
            const std::string key = entry.first.Scalar();
            const std::string at = path.empty() ? key : path + "." + key;
            if (key == "stage" && entry.second.IsMap()) {
                check_identifier_rule(entry.second, at, stage_label(entry.second), findings);
                continue;
            }
            if ((key == "identifier" || ends_with(key, "Identifier")) && entry.second.IsScalar()) {
                const std::string value = entry.second.Scalar();
                if (!starts_with(value, "<+") && !is_valid_identifier(value))
                    findings.push_back({"error", here_stage, at,
                                        key + " \"" + value +
                                            "\" breaks Harness's identifier rule ^[a-zA-Z_][0-9a-zA-Z_$]{0,127}$; use \"" +
                                            to_identifier(value) + "\""});
                continue;
            }
            check_identifier_rule(entry.second, at, here_stage, findings);
        }
    } else if (node.IsSequence()) {
        for (std::size_t i = 0; i < node.size(); ++i)
            check_identifier_rule(node[i], path + "[" + std::to_string(i) + "]", stage, findings);
    }
}

// A Deployment stage deploys a service of a deployment type to an
// environment: without any of the three Harness cannot run it. The current
// form (spec.service.serviceRef, spec.environment.environmentRef) and the
// older one (spec.serviceConfig, spec.infrastructure) both count, as do
// runtime inputs and a service or environment taken from an earlier stage.
void check_deployment_targets(const YAML::Node& spec, const std::string& label, const std::string& path,
                              std::vector<Finding>& findings) {
    const bool has_spec = spec && spec.IsMap();
    auto present = [&](const char* block, const char* ref) {
        if (!has_spec) return false;
        const YAML::Node node = spec[block];
        if (!node || !node.IsMap()) return false;
        return !scalar(node, ref).empty() || (node["useFromStage"] && node["useFromStage"].IsMap());
    };
    if (!has_spec || scalar(spec, "deploymentType").empty())
        findings.push_back({"error", label, path + ".spec.deploymentType",
                            "Deployment stage has no deploymentType (such as Kubernetes): Harness cannot run it"});
    const bool service = present("service", "serviceRef") || present("serviceConfig", "serviceRef") ||
                         (has_spec && spec["services"] && spec["services"].IsMap());
    if (!service)
        findings.push_back({"error", label, path + ".spec.service",
                            "Deployment stage names no service (spec.service.serviceRef): there is nothing to deploy"});
    const bool environment = present("environment", "environmentRef") || present("infrastructure", "environmentRef") ||
                             (has_spec && spec["environments"] && spec["environments"].IsMap()) ||
                             (has_spec && spec["environmentGroup"] && spec["environmentGroup"].IsMap());
    if (!environment)
        findings.push_back({"error", label, path + ".spec.environment",
                            "Deployment stage names no environment (spec.environment.environmentRef): there is nowhere "
                            "to deploy"});
}

}  // namespace

Review review_pipeline(std::string_view yaml,
                       const std::function<void(const std::string&, std::size_t, std::size_t)>& on_stage) {
    if (auto hazard = devkit::yaml_hazard(yaml)) throw InputError("context.pipeline is not valid YAML: " + hazard.describe());
    YAML::Node root;
    try {
        root = YAML::Load(std::string(yaml));
    } catch (const YAML::ParserException& error) {
        throw InputError("context.pipeline is not valid YAML: line " + std::to_string(error.mark.line + 1) +
                         ", column " + std::to_string(error.mark.column + 1) + ": " + error.msg);
    }
    if (!root.IsMap()) throw InputError("context.pipeline must be a YAML mapping with a top-level `pipeline` key");

    Review review;
    auto& findings = review.findings;
    const YAML::Node pipeline = root["pipeline"];
    if (!pipeline || !pipeline.IsMap()) {
        findings.push_back({"error", "", "pipeline", "no top-level `pipeline` mapping: this is not a Harness pipeline"});
        return review;
    }
    review.pipeline_identifier = scalar(pipeline, "identifier");

    for (const char* field : {"name", "identifier", "projectIdentifier", "orgIdentifier"}) {
        const YAML::Node value = pipeline[field];
        if (!value || !value.IsScalar() || value.Scalar().empty())
            findings.push_back({"error", "", std::string("pipeline.") + field,
                                std::string("required pipeline field `") + field + "` is missing or empty"});
    }
    const YAML::Node stages = pipeline["stages"];
    if (!stages || !stages.IsSequence() || stages.size() == 0)
        findings.push_back({"error", "", "pipeline.stages",
                            "required pipeline field `stages` is missing or is not a non-empty list"});

    check_identifier_rule(root, "", "", findings);

    std::vector<StageRef> flat;
    flatten_stages(stages, "pipeline.stages", flat);
    review.stage_count = flat.size();

    std::map<std::string, std::string> stage_ids;                 // identifier -> path
    std::map<std::string, std::vector<std::string>> step_stages;  // step identifier -> stages using it
    bool approval_pending = false;
    for (std::size_t i = 0; i < flat.size(); ++i) {
        const YAML::Node& stage = flat[i].stage;
        const std::string& path = flat[i].path;
        const std::string label = stage_label(stage);
        if (on_stage) on_stage(label, i, flat.size());

        const std::string identifier = scalar(stage, "identifier");
        if (identifier.empty()) {
            findings.push_back({"error", label, path + ".identifier", "stage has no identifier"});
        } else if (auto [it, fresh] = stage_ids.emplace(identifier, path + ".identifier"); !fresh) {
            findings.push_back({"error", label, path + ".identifier",
                                "duplicate stage identifier \"" + identifier + "\" (first used at " + it->second + ")"});
        }

        const std::string type = scalar(stage, "type");
        if (type == "Approval") {
            approval_pending = true;
            continue;
        }
        if (type != "Deployment") continue;

        const YAML::Node spec = stage["spec"];
        check_deployment_targets(spec, label, path, findings);
        const YAML::Node execution = spec && spec.IsMap() ? spec["execution"] : YAML::Node();
        const bool has_execution = execution && execution.IsMap();
        const YAML::Node steps = has_execution ? execution["steps"] : YAML::Node();
        const YAML::Node rollback = has_execution ? execution["rollbackSteps"] : YAML::Node();
        if (!rollback || !rollback.IsSequence() || rollback.size() == 0)
            findings.push_back({"warning", label, path + ".spec.execution.rollbackSteps",
                                "Deployment stage has no rollbackSteps: a failed deployment cannot roll back"});

        std::vector<StepRef> flat_steps;
        flatten_steps(steps, path + ".spec.execution.steps", flat_steps);
        bool approved_in_stage = false;
        for (const auto& step : flat_steps) {
            if (is_approval_type(step.type)) {
                approved_in_stage = true;
                break;
            }
            if (is_deploy_type(step.type)) break;
        }
        const std::string environment =
            spec && spec.IsMap() && spec["environment"] ? scalar(spec["environment"], "environmentRef") : "";
        const bool production = is_production_name(scalar(stage, "name")) || is_production_name(identifier) ||
                                is_production_name(environment);
        if (production && !approved_in_stage && !approval_pending)
            findings.push_back({"error", label, path + ".spec.execution.steps",
                                "stage deploys to production without an approval before it: add a HarnessApproval "
                                "step first in the stage or an Approval stage before it"});
        approval_pending = false;

        flatten_steps(rollback, path + ".spec.execution.rollbackSteps", flat_steps);
        std::map<std::string, std::string> step_ids;
        for (const auto& step : flat_steps) {
            if (step.identifier.empty()) {
                findings.push_back({"error", label, step.path, std::string(step.group ? "step group" : "step") +
                                                                  " has no identifier"});
                continue;
            }
            if (auto [it, fresh] = step_ids.emplace(step.identifier, step.path); !fresh) {
                findings.push_back({"error", label, step.path,
                                    "duplicate step identifier \"" + step.identifier + "\" in the stage (first used at " +
                                        it->second + ")"});
                continue;
            }
            auto& users = step_stages[step.identifier];
            if (!users.empty())
                findings.push_back({"info", label, step.path,
                                    "step identifier \"" + step.identifier + "\" is also used in stage " + users.front() +
                                        "; Harness allows it, but expressions read more clearly with distinct ids"});
            users.push_back(label);
        }
    }
    return review;
}

}  // namespace harness_expert
