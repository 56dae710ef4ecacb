// The Dockerfile generator: SDK glue. Generate mode reads the repository
// context (context.repository_context, else thread memory) and writes a
// Dockerfile and .dockerignore per service; review mode checks
// context.dockerfile by hadolint's rules.
#include <agenthost/agent.hpp>
#include <devkit/context_fields.hpp>

#include <optional>
#include <string>

#include "dockerfile.hpp"

namespace {

using agenthost::json::string;

devkit::RepositoryContext read_context(agenthost::Run& run, const rapidjson::Value& context) {
    try {
        if (const rapidjson::Value* given = devkit::field(context, "repository_context"))
            return devkit::repository_context_from_json(*given);
        auto kept = run.memory_get(devkit::repository_context_key);
        if (!kept)
            throw agenthost::InvalidInput("no repository context: run context_analyzer on this thread first, or pass "
                                          "context.repository_context");
        rapidjson::Document document;
        document.Parse(kept->c_str(), kept->size());
        if (document.HasParseError()) throw agenthost::InvalidInput("the thread's repository_context is not JSON");
        return devkit::repository_context_from_json(document);
    } catch (const devkit::ContextError& error) {
        throw agenthost::InvalidInput(std::string("context.") + error.what());
    }
}

// A Dockerfile pasted into the task ("Review this Dockerfile: FROM
// python:latest\nRUN ..."): from its first FROM instruction (upper case, at
// the start of a line or after a colon) to the end; nullopt when the task
// holds none. Prose says "from" in lower case.
std::optional<std::string> pasted_dockerfile(std::string_view task) {
    for (size_t at = task.find("FROM "); at != std::string_view::npos; at = task.find("FROM ", at + 1)) {
        size_t before = at;
        while (before > 0 && (task[before - 1] == ' ' || task[before - 1] == '\t')) --before;
        const bool line_start = before == 0 || task[before - 1] == '\n' || task[before - 1] == ':';
        size_t image = at + 5;
        while (image < task.size() && task[image] == ' ') ++image;
        if (line_start && image < task.size() && task[image] != '\n') return std::string(task.substr(at));
    }
    return std::nullopt;
}

class DockerfileGenerator final : public agenthost::Agent {
  public:
    using agenthost::Agent::Agent;

    rapidjson::Document invoke(agenthost::Run& run) override {
        const rapidjson::Value& context = run.context();
        try {
            const std::optional<std::string> asked = devkit::string_field(context, "mode", "context.mode");
            // A Dockerfile in the task is there to be reviewed (seed 004's
            // users paste one), unless the request says otherwise.
            const std::optional<std::string> pasted =
                context.HasMember("dockerfile") ? std::nullopt : pasted_dockerfile(run.task());
            std::string mode = asked.value_or(pasted ? "review" : "generate");
            if (mode == "review") return review(run, context, pasted);
            if (mode != "generate") throw agenthost::InvalidInput("context.mode must be generate or review, not '" + mode + "'");
            return generate(run, context);
        } catch (const devkit::FieldError& error) {
            throw agenthost::InvalidInput(error.what());
        } catch (const dockerfile::InputError& error) {
            throw agenthost::InvalidInput(error.what());
        }
    }

  private:
    rapidjson::Document generate(agenthost::Run& run, const rapidjson::Value& context) {
        const devkit::RepositoryContext repository = read_context(run, context);
        const auto only = devkit::string_field(context, "service", "context.service");
        rapidjson::Document result(rapidjson::kObjectType);
        auto& allocator = result.GetAllocator();
        std::vector<devkit::Artifact> artifacts;
        rapidjson::Value services(rapidjson::kArrayType);
        rapidjson::Value warnings(rapidjson::kArrayType);
        for (const auto& service : repository.services) {
            if (only && service.name != *only) continue;
            run.throw_if_cancelled();
            dockerfile::Generated generated = dockerfile::generate(service);
            // Every generated file must pass the rules review mode applies.
            int problems = 0;
            for (const auto& finding : dockerfile::review(generated.dockerfile))
                if (finding.severity != "info") {
                    ++problems;
                    warnings.PushBack(string(generated.dockerfile_path + ":" + std::to_string(finding.line) + " " +
                                                 finding.rule + " " + finding.message, allocator),
                                      allocator);
                }
            artifacts.push_back({generated.dockerfile_path, generated.dockerfile, "text/x-dockerfile"});
            artifacts.push_back({generated.dockerignore_path, generated.dockerignore, "text/plain"});
            run.progress("wrote " + generated.dockerfile_path + " (" + generated.runtime_image + ", port " +
                         std::to_string(generated.port) + ")");
            rapidjson::Value entry(rapidjson::kObjectType);
            entry.AddMember("name", string(service.name, allocator), allocator);
            entry.AddMember("path", string(service.path, allocator), allocator);
            entry.AddMember("dockerfile", string(generated.dockerfile_path, allocator), allocator);
            entry.AddMember("dockerignore", string(generated.dockerignore_path, allocator), allocator);
            entry.AddMember("runtime_image", string(generated.runtime_image, allocator), allocator);
            entry.AddMember("port", generated.port, allocator);
            if (!generated.health_path.empty()) entry.AddMember("health_path", string(generated.health_path, allocator), allocator);
            entry.AddMember("review_problems", problems, allocator);
            services.PushBack(entry, allocator);
            for (const auto& note : generated.notes) warnings.PushBack(string(note, allocator), allocator);
        }
        if (services.Empty())
            throw agenthost::InvalidInput(only ? "context.service '" + *only + "' is not a service of the repository context"
                                               : "the repository context has no services");
        const std::string summary = "generated " + std::to_string(services.Size()) + " Dockerfile(s) with .dockerignore";
        // What terraform_generator needs of the images, beside the analysis.
        rapidjson::Document kept(rapidjson::kObjectType);
        rapidjson::Value copy(services, kept.GetAllocator());
        kept.AddMember("services", copy, kept.GetAllocator());
        run.memory_put("dockerfiles", agenthost::json::serialize(kept));
        result.AddMember("mode", "generate", allocator);
        result.AddMember("summary", string(summary, allocator), allocator);
        result.AddMember("artifacts", devkit::artifacts_json(artifacts, result), allocator);
        result.AddMember("services", services, allocator);
        result.AddMember("warnings", warnings, allocator);
        return result;
    }

    rapidjson::Document review(agenthost::Run& run, const rapidjson::Value& context,
                               const std::optional<std::string>& pasted) {
        auto text = devkit::string_field(context, "dockerfile", "context.dockerfile");
        if (!text) text = pasted;
        if (!text || text->empty())
            throw agenthost::InvalidInput(
                "review mode needs context.dockerfile (the Dockerfile's text), or the Dockerfile in the task");
        if (text->size() > 1024 * 1024) throw agenthost::InvalidInput("context.dockerfile is larger than 1 MiB");
        const auto findings = dockerfile::review(*text);
        rapidjson::Document result(rapidjson::kObjectType);
        auto& allocator = result.GetAllocator();
        rapidjson::Value list(rapidjson::kArrayType);
        int errors = 0, warnings = 0;
        for (const auto& finding : findings) {
            errors += finding.severity == "error";
            warnings += finding.severity == "warning";
            rapidjson::Value entry(rapidjson::kObjectType);
            entry.AddMember("rule", string(finding.rule, allocator), allocator);
            entry.AddMember("severity", string(finding.severity, allocator), allocator);
            entry.AddMember("line", finding.line, allocator);
            entry.AddMember("message", string(finding.message, allocator), allocator);
            list.PushBack(entry, allocator);
        }
        const std::string summary = std::to_string(findings.size()) + " finding(s): " + std::to_string(errors) +
                                    " error(s), " + std::to_string(warnings) + " warning(s)";
        run.progress(summary, 1.0);
        result.AddMember("mode", "review", allocator);
        result.AddMember("summary", string(summary, allocator), allocator);
        result.AddMember("findings", list, allocator);
        return result;
    }
};

}  // namespace

AGENTHOST_AGENT(DockerfileGenerator, "dockerfile_generator", "0.1.0")
