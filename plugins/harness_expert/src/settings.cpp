#include "settings.hpp"

#include "devkit/task_names.hpp"

#include <algorithm>
#include <cctype>
#include <regex>
#include <set>

namespace harness_expert {
namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t\r\n");
    return std::string(text.substr(first, last - first + 1));
}

// Words of [a-z0-9] (lower-cased) in order.
std::vector<std::string> words(std::string_view text) {
    std::vector<std::string> out;
    std::string word;
    for (char c : text) {
        if (std::isalnum(static_cast<unsigned char>(c))) {
            word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        } else if (!word.empty()) {
            out.push_back(word);
            word.clear();
        }
    }
    if (!word.empty()) out.push_back(word);
    return out;
}

const rapidjson::Value* member(const rapidjson::Value& object, const char* name) {
    auto found = object.FindMember(name);
    return found == object.MemberEnd() || found->value.IsNull() ? nullptr : &found->value;
}

std::string string_member(const rapidjson::Value& context, const char* name, bool allow_empty = false) {
    const rapidjson::Value* value = member(context, name);
    if (value == nullptr) return {};
    if (!value->IsString()) throw InputError(std::string("context.") + name + " must be a string");
    std::string text = trim(std::string_view(value->GetString(), value->GetStringLength()));
    if (text.empty() && !allow_empty) throw InputError(std::string("context.") + name + " must not be empty");
    return text;
}

// The first of the strategy words in the task, if any.
bool strategy_from_task(std::string_view task, Strategy& strategy) {
    const std::string text = lower(task);
    std::size_t best = std::string::npos;
    auto consider = [&](const char* word, Strategy value) {
        const std::size_t at = text.find(word);
        if (at != std::string::npos && at < best) {
            best = at;
            strategy = value;
        }
    };
    consider("canary", Strategy::canary);
    consider("blue-green", Strategy::blue_green);
    consider("blue green", Strategy::blue_green);
    consider("blue_green", Strategy::blue_green);
    consider("bluegreen", Strategy::blue_green);
    consider("rolling", Strategy::rolling);
    return best != std::string::npos;
}

bool target_from_task(std::string_view task) {
    const std::string text = lower(task);
    return text.find("github actions") != std::string::npos || text.find("github-actions") != std::string::npos ||
           text.find("github_actions") != std::string::npos || text.find("github workflow") != std::string::npos;
}

// Environment words in the task, in order of first mention.
std::vector<std::string> environments_from_task(std::string_view task) {
    static const std::set<std::string> known = {"dev",  "development", "qa",   "staging",
                                                "uat",  "preprod",     "prod", "production"};
    std::vector<std::string> found;
    for (const auto& word : words(task))
        if (known.count(word) != 0 && std::find(found.begin(), found.end(), word) == found.end())
            found.push_back(word);
    return found;
}

// A container image reference in the task: has a '/' and a registry host
// (with a dot) or a tag.
std::string image_from_task(std::string_view task) {
    static const std::regex image(R"((?:^|\s)([a-z0-9][a-z0-9.-]*(?::[0-9]+)?(?:/[a-z0-9._-]+)+(?::[\w.-]+)?))");
    const std::string text(task);
    for (auto it = std::sregex_iterator(text.begin(), text.end(), image); it != std::sregex_iterator(); ++it) {
        std::string candidate = (*it)[1].str();
        while (!candidate.empty() && (candidate.back() == '.' || candidate.back() == ',')) candidate.pop_back();
        const std::string first = candidate.substr(0, candidate.find('/'));
        const bool has_tag = candidate.find(':', candidate.find('/')) != std::string::npos;
        if (first.find('.') != std::string::npos || has_tag) return candidate;
    }
    return {};
}

}  // namespace

std::string_view to_string(Strategy strategy) {
    switch (strategy) {
        case Strategy::canary: return "canary";
        case Strategy::blue_green: return "blue_green";
        case Strategy::rolling: break;
    }
    return "rolling";
}

std::string_view to_string(Target target) { return target == Target::github_actions ? "github_actions" : "harness"; }

Config config_from_json(const rapidjson::Value& config) {
    Config out;
    if (!config.IsObject()) return out;
    for (auto [name, field] : {std::pair{"default_org", &out.default_org},
                               std::pair{"default_project", &out.default_project}}) {
        const rapidjson::Value* value = member(config, name);
        if (value == nullptr) continue;
        if (!value->IsString() || value->GetStringLength() == 0)
            throw std::invalid_argument(std::string("config ") + name + " must be a non-empty string");
        *field = value->GetString();
    }
    return out;
}

bool is_production_name(std::string_view name) {
    for (const auto& word : words(name))
        if (word == "prod" || word == "production") return true;
    return false;
}

Settings settings_from_request(std::string_view task, const rapidjson::Value& context, const Config& config) {
    Settings settings;

    const std::string mode = string_member(context, "mode");
    if (mode == "review") {
        settings.mode = Mode::review;
        const rapidjson::Value* pipeline = member(context, "pipeline");
        if (pipeline == nullptr || !pipeline->IsString() || trim(pipeline->GetString()).empty())
            throw InputError("review mode needs the pipeline YAML text in context.pipeline");
        settings.pipeline_text.assign(pipeline->GetString(), pipeline->GetStringLength());
        return settings;
    }
    if (!mode.empty() && mode != "generate")
        throw InputError("context.mode must be \"generate\" or \"review\", not \"" + mode + "\"");

    if (trim(task).empty() && context.ObjectEmpty())
        throw InputError("nothing to do: give a task or a context (service, environments, strategy, ...)");

    settings.service = string_member(context, "service");
    if (settings.service.empty()) {
        settings.service = devkit::service_name_from_task(task).value_or("");
        if (settings.service.empty()) {
            settings.service = "app";
            settings.defaults_applied.push_back("service: app (default; none given)");
        } else {
            settings.inferred_from_task.push_back("service: " + settings.service);
        }
    }

    if (const rapidjson::Value* environments = member(context, "environments")) {
        if (!environments->IsArray() || environments->Empty())
            throw InputError("context.environments must be a non-empty array of environment names");
        for (const auto& environment : environments->GetArray()) {
            if (!environment.IsString() || trim(environment.GetString()).empty())
                throw InputError("context.environments must hold non-empty strings");
            settings.environments.push_back(trim(environment.GetString()));
        }
    } else if (const rapidjson::Value* environment = member(context, "environment")) {
        // Seed 001's request: {"service": "my-service", "environment": "staging"}.
        if (!environment->IsString() || trim(environment->GetString()).empty())
            throw InputError("context.environment must be a non-empty environment name");
        settings.environments = {trim(environment->GetString())};
    } else if (auto from_task = environments_from_task(task); !from_task.empty()) {
        settings.environments = from_task;
        std::string list;
        for (const auto& environment : from_task) list += (list.empty() ? "" : ", ") + environment;
        settings.inferred_from_task.push_back("environments: " + list);
    } else {
        settings.environments = {"dev", "staging", "prod"};
        settings.defaults_applied.push_back("environments: dev, staging, prod (default)");
    }

    const std::string strategy = lower(string_member(context, "strategy"));
    if (strategy == "rolling") {
        settings.strategy = Strategy::rolling;
    } else if (strategy == "canary") {
        settings.strategy = Strategy::canary;
    } else if (strategy == "blue_green" || strategy == "blue-green" || strategy == "bluegreen") {
        settings.strategy = Strategy::blue_green;
    } else if (!strategy.empty()) {
        throw InputError("context.strategy must be rolling, canary or blue_green, not \"" + strategy + "\"");
    } else if (strategy_from_task(task, settings.strategy)) {
        settings.inferred_from_task.push_back("strategy: " + std::string(to_string(settings.strategy)));
    } else {
        settings.defaults_applied.push_back("strategy: rolling (default)");
    }

    settings.image = string_member(context, "image");
    if (settings.image.empty()) settings.image = string_member(context, "artifact");
    if (settings.image.empty()) {
        settings.image = image_from_task(task);
        if (!settings.image.empty()) settings.inferred_from_task.push_back("image: " + settings.image);
    }

    settings.org = string_member(context, "org");
    if (settings.org.empty()) {
        settings.org = config.default_org;
        settings.defaults_applied.push_back("org: " + settings.org + " (config default_org)");
    }
    settings.project = string_member(context, "project");
    if (settings.project.empty()) {
        settings.project = config.default_project;
        settings.defaults_applied.push_back("project: " + settings.project + " (config default_project)");
    }

    if (const rapidjson::Value* approval = member(context, "prod_approval")) {
        if (!approval->IsBool()) throw InputError("context.prod_approval must be true or false");
        settings.prod_approval = approval->GetBool();
    } else {
        settings.defaults_applied.push_back("prod_approval: true (default)");
    }

    const std::string target = lower(string_member(context, "target"));
    if (target == "github_actions" || target == "github-actions") {
        settings.target = Target::github_actions;
    } else if (target == "harness") {
        settings.target = Target::harness;
    } else if (!target.empty()) {
        throw InputError("context.target must be harness or github_actions, not \"" + target + "\"");
    } else if (target_from_task(task)) {
        settings.target = Target::github_actions;
        settings.inferred_from_task.push_back("target: github_actions");
    } else {
        settings.defaults_applied.push_back("target: harness (default)");
    }
    return settings;
}

}  // namespace harness_expert
