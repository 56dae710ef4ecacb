// What the agent is asked to do: the request's context and task turned into
// settings, every default that was applied recorded for the summary.
#ifndef HARNESS_EXPERT_SETTINGS_HPP
#define HARNESS_EXPERT_SETTINGS_HPP

#include <rapidjson/document.h>

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace harness_expert {

// The caller's input does not suit the agent (the plugin maps it to 422).
struct InputError : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

enum class Strategy { rolling, canary, blue_green };
enum class Target { harness, github_actions };
enum class Mode { generate, review };

std::string_view to_string(Strategy strategy);
std::string_view to_string(Target target);

// The agent's config (manifest config_schema).
struct Config {
    std::string default_org = "default";
    std::string default_project = "default_project";
};
// Reads the config object; missing members keep their defaults. Throws
// std::invalid_argument for members of the wrong type.
Config config_from_json(const rapidjson::Value& config);

struct Settings {
    Mode mode = Mode::generate;
    std::string service;
    std::vector<std::string> environments;
    Strategy strategy = Strategy::rolling;
    std::string image;  // empty: not given
    std::string org;
    std::string project;
    bool prod_approval = true;
    Target target = Target::harness;
    std::string pipeline_text;  // review mode
    // Human-readable notes, e.g. "strategy: rolling (default)".
    std::vector<std::string> defaults_applied;
    std::vector<std::string> inferred_from_task;
};

// Builds the settings from the context object and the free-text task; throws
// InputError for values of the wrong type or out of range.
Settings settings_from_request(std::string_view task, const rapidjson::Value& context, const Config& config);

// True for environments named prod or production (as a word: "prod-eu" is,
// "preprod" is not), case-insensitively.
bool is_production_name(std::string_view name);

}  // namespace harness_expert

#endif
