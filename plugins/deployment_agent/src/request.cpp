// What a deployment request asks for: the context's members, checked and
// defaulted, with what the free-text task says filling the gaps.
#include <algorithm>
#include <regex>
#include <set>

#include "deployment.hpp"
#include "devkit/context_fields.hpp"
#include "devkit/task_names.hpp"

namespace deploy {
namespace {

using Value = rapidjson::Value;

// Everything that ends up in a command line is checked against one of
// these; none may start with '-', so no value can turn into an option.
const std::regex dns_label("^[a-z]([-a-z0-9]*[a-z0-9])?$");
const std::regex environment_name("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
const std::regex kube_context("^[A-Za-z0-9_][A-Za-z0-9._@:/-]*$");
const std::regex image_reference("^[a-z0-9][a-z0-9._/-]*(:[0-9]+)?(/[a-z0-9._-]+)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$");
const std::regex chart_reference("^[A-Za-z0-9][A-Za-z0-9._/:@-]*$");
const std::regex binary_name("^[A-Za-z0-9._+-]+$");

std::string required_match(const std::optional<std::string>& value, const std::regex& rule, const std::string& path,
                           const std::string& rule_text) {
    if (!value) return "";
    if (value->empty() || value->size() > 253 || !std::regex_match(*value, rule))
        throw InputError(path + " '" + value->substr(0, 100) + "' is not " + rule_text);
    return *value;
}

// ---- The task text -------------------------------------------------------

struct FromTask {
    std::string service, image, strategy;
    std::vector<std::string> environments;
};

FromTask read_task(std::string_view task_view) {
    const std::string task(task_view);
    FromTask found;
    const auto icase = std::regex::icase;
    // The phrasings every DevOps agent reads, then, for a deployment agent,
    // the word right after the verb: "deploy checkout to prod".
    if (auto named = devkit::service_name_from_task(task); named && std::regex_match(*named, dns_label) &&
                                                           named->size() <= 56)
        found.service = *named;
    static const std::regex verb("\\b(?:deploy|release|ship|promote|roll\\s+out)\\s+([a-z][a-z0-9-]*)", icase);
    for (auto it = std::sregex_iterator(task.begin(), task.end(), verb); found.service.empty() && it != std::sregex_iterator();
         ++it) {
        std::string word = (*it)[1].str();
        if (!devkit::is_name_filler(word) && std::regex_match(word, dns_label) && word.size() <= 56) found.service = word;
    }
    std::smatch match;
    static const std::regex image(
        "(?:^|\\s)[\"'`]?([a-z0-9][a-z0-9._-]*(?:/[a-z0-9._-]+)*:[A-Za-z0-9_][A-Za-z0-9_.-]*[A-Za-z0-9_])");
    if (std::regex_search(task, match, image)) found.image = match[1].str();
    if (found.service.empty() && !found.image.empty()) {
        std::string name = found.image.substr(0, found.image.find(':'));
        name = name.substr(name.rfind('/') + 1);
        if (std::regex_match(name, dns_label) && name.size() <= 56) found.service = name;
    }
    if (std::regex_search(task, std::regex("\\bcanary\\b", icase))) found.strategy = "canary";
    if (std::regex_search(task, std::regex("\\bblue[- _]?green\\b", icase))) found.strategy = "blue-green";
    static const std::regex environment(
        "\\b(dev|development|test|qa|staging|stage|uat|preprod|pre-prod|prod|production|prd|live)\\b", icase);
    for (auto it = std::sregex_iterator(task.begin(), task.end(), environment); it != std::sregex_iterator(); ++it) {
        std::string name = (*it)[1].str();
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
        if (std::find(found.environments.begin(), found.environments.end(), name) == found.environments.end())
            found.environments.push_back(name);
    }
    return found;
}

// ---- Environments ----------------------------------------------------------

bool is_production(const std::string& name, const Config& config) {
    return std::find(config.production_environments.begin(), config.production_environments.end(), name) !=
           config.production_environments.end();
}

Environment environment_from(const Value& item, const std::string& path, const std::string& default_namespace,
                             const Config& config) {
    Environment environment;
    environment.namespace_ = default_namespace;
    if (item.IsString()) {
        environment.name = required_match(std::string(item.GetString(), item.GetStringLength()), environment_name,
                                          path, "an environment name (lower-case letters, digits and '-')");
    } else if (item.IsObject()) {
        auto name = devkit::string_field(item, "name", path + ".name");
        if (!name) throw InputError(path + ".name is required");
        environment.name = required_match(name, environment_name, path + ".name",
                                          "an environment name (lower-case letters, digits and '-')");
        if (auto ns = devkit::string_field(item, "namespace", path + ".namespace"))
            environment.namespace_ = required_match(ns, dns_label, path + ".namespace", "a namespace name");
        environment.kube_context = required_match(devkit::string_field(item, "kube_context", path + ".kube_context"),
                                                  kube_context, path + ".kube_context", "a kubeconfig context name");
        if (auto production = devkit::bool_field(item, "production", path + ".production"))
            environment.production = *production;
        else
            environment.production = is_production(environment.name, config);
    } else {
        throw InputError(path + " must be an environment name or an object with a name");
    }
    if (item.IsString()) environment.production = is_production(environment.name, config);
    environment.approval = environment.production;
    return environment;
}

// Harness's identifiers go into URL paths and queries as they are.
const std::regex harness_identifier("^[A-Za-z0-9_-]{1,128}$");
const std::regex base_url("^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~/-]*)?$");

HarnessConfig harness_config_from(const Value& json) {
    if (!json.IsObject()) throw InputError("config.harness must be an object");
    HarnessConfig harness;
    if (auto url = devkit::string_field(json, "base_url", "config.harness.base_url")) {
        if (!std::regex_match(*url, base_url))
            throw InputError("config.harness.base_url must be an http(s) URL without query, like https://app.harness.io");
        harness.base_url = *url;
        while (!harness.base_url.empty() && harness.base_url.back() == '/') harness.base_url.pop_back();
    }
    for (auto [name, into] : {std::pair<const char*, std::string*>{"account_id", &harness.account_id},
                              {"org_id", &harness.org_id},
                              {"project_id", &harness.project_id},
                              {"pipeline_id", &harness.pipeline_id}}) {
        const std::string path = std::string("config.harness.") + name;
        auto value = devkit::string_field(json, name, path);
        if (!value) throw InputError(path + " is required");
        if (!std::regex_match(*value, harness_identifier))
            throw InputError(path + " must be a Harness identifier (letters, digits, '_' and '-')");
        *into = *value;
    }
    auto key = devkit::string_field(json, "api_key", "config.harness.api_key");
    if (!key || key->empty()) throw InputError("config.harness.api_key is required (a Harness API key or token)");
    if (key->find_first_of("\r\n") != std::string::npos) throw InputError("config.harness.api_key must be one line");
    harness.api_key = *key;
    harness.runtime_inputs = devkit::string_field(json, "runtime_inputs", "config.harness.runtime_inputs").value_or("");
    harness.poll_interval_ms = devkit::int_field(json, "poll_interval_ms", "config.harness.poll_interval_ms", 50, 600000)
                                   .value_or(harness.poll_interval_ms);
    return harness;
}

}  // namespace

Request request_from(const Value& context, std::string_view task, const Config& config) {
    if (!context.IsObject()) throw InputError("context must be an object");
    Request request;
    try {
        const FromTask from_task = read_task(task);
        if (auto mode = devkit::string_field(context, "mode", "context.mode")) {
            if (*mode != "plan" && *mode != "deploy" && *mode != "history")
                throw InputError("context.mode must be plan, deploy or history, not '" + mode->substr(0, 40) + "'");
            request.mode = *mode;
        }
        request.service = required_match(devkit::string_field(context, "service", "context.service"), dns_label,
                                         "context.service", "a DNS-1123 label starting with a letter");
        if (request.mode == "history") return request;
        if (request.service.empty()) request.service = from_task.service;
        if (request.service.empty())
            throw InputError("context.service is required: the Deployment (or Helm release) to roll out");
        if (request.service.size() > 56)
            throw InputError("context.service '" + request.service +
                             "' is too long: at most 56 characters, so <service>-canary and -green stay DNS labels");
        auto image = devkit::string_field(context, "image", "context.image");
        if (!image) image = devkit::string_field(context, "artifact", "context.artifact");
        if (!image && !from_task.image.empty()) image = from_task.image;
        if (!image) throw InputError("context.image is required: the image (with a tag or digest) to deploy");
        request.image = required_match(image, image_reference, "context.image", "an image reference");
        std::string last = request.image.substr(request.image.rfind('/') + 1);
        if (last.find(':') == std::string::npos && last.find('@') == std::string::npos)
            throw InputError("context.image '" + request.image + "' needs a tag or digest: an untagged image cannot be rolled back to");
        if (request.image.size() > 7 && request.image.compare(request.image.size() - 7, 7, ":latest") == 0)
            request.warnings.push_back("image tag 'latest' is not a version: pin a tag or digest so a rollback restores a known image");

        auto strategy = devkit::string_field(context, "strategy", "context.strategy");
        if (!strategy && !from_task.strategy.empty()) strategy = from_task.strategy;
        if (strategy) {
            std::string value = *strategy == "blue_green" ? "blue-green" : *strategy;
            if (value != "rolling" && value != "canary" && value != "blue-green")
                throw InputError("context.strategy must be rolling, canary or blue-green, not '" + strategy->substr(0, 40) + "'");
            request.strategy = value;
        }
        request.tool = devkit::string_field(context, "tool", "context.tool").value_or(config.tool);
        if (request.tool != "kubectl" && request.tool != "helm" && request.tool != "harness")
            throw InputError("context.tool must be kubectl, helm or harness, not '" + request.tool.substr(0, 40) + "'");
        if (request.tool == "harness" && !config.has_harness)
            throw InputError("context.tool harness needs the operator's Harness settings: agents.deployment_agent.config.harness "
                             "{\"account_id\", \"org_id\", \"project_id\", \"pipeline_id\", \"api_key\"}");
        request.container = required_match(devkit::string_field(context, "container", "context.container"), dns_label,
                                           "context.container", "a container name");
        if (request.container.empty()) request.container = request.service;
        if (request.tool == "helm") {
            if (request.strategy != "rolling")
                throw InputError("context.strategy " + request.strategy +
                                 " needs tool kubectl: with helm the chart decides how pods are replaced");
            request.chart = required_match(devkit::string_field(context, "chart", "context.chart"), chart_reference,
                                           "context.chart", "a chart reference");
            if (request.chart.empty()) throw InputError("context.chart is required with tool helm (e.g. oci://registry/charts/api)");
            request.release = required_match(devkit::string_field(context, "release", "context.release"), dns_label,
                                             "context.release", "a release name");
            if (request.release.empty()) request.release = request.service;
            if (request.image.find('@') != std::string::npos)
                throw InputError("context.image: helm deployments set image.repository and image.tag; give a tag, not a digest");
        }
        std::string default_namespace =
            required_match(devkit::string_field(context, "namespace", "context.namespace"), dns_label,
                           "context.namespace", "a namespace name");
        if (default_namespace.empty()) default_namespace = "default";

        const Value* environments = devkit::field(context, "environments");
        if (environments != nullptr) {
            if (!environments->IsArray() || environments->Empty())
                throw InputError("context.environments must be a non-empty array, in deployment order");
            for (rapidjson::SizeType i = 0; i < environments->Size(); ++i)
                request.environments.push_back(environment_from((*environments)[i],
                                                                "context.environments[" + std::to_string(i) + "]",
                                                                default_namespace, config));
        } else {
            std::vector<std::string> names = from_task.environments;
            // Seed 001's request names one: {"environment": "staging"}.
            if (auto one = devkit::string_field(context, "environment", "context.environment"))
                names = {*one};
            if (names.empty()) names = {"dev", "staging", "prod"};
            for (const auto& name : names)
                request.environments.push_back(
                    environment_from(Value(rapidjson::StringRef(name.c_str())), "context.environments", default_namespace, config));
        }
        if (request.environments.size() > 20) throw InputError("context.environments may name at most 20 environments");
        std::set<std::string> seen;
        for (const auto& environment : request.environments)
            if (!seen.insert(environment.name).second)
                throw InputError("context.environments names '" + environment.name + "' twice");

        // Gates: an approval asked for outside production too.
        if (const Value* gates = devkit::field(context, "gates")) {
            if (!gates->IsArray()) throw InputError("context.gates must be an array");
            for (rapidjson::SizeType i = 0; i < gates->Size(); ++i) {
                std::string path = "context.gates[" + std::to_string(i) + "]";
                const Value& gate = (*gates)[i];
                auto environment = devkit::string_field(gate, "environment", path + ".environment");
                auto type = devkit::string_field(gate, "type", path + ".type");
                if (!environment) throw InputError(path + ".environment is required");
                if (type.value_or("approval") != "approval") throw InputError(path + ".type must be approval");
                auto target = std::find_if(request.environments.begin(), request.environments.end(),
                                           [&](const Environment& e) { return e.name == *environment; });
                if (target == request.environments.end())
                    throw InputError(path + ".environment '" + environment->substr(0, 63) + "' is not in context.environments");
                target->approval = true;
            }
        }
        request.rollout_timeout_seconds =
            devkit::int_field(context, "rollout_timeout_seconds", "context.rollout_timeout_seconds", 10, 3600)
                .value_or(config.rollout_timeout_seconds);
        request.dry_run = devkit::bool_field(context, "dry_run", "context.dry_run").value_or(false);
    } catch (const devkit::FieldError& error) {
        throw InputError(error.what());
    }
    return request;
}

Config config_from_json(const Value& json) {
    Config config;
    try {
        if (auto tool = devkit::string_field(json, "tool", "config.tool")) config.tool = *tool;
        for (auto [name, into] : {std::pair<const char*, std::string*>{"kubectl", &config.kubectl}, {"helm", &config.helm}})
            if (auto value = devkit::string_field(json, name, std::string("config.") + name)) {
                if (!std::regex_match(*value, binary_name)) throw InputError(std::string("config.") + name + " must be a binary's name");
                *into = *value;
            }
        config.kubectl_args = devkit::string_list_field(json, "kubectl_args", "config.kubectl_args");
        config.helm_args = devkit::string_list_field(json, "helm_args", "config.helm_args");
        config.rollout_timeout_seconds =
            devkit::int_field(json, "rollout_timeout_seconds", "config.rollout_timeout_seconds", 10, 3600)
                .value_or(config.rollout_timeout_seconds);
        if (devkit::field(json, "production_environments") != nullptr)
            config.production_environments =
                devkit::string_list_field(json, "production_environments", "config.production_environments");
        config.max_records = devkit::int_field(json, "max_records", "config.max_records", 1, 1000).value_or(config.max_records);
        if (const Value* harness = devkit::field(json, "harness")) {
            config.harness = harness_config_from(*harness);
            config.has_harness = true;
        }
        if (config.tool != "kubectl" && config.tool != "helm" && config.tool != "harness")
            throw InputError("config.tool must be kubectl, helm or harness");
        if (config.tool == "harness" && !config.has_harness) throw InputError("config.tool harness needs config.harness");
    } catch (const devkit::FieldError& error) {
        throw InputError(error.what());
    }
    return config;
}

}  // namespace deploy
