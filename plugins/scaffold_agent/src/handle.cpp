// Which mode a request wants and what each returns.
#include <devkit/context_fields.hpp>
#include <devkit/text.hpp>

#include "project_files.hpp"
#include "scaffold_agent.hpp"

namespace scaffold {
namespace {

constexpr std::size_t max_review_files = 2000;

std::vector<ProjectFile> read_files(const rapidjson::Value& value) {
    std::vector<ProjectFile> files;
    if (value.IsArray()) {
        for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
            const std::string at = "context.files[" + std::to_string(i) + "]";
            const auto& item = value[i];
            if (!item.IsObject()) throw InputError(at + " must be {path, content}");
            auto path = devkit::string_field(item, "path", at + ".path");
            if (!path || path->empty()) throw InputError(at + ".path is required");
            files.push_back({*path, devkit::string_field(item, "content", at + ".content").value_or("")});
        }
    } else if (value.IsObject()) {
        for (const auto& member : value.GetObject()) {
            const std::string path(member.name.GetString(), member.name.GetStringLength());
            if (!member.value.IsString()) throw InputError("context.files." + path + " must be the file's text");
            files.push_back({path, std::string(member.value.GetString(), member.value.GetStringLength())});
        }
    } else {
        throw InputError("context.files must be a list of {path, content} or an object of path: text");
    }
    if (files.empty()) throw InputError("context.files is empty: give the project's files to review");
    if (files.size() > max_review_files)
        throw InputError("context.files has " + std::to_string(files.size()) + " files; at most " +
                         std::to_string(max_review_files) + " are reviewed at once");
    return files;
}

std::string features_text(const ProjectSpec& spec) {
    std::string out = "database " + database_name(spec.database);
    out += spec.docker ? ", Dockerfile" : ", no Dockerfile";
    out += spec.ci == Ci::none ? ", no CI" : ", " + ci_name(spec.ci) + " CI";
    out += spec.tests ? ", tests" : ", no tests";
    return out;
}

}  // namespace

Outcome handle(const rapidjson::Value& context, std::string_view task) {
    if (!context.IsObject()) throw InputError("context must be an object");
    std::string mode;
    if (auto given = devkit::string_field(context, "mode", "context.mode")) mode = *given;
    else mode = devkit::field(context, "files") != nullptr ? "review" : "generate";

    Outcome out;
    out.mode = mode;
    if (mode == "review") {
        const rapidjson::Value* files = devkit::field(context, "files");
        if (files == nullptr) throw InputError("review mode needs context.files: the project's files as {path, content}");
        const auto project = read_files(*files);
        out.files_reviewed = project.size();
        out.findings = review_project(project);
        std::size_t errors = 0;
        for (const auto& f : out.findings) errors += f.severity == "error";
        out.summary = "reviewed " + std::to_string(project.size()) + (project.size() == 1 ? " file: " : " files: ") +
                      (out.findings.empty() ? std::string("no problems found")
                                            : std::to_string(out.findings.size()) + " findings (" +
                                                  std::to_string(errors) + " errors)");
        return out;
    }
    if (mode != "generate") throw InputError("context.mode must be generate or review, not '" + mode + "'");
    if (task.find_first_not_of(" \t\r\n") == std::string_view::npos && context.ObjectEmpty())
        throw InputError("task is empty: say what to scaffold (\"a FastAPI project called inventory with postgres\")");
    out.spec = read_spec(context, task);
    out.artifacts = project_files(out.spec);
    out.summary = stack_name(out.spec.stack) + " project " + out.spec.name + ": " +
                  std::to_string(out.artifacts.size()) + " files, a /health endpoint and the /" +
                  template_values(out.spec).values.at("resource_plural") + " resource; " + features_text(out.spec);
    return out;
}

rapidjson::Document result_json(const Outcome& outcome) {
    rapidjson::Document result(rapidjson::kObjectType);
    auto& a = result.GetAllocator();
    auto text = [&a](const std::string& value) {
        return rapidjson::Value(value.c_str(), static_cast<rapidjson::SizeType>(value.size()), a);
    };
    result.AddMember("mode", text(outcome.mode), a);
    result.AddMember("summary", text(outcome.summary), a);
    if (outcome.mode == "review") {
        rapidjson::Value findings(rapidjson::kArrayType);
        for (const auto& f : outcome.findings) {
            rapidjson::Value entry(rapidjson::kObjectType);
            entry.AddMember("rule", text(f.rule), a);
            entry.AddMember("severity", text(f.severity), a);
            entry.AddMember("file", text(f.file), a);
            entry.AddMember("message", text(f.message), a);
            entry.AddMember("fix", text(f.fix), a);
            findings.PushBack(entry, a);
        }
        result.AddMember("findings", findings, a);
        result.AddMember("files_reviewed", static_cast<uint64_t>(outcome.files_reviewed), a);
        return result;
    }
    const ProjectSpec& spec = outcome.spec;
    result.AddMember("stack", text(stack_name(spec.stack)), a);
    result.AddMember("name", text(spec.name), a);
    result.AddMember("resource", text(spec.resource), a);
    rapidjson::Value features(rapidjson::kObjectType);
    features.AddMember("database", text(database_name(spec.database)), a);
    features.AddMember("docker", spec.docker, a);
    features.AddMember("ci", text(ci_name(spec.ci)), a);
    features.AddMember("tests", spec.tests, a);
    result.AddMember("features", features, a);
    result.AddMember("artifacts", devkit::artifacts_json(outcome.artifacts, result), a);
    rapidjson::Value assumptions(rapidjson::kArrayType);
    for (const auto& s : spec.assumptions) assumptions.PushBack(text(s), a);
    result.AddMember("assumptions", assumptions, a);
    return result;
}

}  // namespace scaffold
