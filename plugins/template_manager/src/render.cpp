// Rendering: {{ var }} placeholders and Harness <+input> runtime inputs
// filled with the caller's values, every missing one named in one error.
#include <algorithm>
#include <map>
#include <regex>
#include <set>

#include "templates.hpp"

namespace templates {

const std::vector<std::string> kKinds = {"harness_step", "harness_stage", "harness_pipeline",
                                         "kubernetes",   "dockerfile",    "terraform"};

bool is_kind(const std::string& kind) { return std::find(kKinds.begin(), kKinds.end(), kind) != kKinds.end(); }
bool is_yaml_kind(const std::string& kind) { return kind != "dockerfile" && kind != "terraform"; }

std::string media_type_of(const std::string& kind) {
    if (kind == "dockerfile") return "text/x-dockerfile";
    if (kind == "terraform") return "text/x-terraform";
    return "application/yaml";
}

std::string artifact_path(const std::string& kind, const std::string& name, const std::string& version) {
    const std::string base = "templates/" + name + "-" + version;
    if (kind == "dockerfile") return base + "/Dockerfile";
    if (kind == "terraform") return base + "/main.tf";
    return base + ".yaml";
}

namespace {

const std::regex placeholder_pattern("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\}\\}");
// "key: <+input>" with optional .default(...)/.allowedValues(...)/... calls,
// the value possibly quoted.
const std::regex runtime_input_line(
    "^(\\s*(?:-\\s+)?)([A-Za-z_][A-Za-z0-9_]*)(\\s*:\\s*)([\"']?)<\\+input>((?:\\.[A-Za-z]+\\([^)\\n]*\\))*)\\4\\s*$");
const std::regex call_pattern("\\.([A-Za-z]+)\\(([^)]*)\\)");

std::string trim(const std::string& text) {
    std::size_t first = text.find_first_not_of(" \t\"'");
    std::size_t last = text.find_last_not_of(" \t\"'");
    return first == std::string::npos ? "" : text.substr(first, last - first + 1);
}

// A value as a YAML scalar: plain when YAML reads it back as the same
// string, else double-quoted (a JSON string is a valid YAML one).
std::string yaml_scalar(const Value& value) {
    static const std::regex plain("^[A-Za-z0-9_./@+][A-Za-z0-9_./:@+-]*$");
    static const std::regex special("^(true|false|yes|no|on|off|null|y|n|~)$", std::regex::icase);
    static const std::regex number("^([-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?|0x[0-9a-fA-F]+|0o[0-7]+|\\.(inf|nan))$",
                                   std::regex::icase);
    if (!value.is_string) return value.text;
    if (std::regex_match(value.text, plain) && !std::regex_match(value.text, special) &&
        !std::regex_match(value.text, number) && value.text.back() != ':')
        return value.text;
    std::string quoted = "\"";
    for (char c : value.text) {
        if (c == '"' || c == '\\') quoted += '\\';
        quoted += c;
    }
    return quoted + "\"";
}

}  // namespace

std::vector<std::string> lines_of(std::string_view text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) {
            lines.emplace_back(text.substr(start));
            break;
        }
        lines.emplace_back(text.substr(start, end - start));
        start = end + 1;
    }
    return lines;
}

std::string without_placeholders(std::string_view text) {
    return std::regex_replace(std::string(text), placeholder_pattern, "TMPLVAR_$1");
}

bool is_templated(const std::string& value) {
    return value.find("TMPLVAR_") != std::string::npos || value.find("<+") != std::string::npos;
}

std::vector<Placeholder> placeholders(std::string_view text) {
    std::vector<Placeholder> found;
    std::set<std::string> seen;
    auto lines = lines_of(text);
    for (std::size_t i = 0; i < lines.size(); ++i)
        for (auto it = std::sregex_iterator(lines[i].begin(), lines[i].end(), placeholder_pattern);
             it != std::sregex_iterator(); ++it)
            if (seen.insert((*it)[1].str()).second) found.push_back({(*it)[1].str(), static_cast<int>(i + 1)});
    return found;
}

std::vector<RuntimeInput> runtime_inputs(std::string_view text) {
    std::vector<RuntimeInput> found;
    auto lines = lines_of(text);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        std::smatch match;
        if (!std::regex_match(lines[i], match, runtime_input_line)) continue;
        RuntimeInput input;
        input.name = match[2].str();
        // A Harness variable's runtime input is named by the variable:
        // "- name: image" just above "value: <+input>".
        static const std::regex variable_name_line("^\\s*(?:-\\s+)?name\\s*:\\s*[\"']?([A-Za-z_][A-Za-z0-9_]*)[\"']?\\s*$");
        for (std::size_t back = 1; input.name == "value" && back <= 4 && back <= i; ++back) {
            std::smatch named;
            if (std::regex_match(lines[i - back], named, variable_name_line)) input.name = named[1].str();
        }
        input.line = static_cast<int>(i + 1);
        const std::string calls = match[5].str();
        for (auto it = std::sregex_iterator(calls.begin(), calls.end(), call_pattern); it != std::sregex_iterator(); ++it) {
            std::string method = (*it)[1].str(), argument = (*it)[2].str();
            if (method == "default") input.default_value = trim(argument);
            if (method == "allowedValues") {
                std::size_t start = 0;
                while (start <= argument.size()) {
                    std::size_t comma = argument.find(',', start);
                    input.allowed_values.push_back(trim(argument.substr(start, comma - start)));
                    if (comma == std::string::npos) break;
                    start = comma + 1;
                }
            }
        }
        found.push_back(std::move(input));
    }
    return found;
}

std::string render(std::string_view text, const std::vector<Variable>& declared,
                   const std::vector<std::pair<std::string, Value>>& values, const RenderOptions& options) {
    std::map<std::string, Value> given;
    for (const auto& [name, value] : values) {
        if (value.text.find_first_of("\r\n") != std::string::npos)
            throw InputError("context.variables." + name + " holds a line break: a value fills one line of the template");
        given[name] = value;
    }
    for (const auto& variable : declared)
        if (variable.default_value && given.count(variable.name) == 0) given[variable.name] = {*variable.default_value, true};

    std::vector<std::string> missing;
    std::string out;
    auto lines = lines_of(text);
    const std::vector<RuntimeInput> all_inputs = runtime_inputs(text);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        std::string line = lines[i];
        const std::string at = " (line " + std::to_string(i + 1) + ")";
        std::smatch match;
        if (std::regex_match(line, match, runtime_input_line)) {
            const RuntimeInput& input = *std::find_if(all_inputs.begin(), all_inputs.end(),
                                                      [&](const RuntimeInput& found) { return found.line == static_cast<int>(i + 1); });
            auto value = given.find(input.name);
            std::optional<Value> chosen;
            if (value != given.end())
                chosen = value->second;
            else if (options.resolve_runtime_inputs && input.default_value)
                chosen = Value{*input.default_value, true};
            else if (options.resolve_runtime_inputs)
                missing.push_back(input.name + at);
            if (chosen) {
                if (!input.allowed_values.empty() &&
                    std::find(input.allowed_values.begin(), input.allowed_values.end(), chosen->text) == input.allowed_values.end()) {
                    std::string allowed;
                    for (const auto& item : input.allowed_values) allowed += (allowed.empty() ? "" : ", ") + item;
                    throw InputError("context.variables." + input.name + " '" + chosen->text.substr(0, 100) +
                                     "' is not one of the runtime input's allowed values: " + allowed + at);
                }
                line = match[1].str() + match[2].str() + match[3].str() + yaml_scalar(*chosen);
            }
        }
        std::string filled;
        std::size_t last = 0;
        for (auto it = std::sregex_iterator(line.begin(), line.end(), placeholder_pattern); it != std::sregex_iterator(); ++it) {
            filled += line.substr(last, it->position() - last);
            std::string name = (*it)[1].str();
            auto value = given.find(name);
            if (value == given.end()) {
                if (std::find_if(missing.begin(), missing.end(), [&](const std::string& m) { return m.rfind(name + " (", 0) == 0; }) ==
                    missing.end())
                    missing.push_back(name + at);
                filled += it->str();
            } else {
                filled += value->second.text;
            }
            last = it->position() + it->length();
        }
        filled += line.substr(last);
        out += filled;
        if (i + 1 < lines.size()) out += '\n';
    }
    if (!missing.empty()) {
        std::string names;
        for (const auto& name : missing) names += (names.empty() ? "" : ", ") + name;
        throw InputError("missing variable(s) in context.variables: " + names);
    }
    return out;
}

}  // namespace templates
