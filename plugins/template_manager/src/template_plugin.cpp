// The template manager: SDK glue around the library (the tenant's store, or thread memory) and
// validate/render/lint/diff.
#include <agenthost/agent.hpp>

#include <regex>
#include <string>

#include "devkit/context_fields.hpp"
#include "devkit/utc_time.hpp"
#include "library.hpp"
#include "templates.hpp"

namespace {

using Document = rapidjson::Document;
using JsonValue = rapidjson::Value;
using templates::InputError;

constexpr std::size_t kMaxContent = 512 * 1024;  // two versions fit the host's 1 MiB memory entry with room

const std::regex template_name("^[a-z0-9][a-z0-9._-]{0,99}$");
const std::regex version_label("^[0-9A-Za-z][0-9A-Za-z._+-]{0,63}$");
const std::regex variable_name("^[A-Za-z_][A-Za-z0-9_]*$");

std::string field_text(const JsonValue& context, const char* name, const std::regex* rule = nullptr,
                       const char* rule_text = "") {
    std::string path = std::string("context.") + name;
    auto value = devkit::string_field(context, name, path);
    if (!value) return "";
    if (rule != nullptr && !std::regex_match(*value, *rule))
        throw InputError(path + " '" + value->substr(0, 100) + "' is not " + rule_text);
    return *value;
}

std::string required(const std::string& value, const std::string& field, const std::string& mode) {
    if (value.empty()) throw InputError("context." + field + " is required in " + mode + " mode");
    return value;
}

JsonValue text(const std::string& value, Document& owner) { return agenthost::json::string(value, owner); }

JsonValue findings_json(const std::vector<templates::Finding>& findings, Document& owner) {
    auto& allocator = owner.GetAllocator();
    JsonValue list(rapidjson::kArrayType);
    for (const auto& finding : findings) {
        JsonValue item(rapidjson::kObjectType);
        item.AddMember("severity", text(finding.severity, owner), allocator);
        item.AddMember("rule", text(finding.rule, owner), allocator);
        item.AddMember("line", finding.line, allocator);
        item.AddMember("message", text(finding.message, owner), allocator);
        list.PushBack(item, allocator);
    }
    return list;
}

JsonValue artifact(const std::string& path, const std::string& content, const std::string& media_type, Document& owner) {
    auto& allocator = owner.GetAllocator();
    JsonValue item(rapidjson::kObjectType);
    item.AddMember("path", text(path, owner), allocator);
    item.AddMember("content", text(content, owner), allocator);
    item.AddMember("media_type", text(media_type, owner), allocator);
    return item;
}

Document result_for(const std::string& mode, const std::string& summary) {
    Document result(rapidjson::kObjectType);
    result.AddMember("mode", text(mode, result), result.GetAllocator());
    result.AddMember("summary", text(summary, result), result.GetAllocator());
    return result;
}

class TemplateManager final : public agenthost::Agent {
  public:
    explicit TemplateManager(agenthost::Host& host) : agenthost::Agent(host) {}

    Document invoke(agenthost::Run& run) override {
        run.throw_if_cancelled();
        try {
            const JsonValue& context = run.context();
            std::string mode = field_text(context, "mode");
            if (mode.empty()) mode = context.HasMember("content") ? "validate" : "list";
            if (mode == "create") return create(run, context);
            if (mode == "list") return list(run);
            if (mode == "get") return get(run, context);
            if (mode == "diff") return diff(run, context);
            if (mode == "validate") return validate(run, context);
            if (mode == "render") return render(run, context);
            if (mode == "lint" || mode == "review") return lint(run, context);
            throw InputError("context.mode must be create, list, get, diff, validate, render or lint, not '" +
                             mode.substr(0, 40) + "'");
        } catch (const InputError& error) {
            throw agenthost::InvalidInput(error.what());
        } catch (const devkit::FieldError& error) {
            throw agenthost::InvalidInput(error.what());
        }
    }

  private:
    static std::string kind_of(const JsonValue& context) {
        std::string kind = field_text(context, "kind");
        if (!kind.empty() && !templates::is_kind(kind)) {
            std::string kinds;
            for (const auto& known : templates::kKinds) kinds += (kinds.empty() ? "" : ", ") + known;
            throw InputError("context.kind must be one of " + kinds + ", not '" + kind.substr(0, 40) + "'");
        }
        return kind;
    }
    static std::string content_of(const JsonValue& context) {
        std::string content = field_text(context, "content");
        if (content.size() > kMaxContent)
            throw InputError("context.content is " + std::to_string(content.size()) + " bytes; a template may hold at most " +
                             std::to_string(kMaxContent));
        return content;
    }
    static std::vector<templates::Variable> inputs_of(const JsonValue& context) {
        std::vector<templates::Variable> inputs;
        const JsonValue* list = devkit::field(context, "inputs");
        if (list == nullptr) return inputs;
        if (!list->IsArray()) throw InputError("context.inputs must be an array of {name, description, default}");
        for (rapidjson::SizeType i = 0; i < list->Size(); ++i) {
            std::string path = "context.inputs[" + std::to_string(i) + "]";
            const JsonValue& item = (*list)[i];
            auto name = devkit::string_field(item, "name", path + ".name");
            if (!name || !std::regex_match(*name, variable_name))
                throw InputError(path + ".name is required: a letter or '_' then letters, digits or '_'");
            templates::Variable variable{*name, devkit::string_field(item, "description", path + ".description").value_or(""),
                                         devkit::string_field(item, "default", path + ".default")};
            inputs.push_back(std::move(variable));
        }
        return inputs;
    }
    // The template a mode works on: context.content (with context.kind) or
    // the stored context.name at context.version.
    static templates::StoredVersion subject(const agenthost::Run& run, const JsonValue& context, const std::string& mode) {
        std::string content = content_of(context);
        if (!content.empty()) {
            templates::StoredVersion given;
            given.kind = kind_of(context);
            if (given.kind.empty())
                throw InputError("context.kind is required with context.content: harness_step, harness_stage, "
                                 "harness_pipeline, kubernetes, dockerfile or terraform");
            given.content = content;
            given.variables = inputs_of(context);
            given.name = field_text(context, "name", &template_name, "a template name");
            return given;
        }
        std::string name = required(field_text(context, "name", &template_name, "a template name"), "name (or context.content)", mode);
        return templates::Library(run).get(name, field_text(context, "version", &version_label, "a version label"));
    }

    Document create(agenthost::Run& run, const JsonValue& context) {
        templates::StoredVersion version;
        version.name = required(field_text(context, "name", &template_name,
                                           "a template name (lower-case letters, digits, '.', '_' and '-')"),
                                "name", "create");
        version.kind = required(kind_of(context), "kind", "create");
        version.version = required(field_text(context, "version", &version_label, "a version label (e.g. 1.0.0)"), "version", "create");
        version.content = required(content_of(context), "content", "create");
        version.description = field_text(context, "description");
        version.variables = inputs_of(context);
        version.created_at = devkit::utc_now_iso8601();
        version.run_id = std::string(run.run_id());
        // A broken template is never saved.
        auto problems = templates::validate(version.kind, version.content);
        if (!problems.empty())
            throw InputError("context.content is not a valid " + version.kind + " template: " + problems.front().describe() +
                             (problems.size() > 1 ? " (and " + std::to_string(problems.size() - 1) + " more problem(s))" : ""));
        run.progress("validated " + version.name + " " + version.version + " as " + version.kind, 0.5);
        templates::Library(run).save(version);
        auto findings = templates::lint(version.kind, version.content, version.variables);
        Document result = result_for("create", "saved " + version.kind + " template " + version.name + " version " +
                                                   version.version + " (" + std::to_string(findings.size()) + " lint finding(s))");
        auto& allocator = result.GetAllocator();
        JsonValue saved(rapidjson::kObjectType);
        saved.AddMember("name", text(version.name, result), allocator);
        saved.AddMember("kind", text(version.kind, result), allocator);
        saved.AddMember("version", text(version.version, result), allocator);
        saved.AddMember("created_at", text(version.created_at, result), allocator);
        result.AddMember("template", saved, allocator);
        result.AddMember("findings", findings_json(findings, result), allocator);
        return result;
    }

    Document list(agenthost::Run& run) {
        auto entries = templates::Library(run).list();
        Document result = result_for("list", std::to_string(entries.size()) + " template(s) in " + templates::Library(run).where());
        auto& allocator = result.GetAllocator();
        JsonValue listed(rapidjson::kArrayType);
        for (const auto& entry : entries) {
            JsonValue item(rapidjson::kObjectType);
            item.AddMember("name", text(entry.name, result), allocator);
            item.AddMember("kind", text(entry.kind, result), allocator);
            item.AddMember("description", text(entry.description, result), allocator);
            JsonValue versions(rapidjson::kArrayType);
            for (const auto& [version, created] : entry.versions) {
                JsonValue v(rapidjson::kObjectType);
                v.AddMember("version", text(version, result), allocator);
                v.AddMember("created_at", text(created, result), allocator);
                versions.PushBack(v, allocator);
            }
            item.AddMember("versions", versions, allocator);
            item.AddMember("latest", text(entry.versions.empty() ? "" : entry.versions.back().first, result), allocator);
            listed.PushBack(item, allocator);
        }
        result.AddMember("templates", listed, allocator);
        return result;
    }

    Document get(agenthost::Run& run, const JsonValue& context) {
        std::string name = required(field_text(context, "name", &template_name, "a template name"), "name", "get");
        auto stored = templates::Library(run).get(name, field_text(context, "version", &version_label, "a version label"));
        Document result = result_for("get", stored.kind + " template " + stored.name + " version " + stored.version);
        auto& allocator = result.GetAllocator();
        JsonValue tmpl(rapidjson::kObjectType);
        tmpl.AddMember("name", text(stored.name, result), allocator);
        tmpl.AddMember("kind", text(stored.kind, result), allocator);
        tmpl.AddMember("version", text(stored.version, result), allocator);
        tmpl.AddMember("description", text(stored.description, result), allocator);
        tmpl.AddMember("content", text(stored.content, result), allocator);
        JsonValue inputs(rapidjson::kArrayType);
        for (const auto& variable : stored.variables) {
            JsonValue item(rapidjson::kObjectType);
            item.AddMember("name", text(variable.name, result), allocator);
            item.AddMember("description", text(variable.description, result), allocator);
            if (variable.default_value) item.AddMember("default", text(*variable.default_value, result), allocator);
            inputs.PushBack(item, allocator);
        }
        tmpl.AddMember("inputs", inputs, allocator);
        tmpl.AddMember("created_at", text(stored.created_at, result), allocator);
        tmpl.AddMember("run_id", text(stored.run_id, result), allocator);
        result.AddMember("template", tmpl, allocator);
        JsonValue artifacts(rapidjson::kArrayType);
        artifacts.PushBack(artifact(templates::artifact_path(stored.kind, stored.name, stored.version), stored.content,
                                    templates::media_type_of(stored.kind), result),
                           allocator);
        result.AddMember("artifacts", artifacts, allocator);
        return result;
    }

    Document diff(agenthost::Run& run, const JsonValue& context) {
        std::string name = required(field_text(context, "name", &template_name, "a template name"), "name", "diff");
        templates::Library library(run);
        auto entry = library.find(name);
        if (!entry) throw InputError("context.name: no template named '" + name + "' in " + library.where());
        std::string from = field_text(context, "from", &version_label, "a version label");
        std::string to = field_text(context, "to", &version_label, "a version label");
        if (from.empty() && to.empty()) {
            if (entry->versions.size() < 2)
                throw InputError("context.from and context.to: template '" + name + "' has one version, nothing to compare");
            from = entry->versions[entry->versions.size() - 2].first;
            to = entry->versions.back().first;
        }
        auto before = library.get(name, required(from, "from", "diff"), "context.from");
        auto after = library.get(name, required(to, "to", "diff"), "context.to");
        std::string patch = templates::unified_diff(before.content, after.content, "a/" + name + "@" + from,
                                                    "b/" + name + "@" + to);
        std::size_t added = 0, removed = 0;
        for (const auto& line : templates::lines_of(patch)) {
            if (line.rfind("+++", 0) == 0 || line.rfind("---", 0) == 0) continue;
            if (!line.empty() && line[0] == '+') ++added;
            if (!line.empty() && line[0] == '-') ++removed;
        }
        Document result = result_for("diff", name + " " + from + " -> " + to + ": " + std::to_string(added) + " line(s) added, " +
                                                 std::to_string(removed) + " removed");
        auto& allocator = result.GetAllocator();
        result.AddMember("from", text(from, result), allocator);
        result.AddMember("to", text(to, result), allocator);
        result.AddMember("identical", patch.empty(), allocator);
        result.AddMember("added", static_cast<uint64_t>(added), allocator);
        result.AddMember("removed", static_cast<uint64_t>(removed), allocator);
        result.AddMember("diff", text(patch, result), allocator);
        JsonValue artifacts(rapidjson::kArrayType);
        if (!patch.empty())
            artifacts.PushBack(artifact("templates/" + name + "-" + from + "-to-" + to + ".diff", patch, "text/x-diff", result),
                               allocator);
        result.AddMember("artifacts", artifacts, allocator);
        return result;
    }

    Document validate(agenthost::Run& run, const JsonValue& context) {
        auto target = subject(run, context, "validate");
        auto problems = templates::validate(target.kind, target.content);
        Document result = result_for("validate", problems.empty() ? "valid " + target.kind + " template"
                                                                  : std::to_string(problems.size()) + " problem(s); first: " +
                                                                        problems.front().describe());
        auto& allocator = result.GetAllocator();
        result.AddMember("valid", problems.empty(), allocator);
        JsonValue errors(rapidjson::kArrayType);
        for (const auto& problem : problems) {
            JsonValue item(rapidjson::kObjectType);
            item.AddMember("line", problem.line, allocator);
            item.AddMember("column", problem.column, allocator);
            item.AddMember("message", text(problem.message, result), allocator);
            errors.PushBack(item, allocator);
        }
        result.AddMember("errors", errors, allocator);
        return result;
    }

    Document render(agenthost::Run& run, const JsonValue& context) {
        auto target = subject(run, context, "render");
        std::vector<std::pair<std::string, templates::Value>> values;
        if (const JsonValue* given = devkit::field(context, "variables")) {
            if (!given->IsObject()) throw InputError("context.variables must be an object of name to value");
            for (const auto& member : given->GetObject()) {
                std::string name = member.name.GetString();
                const JsonValue& value = member.value;
                if (value.IsString())
                    values.push_back({name, {value.GetString(), true}});
                else if (value.IsNumber() || value.IsBool())
                    values.push_back({name, {agenthost::json::serialize(value), false}});
                else
                    throw InputError("context.variables." + name + " must be a string, number or boolean");
            }
        }
        templates::RenderOptions options;
        options.resolve_runtime_inputs =
            devkit::bool_field(context, "resolve_runtime_inputs", "context.resolve_runtime_inputs").value_or(false);
        std::string rendered = templates::render(target.content, target.variables, values, options);
        // What comes out must still be a valid template of its kind.
        auto problems = templates::validate(target.kind, rendered);
        if (!problems.empty())
            throw InputError("context.variables: the rendered template is not a valid " + target.kind + ": " +
                             problems.front().describe());
        auto remaining = templates::runtime_inputs(rendered);
        std::string name = target.name.empty() ? "template" : target.name;
        std::string version = target.version.empty() ? "rendered" : target.version;
        Document result = result_for("render", "rendered " + target.kind + " " + name +
                                                   (target.version.empty() ? "" : " version " + target.version) +
                                                   (remaining.empty() ? "" : "; " + std::to_string(remaining.size()) +
                                                                                 " runtime input(s) left for Harness to ask"));
        auto& allocator = result.GetAllocator();
        result.AddMember("content", text(rendered, result), allocator);
        JsonValue left(rapidjson::kArrayType);
        for (const auto& input : remaining) left.PushBack(text(input.name, result), allocator);
        result.AddMember("runtime_inputs", left, allocator);
        result.AddMember("findings", findings_json(templates::lint(target.kind, rendered, {}), result), allocator);
        JsonValue artifacts(rapidjson::kArrayType);
        artifacts.PushBack(artifact(templates::artifact_path(target.kind, name, version), rendered,
                                    templates::media_type_of(target.kind), result),
                           allocator);
        result.AddMember("artifacts", artifacts, allocator);
        return result;
    }

    Document lint(agenthost::Run& run, const JsonValue& context) {
        auto target = subject(run, context, "lint");
        auto findings = templates::lint(target.kind, target.content, target.variables);
        std::size_t errors = 0;
        for (const auto& finding : findings) errors += finding.severity == "error" ? 1 : 0;
        Document result = result_for("lint", std::to_string(findings.size()) + " finding(s), " + std::to_string(errors) +
                                                 " error(s) in the " + target.kind + " template");
        result.AddMember("findings", findings_json(findings, result), result.GetAllocator());
        return result;
    }
};

}  // namespace

AGENTHOST_AGENT(TemplateManager, "template_manager", "0.1.0")
