// Each kind's schema: the shape a template of that kind must have, checked
// before a template is saved and after it is rendered. Problems carry the
// line (and column) where they are.
#include <yaml-cpp/yaml.h>

#include <map>
#include <regex>
#include <set>

#include "devkit/yaml_safety.hpp"
#include "templates.hpp"

namespace templates {
namespace {

// Harness's identifier rule, as harness_expert applies it.
const std::regex harness_identifier("^[a-zA-Z_][0-9a-zA-Z_$]{0,127}$");
const std::regex dns_subdomain("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
bool templated(const std::string& value) { return is_templated(value); }
std::string neutralised(std::string_view text) { return without_placeholders(text); }

struct YamlChecker {
    std::vector<Problem>& problems;

    void add(const YAML::Node& at, const std::string& message) {
        YAML::Mark mark = at.Mark();
        problems.push_back({mark.line + 1, mark.column + 1, message});
    }
    // The member `key` of `map` when it is a non-empty scalar; reports otherwise.
    std::optional<std::string> scalar(const YAML::Node& map, const char* key, const std::string& path) {
        YAML::Node value = map[key];
        if (!value || value.IsNull()) {
            add(map, path + "." + key + " is required");
            return std::nullopt;
        }
        if (!value.IsScalar() || value.Scalar().empty()) {
            add(value, path + "." + key + " must be a non-empty value");
            return std::nullopt;
        }
        return value.Scalar();
    }
    YAML::Node map_member(const YAML::Node& map, const char* key, const std::string& path) {
        YAML::Node value = map[key];
        if (!value || !value.IsMap()) {
            add(value ? value : map, path + "." + key + (value ? " must be a mapping" : " is required"));
            return YAML::Node();
        }
        return value;
    }
    YAML::Node sequence_member(const YAML::Node& map, const char* key, const std::string& path) {
        YAML::Node value = map[key];
        if (!value || !value.IsSequence() || value.size() == 0) {
            add(value ? value : map, path + "." + key + (value ? " must be a non-empty list" : " is required"));
            return YAML::Node();
        }
        return value;
    }

    // Every identifier anywhere (identifier, orgIdentifier, ...).
    void identifiers(const YAML::Node& node, const std::string& path) {
        if (node.IsMap()) {
            for (const auto& entry : node) {
                std::string key = entry.first.Scalar();
                std::string at = path + "." + key;
                bool is_identifier = key == "identifier" || (key.size() > 10 && key.compare(key.size() - 10, 10, "Identifier") == 0);
                if (is_identifier && entry.second.IsScalar()) {
                    const std::string& value = entry.second.Scalar();
                    if (!templated(value) && !std::regex_match(value, harness_identifier))
                        add(entry.second, at + " '" + value +
                                              "' breaks Harness's identifier rule ^[a-zA-Z_][0-9a-zA-Z_$]{0,127}$");
                } else {
                    identifiers(entry.second, at);
                }
            }
        } else if (node.IsSequence()) {
            for (std::size_t i = 0; i < node.size(); ++i) identifiers(node[i], path + "[" + std::to_string(i) + "]");
        }
    }

    void stages(const YAML::Node& list, const std::string& path) {
        std::set<std::string> seen;
        for (std::size_t i = 0; i < list.size(); ++i) {
            std::string at = path + "[" + std::to_string(i) + "]";
            YAML::Node item = list[i];
            if (!item.IsMap() || (!item["stage"] && !item["parallel"])) {
                add(item, at + " must hold a stage (or parallel stages)");
                continue;
            }
            if (!item["stage"]) continue;
            YAML::Node stage = map_member(item, "stage", at);
            if (!stage) continue;
            auto identifier = scalar(stage, "identifier", at + ".stage");
            scalar(stage, "name", at + ".stage");
            scalar(stage, "type", at + ".stage");
            if (identifier && !templated(*identifier) && !seen.insert(*identifier).second)
                add(stage["identifier"], at + ".stage.identifier '" + *identifier + "' is used by an earlier stage");
        }
    }

    void harness(const YAML::Node& root, const std::string& kind) {
        if (kind == "harness_pipeline" && root["pipeline"]) {
            YAML::Node pipeline = map_member(root, "pipeline", "");
            if (!pipeline) return;
            scalar(pipeline, "name", "pipeline");
            scalar(pipeline, "identifier", "pipeline");
            if (YAML::Node list = sequence_member(pipeline, "stages", "pipeline")) stages(list, "pipeline.stages");
            identifiers(root, "");
            return;
        }
        YAML::Node tmpl = root["template"];
        if (!tmpl || !tmpl.IsMap()) {
            add(tmpl ? tmpl : root, kind == "harness_pipeline"
                                        ? "a Harness pipeline template needs a 'template' (or 'pipeline') mapping at the top"
                                        : "a Harness template needs a 'template' mapping at the top");
            return;
        }
        scalar(tmpl, "name", "template");
        scalar(tmpl, "identifier", "template");
        scalar(tmpl, "versionLabel", "template");
        const std::map<std::string, std::string> types = {
            {"harness_step", "Step"}, {"harness_stage", "Stage"}, {"harness_pipeline", "Pipeline"}};
        auto type = scalar(tmpl, "type", "template");
        if (type && *type != types.at(kind))
            add(tmpl["type"], "template.type must be " + types.at(kind) + " for a " + kind + " template, not " + *type);
        YAML::Node spec = map_member(tmpl, "spec", "template");
        if (spec) {
            if (kind == "harness_pipeline") {
                if (YAML::Node list = sequence_member(spec, "stages", "template.spec")) stages(list, "template.spec.stages");
            } else {
                scalar(spec, "type", "template.spec");
                map_member(spec, "spec", "template.spec");
            }
        }
        identifiers(root, "");
    }

    void kubernetes(const YAML::Node& document, std::size_t index) {
        std::string path = "document " + std::to_string(index + 1);
        if (!document.IsMap()) {
            add(document, path + " must be a mapping (a Kubernetes object)");
            return;
        }
        scalar(document, "apiVersion", path);
        auto kind = scalar(document, "kind", path);
        YAML::Node metadata = map_member(document, "metadata", path);
        if (metadata) {
            auto name = scalar(metadata, "name", path + ".metadata");
            if (name && !templated(*name) && (name->size() > 253 || !std::regex_match(*name, dns_subdomain)))
                add(metadata["name"], path + ".metadata.name '" + *name + "' is not a DNS-1123 name");
        }
        static const std::set<std::string> workloads = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"};
        if (!kind || workloads.count(*kind) == 0) return;
        YAML::Node spec = map_member(document, "spec", path);
        if (!spec) return;
        if (*kind != "Job") map_member(spec, "selector", path + ".spec");
        YAML::Node pod_template = map_member(spec, "template", path + ".spec");
        if (!pod_template) return;
        YAML::Node pod = map_member(pod_template, "spec", path + ".spec.template");
        if (!pod) return;
        YAML::Node containers = sequence_member(pod, "containers", path + ".spec.template.spec");
        for (std::size_t i = 0; containers && i < containers.size(); ++i) {
            std::string at = path + ".spec.template.spec.containers[" + std::to_string(i) + "]";
            if (!containers[i].IsMap()) {
                add(containers[i], at + " must be a mapping");
                continue;
            }
            scalar(containers[i], "name", at);
            scalar(containers[i], "image", at);
        }
    }
};

void validate_yaml(const std::string& kind, std::string_view original, std::vector<Problem>& problems) {
    const std::string text = neutralised(original);
    if (auto hazard = devkit::yaml_hazard(text)) {
        problems.push_back({static_cast<int>(hazard.line), static_cast<int>(hazard.column), "not valid YAML: " + hazard.message});
        return;
    }
    std::vector<YAML::Node> documents;
    try {
        documents = YAML::LoadAll(text);
    } catch (const YAML::Exception& error) {
        problems.push_back({error.mark.line + 1, error.mark.column + 1, "not valid YAML: " + error.msg});
        return;
    }
    YamlChecker check{problems};
    std::size_t seen = 0;
    for (const auto& document : documents) {
        if (!document || document.IsNull()) continue;
        if (kind == "kubernetes")
            check.kubernetes(document, seen);
        else if (seen == 0)
            document.IsMap() ? check.harness(document, kind) : check.add(document, "a Harness template must be a mapping");
        else
            check.add(document, "a Harness template is one YAML document");
        ++seen;
    }
    if (seen == 0) problems.push_back({1, 0, "the template is empty"});
}

// ---- Dockerfile ------------------------------------------------------------

void validate_dockerfile(std::string_view original, std::vector<Problem>& problems) {
    static const std::set<std::string> instructions = {
        "FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT",
        "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL"};
    static const std::regex heredoc("<<-?[\"']?([A-Za-z_][A-Za-z0-9_]*)[\"']?");
    const std::string text = neutralised(original);
    const std::vector<std::string> lines = lines_of(text);
    bool seen_from = false, continued = false;
    std::string heredoc_end;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        std::string line = lines[i];
        if (!line.empty() && line.back() == '\r') line.pop_back();
        const int number = static_cast<int>(i + 1);
        if (!heredoc_end.empty()) {
            if (line.find_first_not_of('\t') != std::string::npos && line.substr(line.find_first_not_of('\t')) == heredoc_end)
                heredoc_end.clear();
            continue;
        }
        std::size_t first = line.find_first_not_of(" \t");
        bool was_continued = continued;
        continued = !line.empty() && line.back() == '\\';
        if (first == std::string::npos || line[first] == '#' || was_continued) continue;
        std::size_t word_end = line.find_first_of(" \t", first);
        std::string word = line.substr(first, word_end == std::string::npos ? std::string::npos : word_end - first);
        std::string upper = word;
        for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (instructions.count(upper) == 0) {
            problems.push_back({number, static_cast<int>(first + 1), "unknown instruction '" + word.substr(0, 40) + "'"});
            continue;
        }
        std::string arguments = word_end == std::string::npos ? "" : line.substr(word_end);
        if (arguments.find_first_not_of(" \t\\") == std::string::npos && !continued)
            problems.push_back({number, static_cast<int>(first + 1), upper + " needs arguments"});
        if (!seen_from && upper != "FROM" && upper != "ARG")
            problems.push_back({number, static_cast<int>(first + 1), "the first instruction must be FROM (ARG may precede it), not " + upper});
        if (upper == "FROM") seen_from = true;
        std::smatch match;
        if ((upper == "RUN" || upper == "COPY" || upper == "ADD") && std::regex_search(arguments, match, heredoc))
            heredoc_end = match[1].str();
    }
    if (!seen_from) problems.push_back({1, 0, "a Dockerfile needs a FROM instruction"});
}

// ---- Terraform (HCL) -------------------------------------------------------

struct HclScanner {
    const std::string& text;
    std::vector<Problem>& problems;
    std::size_t at = 0;
    int line = 1;
    std::size_t line_start = 0;

    int column() const { return static_cast<int>(at - line_start + 1); }
    void advance() {
        if (text[at] == '\n') {
            ++line;
            line_start = at + 1;
        }
        ++at;
    }
    bool done() const { return at >= text.size(); }
    // Skips blanks and comments; returns false on an unterminated comment.
    bool skip_blank() {
        while (!done()) {
            char c = text[at];
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                advance();
            } else if (c == '#' || (c == '/' && at + 1 < text.size() && text[at + 1] == '/')) {
                while (!done() && text[at] != '\n') advance();
            } else if (c == '/' && at + 1 < text.size() && text[at + 1] == '*') {
                int start_line = line, start_column = column();
                std::size_t end = text.find("*/", at + 2);
                if (end == std::string::npos) {
                    problems.push_back({start_line, start_column, "unterminated /* comment"});
                    at = text.size();
                    return false;
                }
                while (at < end + 2) advance();
            } else {
                return true;
            }
        }
        return true;
    }
    // A quoted string starting at `at`; false when unterminated.
    bool string() {
        int start_line = line, start_column = column();
        advance();
        int depth = 0;  // inside ${ }
        while (!done()) {
            char c = text[at];
            if (c == '\\') {
                advance();
                if (!done()) advance();
                continue;
            }
            if (c == '\n' && depth == 0) break;
            if (c == '$' && at + 1 < text.size() && text[at + 1] == '{') {
                ++depth;
                advance();
            } else if (c == '}' && depth > 0) {
                --depth;
            } else if (c == '"' && depth == 0) {
                advance();
                return true;
            }
            advance();
        }
        problems.push_back({start_line, start_column, "unterminated string"});
        return false;
    }
    // The body of a block or an expression up to the matching closer.
    bool balanced(char closer) {
        int start_line = line, start_column = column();
        advance();
        std::string expected(1, closer);
        while (true) {
            if (!skip_blank()) return false;
            if (done()) {
                problems.push_back({start_line, start_column, "'" + expected + "' expected: this opening is never closed"});
                return false;
            }
            char c = text[at];
            if (c == '"') {
                if (!string()) return false;
            } else if (c == '<' && text.compare(at, 2, "<<") == 0) {
                if (!heredoc()) return false;
            } else if (c == '{' || c == '[' || c == '(') {
                if (!balanced(c == '{' ? '}' : c == '[' ? ']' : ')')) return false;
            } else if (c == '}' || c == ']' || c == ')') {
                if (c != closer) {
                    problems.push_back({line, column(), "'" + std::string(1, c) + "' closes nothing here ('" + expected +
                                                            "' expected for line " + std::to_string(start_line) + ")"});
                    return false;
                }
                advance();
                return true;
            } else {
                advance();
            }
        }
    }
    bool heredoc() {
        static const std::regex opener("^<<-?([A-Za-z_][A-Za-z0-9_]*)");
        std::smatch match;
        std::string rest = text.substr(at, 80);
        if (!std::regex_search(rest, match, opener)) {
            advance();
            return true;
        }
        int start_line = line;
        std::string marker = match[1].str();
        while (!done() && text[at] != '\n') advance();
        while (!done()) {
            advance();
            std::size_t end = text.find('\n', at);
            std::string current = text.substr(at, end == std::string::npos ? std::string::npos : end - at);
            std::size_t first = current.find_first_not_of(" \t");
            if (first != std::string::npos && current.substr(first) == marker) {
                while (!done() && text[at] != '\n') advance();
                return true;
            }
            while (!done() && text[at] != '\n') advance();
        }
        problems.push_back({start_line, 0, "heredoc <<" + marker + " is never closed"});
        return false;
    }

    void top_level() {
        static const std::map<std::string, int> blocks = {
            {"terraform", 0}, {"locals", 0}, {"moved", 0}, {"import", 0}, {"removed", 0}, {"check", 1},
            {"provider", 1}, {"variable", 1}, {"output", 1}, {"module", 1}, {"resource", 2}, {"data", 2}};
        static const std::regex identifier("^[A-Za-z_][A-Za-z0-9_-]*");
        while (skip_blank() && !done()) {
            int block_line = line, block_column = column();
            std::smatch match;
            std::string rest = text.substr(at, 128);
            if (!std::regex_search(rest, match, identifier)) {
                problems.push_back({line, column(), "a block type (resource, variable, module, ...) expected"});
                return;
            }
            std::string type = match[0].str();
            for (std::size_t i = 0; i < type.size(); ++i) advance();
            auto known = blocks.find(type);
            if (known == blocks.end()) {
                problems.push_back({block_line, block_column, "unknown top-level block type '" + type + "'"});
                return;
            }
            int labels = 0;
            while (skip_blank() && !done() && text[at] != '{') {
                if (text[at] == '"') {
                    if (!string()) return;
                    ++labels;
                } else if (text[at] == '=') {
                    problems.push_back({line, column(), "'" + type + "' is a block type: an argument cannot be set at the top level"});
                    return;
                } else {
                    std::string word = text.substr(at, 128);
                    if (!std::regex_search(word, match, identifier)) {
                        problems.push_back({line, column(), "'{' expected after the " + type + " block's labels"});
                        return;
                    }
                    for (std::size_t i = 0; i < match[0].str().size(); ++i) advance();
                    ++labels;
                }
            }
            if (done()) {
                problems.push_back({block_line, block_column, "the " + type + " block has no body"});
                return;
            }
            if (labels != known->second)
                problems.push_back({block_line, block_column, "a " + type + " block takes " + std::to_string(known->second) +
                                                                 " label(s), not " + std::to_string(labels)});
            if (!balanced('}')) return;
        }
    }
};

void validate_terraform(std::string_view original, std::vector<Problem>& problems) {
    const std::string text = neutralised(original);
    HclScanner scanner{text, problems};
    scanner.top_level();
    if (problems.empty() && text.find_first_not_of(" \t\r\n") == std::string::npos)
        problems.push_back({1, 0, "the module is empty"});
}

}  // namespace

std::string Problem::describe() const {
    return "line " + std::to_string(line) + (column > 0 ? ", column " + std::to_string(column) : "") + ": " + message;
}

std::vector<Problem> validate(const std::string& kind, std::string_view text) {
    std::vector<Problem> problems;
    if (kind == "dockerfile")
        validate_dockerfile(text, problems);
    else if (kind == "terraform")
        validate_terraform(text, problems);
    else
        validate_yaml(kind, text, problems);
    return problems;
}

}  // namespace templates
