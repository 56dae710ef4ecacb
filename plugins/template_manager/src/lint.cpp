// Lint: what makes a valid template a bad one. Hard-coded secrets (by the
// key they are set under, and by the shape of well-known credentials),
// images on the moving `latest` tag (or none), inputs declared and never
// used, placeholders nobody declared.
#include <yaml-cpp/yaml.h>

#include <functional>
#include <regex>
#include <set>

#include "devkit/yaml_safety.hpp"
#include "templates.hpp"

namespace templates {
namespace {

std::string masked(const std::string& value) {
    return value.size() <= 4 ? std::string("****") : value.substr(0, 2) + std::string(6, '*');
}

// A value that refers to a secret instead of holding it.
bool is_reference(const std::string& value) {
    static const std::regex reference(
        "^(<\\+|\\$\\{|\\$\\(|\\{\\{|var\\.|data\\.|local\\.|module\\.|secretKeyRef|valueFrom|null$|~$|true$|false$|\\[\\]$|\\{\\}$|[|>]-?$)");
    return value.empty() || std::regex_search(value, reference);
}

void secrets(const std::vector<std::string>& lines, std::vector<Finding>& findings) {
    // key: value, key = "value", ENV KEY=value, "key": "value"; and the
    // Dockerfile's older ENV KEY value.
    static const std::regex assignment(
        "([A-Za-z0-9_.-]*(?:password|passwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|"
        "credentials?)[A-Za-z0-9_.-]*)[\"']?\\s*(?::|=)\\s*[\"']?([^\"'\\s#,]*)",
        std::regex::icase);
    static const std::regex env_pair("^\\s*(?:ENV|ARG)\\s+([A-Za-z_][A-Za-z0-9_]*)\\s+[\"']?([^\"'\\s=]+)",
                                     std::regex::icase);
    static const std::regex secret_key("(password|passwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credentials?)",
                                       std::regex::icase);
    // Keys that name a secret rather than hold one.
    static const std::regex naming_key("(name|ref|file|path|url|uri|id|identifier|type|length|arn|version|mount|"
                                       "manager|store|policy|ttl|expiry|header|scope|key_?ref)$",
                                       std::regex::icase);
    static const std::vector<std::pair<std::regex, std::string>> shapes = {
        {std::regex("AKIA[0-9A-Z]{16}"), "an AWS access key id"},
        {std::regex("-----BEGIN [A-Z ]*PRIVATE KEY-----"), "a private key"},
        {std::regex("gh[pousr]_[A-Za-z0-9]{36,}"), "a GitHub token"},
        {std::regex("xox[baprs]-[A-Za-z0-9-]{10,}"), "a Slack token"},
        {std::regex("pat\\.[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9]{10,}\\.[A-Za-z0-9]{10,}"), "a Harness API token"},
        {std::regex("[Bb]earer\\s+[A-Za-z0-9._~+/-]{20,}"), "a bearer token"}};
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string& line = lines[i];
        const int number = static_cast<int>(i + 1);
        std::size_t comment = line.find_first_not_of(" \t");
        if (comment != std::string::npos && (line[comment] == '#' || line.compare(comment, 2, "//") == 0)) continue;
        bool flagged = false;
        for (const auto& [shape, what] : shapes) {
            std::smatch match;
            if (std::regex_search(line, match, shape)) {
                findings.push_back({"error", "hard-coded-secret", number,
                                    "hard-coded secret: " + what + " (" + masked(match[0].str()) +
                                        "); read it from a secret store (<+secrets.getValue(\"...\")>, secretKeyRef, a sensitive variable)"});
                flagged = true;
                break;
            }
        }
        if (flagged) continue;
        std::smatch match;
        if (std::regex_search(line, match, env_pair) && std::regex_search(match[1].str(), secret_key) &&
            !is_reference(match[2].str())) {
            findings.push_back({"error", "hard-coded-secret", number,
                                "hard-coded secret: '" + match[1].str() + "' is set to a literal (" + masked(match[2].str()) +
                                    "); pass it at build time as a secret (RUN --mount=type=secret) instead"});
            continue;
        }
        std::string rest = line;
        while (std::regex_search(rest, match, assignment)) {
            std::string key = match[1].str(), value = match[2].str();
            if (!std::regex_search(key, naming_key) && !is_reference(value) && value.size() >= 3) {
                findings.push_back({"error", "hard-coded-secret", number,
                                    "hard-coded secret: '" + key + "' is set to a literal (" + masked(value) +
                                        "); read it from a secret store (<+secrets.getValue(\"...\")>, secretKeyRef, a sensitive variable)"});
                break;
            }
            rest = match.suffix().str();
        }
    }
}

void image_tags(const std::string& kind, const std::vector<std::string>& lines, std::vector<Finding>& findings) {
    static const std::regex yaml_image("^\\s*-?\\s*(?:image|imagePath)\\s*[:=]\\s*[\"']?([^\"'\\s#]+)");
    static const std::regex tag_latest("^\\s*-?\\s*tag\\s*[:=]\\s*[\"']?latest[\"']?\\s*$");
    static const std::regex from("^\\s*FROM\\s+(?:--platform=\\S+\\s+)?(\\S+)(?:\\s+AS\\s+(\\S+))?", std::regex::icase);
    std::set<std::string> stages = {"scratch"};
    auto check = [&](const std::string& image, int number) {
        if (image.find("<+") != std::string::npos || image.find("{{") != std::string::npos ||
            image.find("${") != std::string::npos || image.find('$') != std::string::npos || stages.count(image) != 0)
            return;
        std::string last = image.substr(image.rfind('/') + 1);
        if (last.find('@') != std::string::npos) return;
        std::size_t colon = last.find(':');
        if (colon == std::string::npos)
            findings.push_back({"warning", "latest-tag", number,
                                "image '" + image + "' has no tag, so it means latest: pin a version or digest"});
        else if (last.substr(colon + 1) == "latest")
            findings.push_back({"warning", "latest-tag", number,
                                "image '" + image + "' uses the moving 'latest' tag: pin a version or digest"});
    };
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const int number = static_cast<int>(i + 1);
        std::smatch match;
        if (kind == "dockerfile") {
            if (std::regex_search(lines[i], match, from)) {
                check(match[1].str(), number);
                if (match[2].matched) stages.insert(match[2].str());
            }
            continue;
        }
        if (std::regex_search(lines[i], match, yaml_image)) check(match[1].str(), number);
        if (std::regex_match(lines[i], tag_latest))
            findings.push_back({"warning", "latest-tag", number, "artifact tag 'latest' is not a version: pin one"});
    }
}

// Harness variables declared (variables: - name: x) and never read as
// <+...variables.x>.
void harness_variables(std::string_view text, std::vector<Finding>& findings) {
    const std::string parsed = without_placeholders(text);
    if (devkit::yaml_hazard(parsed)) return;
    YAML::Node root;
    try {
        root = YAML::Load(parsed);
    } catch (const YAML::Exception&) {
        return;  // validation reports it
    }
    std::vector<std::pair<std::string, int>> declared;
    std::function<void(const YAML::Node&)> walk = [&](const YAML::Node& node) {
        if (node.IsMap()) {
            for (const auto& entry : node) {
                if (entry.first.Scalar() == "variables" && entry.second.IsSequence()) {
                    for (const auto& variable : entry.second)
                        if (variable.IsMap() && variable["name"] && variable["name"].IsScalar())
                            declared.emplace_back(variable["name"].Scalar(), variable["name"].Mark().line + 1);
                } else {
                    walk(entry.second);
                }
            }
        } else if (node.IsSequence()) {
            for (const auto& item : node) walk(item);
        }
    };
    walk(root);
    for (const auto& [name, line] : declared) {
        const std::string reference = "variables." + name;
        std::size_t at = 0;
        bool used = false;
        while ((at = text.find(reference, at)) != std::string_view::npos) {
            at += reference.size();
            if (at >= text.size() || !(std::isalnum(static_cast<unsigned char>(text[at])) || text[at] == '_')) {
                used = true;
                break;
            }
        }
        if (!used)
            findings.push_back({"warning", "unused-input", line,
                                "Harness variable '" + name + "' is declared but never read (<+pipeline.variables." + name + ">)"});
    }
}

}  // namespace

std::vector<Finding> lint(const std::string& kind, std::string_view text, const std::vector<Variable>& declared) {
    std::vector<Finding> findings;
    for (const auto& problem : validate(kind, text))
        findings.push_back({"error", "invalid", problem.line, problem.describe()});
    const auto lines = lines_of(text);
    secrets(lines, findings);
    image_tags(kind, lines, findings);
    const auto used = placeholders(text);
    std::set<std::string> used_names;
    for (const auto& placeholder : used) used_names.insert(placeholder.name);
    std::set<std::string> declared_names;
    for (const auto& variable : declared) {
        declared_names.insert(variable.name);
        if (used_names.count(variable.name) == 0)
            findings.push_back({"warning", "unused-input", 0,
                                "input '" + variable.name + "' is declared but the template never uses {{ " + variable.name + " }}"});
    }
    for (const auto& placeholder : used)
        if (!declared.empty() && declared_names.count(placeholder.name) == 0)
            findings.push_back({"info", "undeclared-input", placeholder.line,
                                "{{ " + placeholder.name + " }} is not a declared input: every render must pass it"});
    if (kind.rfind("harness_", 0) == 0) harness_variables(text, findings);
    return findings;
}

}  // namespace templates
