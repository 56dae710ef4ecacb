// Shared helpers for the harness_expert tests.
#ifndef HARNESS_EXPERT_TESTS_HELPERS_HPP
#define HARNESS_EXPERT_TESTS_HELPERS_HPP

#include <rapidjson/document.h>
#include <yaml-cpp/yaml.h>

#include <regex>
#include <string>
#include <vector>

#include "generate.hpp"
#include "settings.hpp"

namespace helpers {

inline const std::regex& harness_rule() {
    static const std::regex rule("^[a-zA-Z_][0-9a-zA-Z_$]{0,127}$");
    return rule;
}

inline harness_expert::Settings settings(const std::string& task, const std::string& context_json = "{}") {
    rapidjson::Document context;
    context.Parse(context_json.c_str());
    if (context.HasParseError()) throw std::invalid_argument("bad test JSON: " + context_json);
    return harness_expert::settings_from_request(task, context, harness_expert::Config{});
}

inline harness_expert::Generated generate(const std::string& task, const std::string& context_json = "{}") {
    return harness_expert::generate(settings(task, context_json));
}

// Every value under a key "identifier" (anywhere), in document order.
inline void collect_identifiers(const YAML::Node& node, std::vector<std::string>& out) {
    if (node.IsMap()) {
        for (const auto& entry : node) {
            if (entry.first.as<std::string>() == "identifier" && entry.second.IsScalar())
                out.push_back(entry.second.as<std::string>());
            else
                collect_identifiers(entry.second, out);
        }
    } else if (node.IsSequence()) {
        for (const auto& item : node) collect_identifiers(item, out);
    }
}

inline std::vector<std::string> step_types(const YAML::Node& steps) {
    std::vector<std::string> types;
    for (const auto& item : steps) types.push_back(item["step"]["type"].as<std::string>());
    return types;
}

}  // namespace helpers

#endif
