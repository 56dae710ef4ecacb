// The Terraform generator: SDK glue. Reads the repository context (and the
// Dockerfile generator's `dockerfiles` memory when there), writes the module
// for context.target, checks its references, and runs terraform when the
// operator configured it.
#include <agenthost/agent.hpp>
#include <devkit/context_fields.hpp>
#include <devkit/kubernetes_conventions.hpp>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "terraform.hpp"
#include "terraform_run.hpp"

namespace {

using agenthost::json::string;

std::optional<rapidjson::Document> memory_json(agenthost::Run& run, const char* key) {
    auto kept = run.memory_get(key);
    if (!kept) return std::nullopt;
    rapidjson::Document document;
    document.Parse(kept->c_str(), kept->size());
    if (document.HasParseError()) return std::nullopt;
    return document;
}

std::string project_from(const devkit::RepositoryContext& context) {
    std::string source = context.source;
    while (!source.empty() && source.back() == '/') source.pop_back();
    auto cut = source.find_last_of("/:");
    std::string name = cut == std::string::npos ? source : source.substr(cut + 1);
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".git") == 0) name.resize(name.size() - 4);
    std::string label = devkit::kubernetes::to_dns_label(name);
    if (label.size() > 20) label.resize(20);
    while (!label.empty() && label.back() == '-') label.pop_back();
    if (label.empty() || !std::isalpha(static_cast<unsigned char>(label[0]))) label = "app";
    return label;
}

rapidjson::Value string_list(const std::vector<std::string>& values, rapidjson::Document& owner) {
    rapidjson::Value list(rapidjson::kArrayType);
    for (const auto& value : values) list.PushBack(string(value, owner), owner.GetAllocator());
    return list;
}

class TerraformGenerator final : public agenthost::Agent {
  public:
    explicit TerraformGenerator(agenthost::Host& host) : agenthost::Agent(host) {
        const auto& config = host.config();
        settings_.binary = devkit::string_field(config, "terraform", "config.terraform").value_or("");
        settings_.network = devkit::bool_field(config, "terraform_network", "config.terraform_network").value_or(true);
        settings_.plan = devkit::bool_field(config, "run_plan", "config.run_plan").value_or(false);
        settings_.timeout_seconds = devkit::int_field(config, "timeout_seconds", "config.timeout_seconds", 1, 3600).value_or(300);
        settings_.backend = devkit::string_field(config, "backend", "config.backend").value_or("");
        settings_.backend_config = devkit::string_field(config, "backend_config", "config.backend_config").value_or("");
    }

    rapidjson::Document invoke(agenthost::Run& run) override {
        const rapidjson::Value& context = run.context();
        terraform::Options options;
        devkit::RepositoryContext repository;
        std::string tfvars;
        std::string mode;
        try {
            mode = devkit::string_field(context, "mode", "context.mode").value_or("generate");
            if (mode != "generate" && mode != "plan" && mode != "apply" && mode != "destroy")
                throw agenthost::InvalidInput("context.mode must be generate, plan, apply or destroy, not '" + mode + "'");
            if (const rapidjson::Value* given = devkit::field(context, "repository_context")) {
                repository = devkit::repository_context_from_json(*given);
            } else {
                auto kept = memory_json(run, devkit::repository_context_key);
                if (!kept)
                    throw agenthost::InvalidInput("no repository context: run context_analyzer on this thread first, or "
                                                  "pass context.repository_context");
                repository = devkit::repository_context_from_json(*kept);
            }
            options.target = devkit::string_field(context, "target", "context.target").value_or("ecs");
            if (options.target == "aws" || options.target == "ecs_fargate" || options.target == "fargate") options.target = "ecs";
            if (options.target == "k8s") options.target = "kubernetes";
            options.project = devkit::string_field(context, "project", "context.project").value_or(project_from(repository));
            options.region = devkit::string_field(context, "region", "context.region").value_or("us-east-1");
            if (const rapidjson::Value* variables = devkit::field(context, "variables")) {
                if (!variables->IsObject()) throw agenthost::InvalidInput("context.variables must be an object");
                rapidjson::StringBuffer buffer;
                rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
                variables->Accept(writer);
                tfvars = buffer.GetString();
            }
        } catch (const devkit::FieldError& error) {
            throw agenthost::InvalidInput(error.what());
        } catch (const devkit::ContextError& error) {
            throw agenthost::InvalidInput(std::string("context.") + error.what());
        }
        // The images' ports and health paths as dockerfile_generator wrote them.
        if (auto images = memory_json(run, "dockerfiles"); images && images->IsObject() && images->HasMember("services") &&
                                                              (*images)["services"].IsArray()) {
            for (const auto& entry : (*images)["services"].GetArray()) {
                if (!entry.IsObject() || !entry.HasMember("name") || !entry["name"].IsString()) continue;
                terraform::ImageFacts facts;
                if (entry.HasMember("port") && entry["port"].IsInt()) facts.port = entry["port"].GetInt();
                if (entry.HasMember("health_path") && entry["health_path"].IsString()) facts.health_path = entry["health_path"].GetString();
                options.images[entry["name"].GetString()] = facts;
            }
        }
        options.backend = settings_.backend;
        const bool changes = mode == "apply" || mode == "destroy";
        if (changes) {
            // Checked before asking a person: an approval that cannot be acted on helps nobody.
            if (settings_.binary.empty())
                throw agenthost::Error(AGENTHOST_ERROR_UNAVAILABLE,
                                       mode + " needs terraform: set agents.terraform_generator.config.terraform and allow "
                                              "it in agents.terraform_generator.exec");
            if (settings_.backend.empty())
                throw agenthost::Error(AGENTHOST_ERROR_UNAVAILABLE,
                                       mode + " needs a remote state backend (config.backend, e.g. s3, with "
                                              "config.backend_config): the run's workspace, and local state with it, is "
                                              "removed when the run ends");
            terraform::check_change(run, settings_, options.directory, mode);
            run.require_approval(mode, mode + " changes live infrastructure of " + options.project);
        }
        terraform::Module module;
        try {
            module = terraform::generate(repository, options);
        } catch (const terraform::InputError& error) {
            throw agenthost::InvalidInput(error.what());
        }
        run.throw_if_cancelled();
        for (const auto& file : module.files) run.progress("wrote " + file.path);
        const terraform::ReferenceReport report = terraform::check_references(module.files);
        terraform::RunSettings settings = settings_;
        if (mode == "plan") settings.plan = true;
        const terraform::RunOutcome ran =
            changes ? terraform::change_infrastructure(run, settings, module.files, options.directory, tfvars, mode)
                    : terraform::run_terraform(run, settings, module.files, options.directory, tfvars);
        run.progress("terraform validate: " + ran.validate + (ran.reason.empty() ? "" : " (" + ran.reason + ")"), 1.0);

        rapidjson::Document result(rapidjson::kObjectType);
        auto& allocator = result.GetAllocator();
        const std::string summary = "wrote a Terraform module for " + std::string(options.target == "ecs" ? "AWS ECS Fargate" : "Kubernetes") +
                                    " (" + std::to_string(repository.services.size()) + " service(s)) in " + options.directory +
                                    "/; references checked; terraform validate: " + ran.validate;
        rapidjson::Value checks(rapidjson::kObjectType);
        checks.AddMember("undeclared_variables", string_list(report.undeclared_variables, result), allocator);
        checks.AddMember("unresolved_references", string_list(report.unresolved_references, result), allocator);
        checks.AddMember("unused_variables", string_list(report.unused_variables, result), allocator);
        rapidjson::Value terraform_run(rapidjson::kObjectType);
        terraform_run.AddMember("validate", string(ran.validate, allocator), allocator);
        terraform_run.AddMember("plan", string(ran.plan, allocator), allocator);
        if (!ran.reason.empty()) terraform_run.AddMember("reason", string(ran.reason, allocator), allocator);
        if (!ran.output.empty()) terraform_run.AddMember("output", string(ran.output, allocator), allocator);
        result.AddMember("mode", string(mode, allocator), allocator);
        result.AddMember("target", string(options.target, allocator), allocator);
        result.AddMember("project", string(options.project, allocator), allocator);
        result.AddMember("summary", string(summary, allocator), allocator);
        result.AddMember("artifacts", devkit::artifacts_json(module.files, result), allocator);
        result.AddMember("checks", checks, allocator);
        result.AddMember("terraform", terraform_run, allocator);
        result.AddMember("warnings", string_list(module.notes, result), allocator);

        rapidjson::Document kept(rapidjson::kObjectType);
        kept.AddMember("target", string(options.target, kept.GetAllocator()), kept.GetAllocator());
        rapidjson::Value files(rapidjson::kArrayType);
        for (const auto& file : module.files) files.PushBack(string(file.path, kept.GetAllocator()), kept.GetAllocator());
        kept.AddMember("files", files, kept.GetAllocator());
        kept.AddMember("validate", string(ran.validate, kept.GetAllocator()), kept.GetAllocator());
        run.memory_put("terraform", agenthost::json::serialize(kept));
        return result;
    }

  private:
    terraform::RunSettings settings_;
};

}  // namespace

AGENTHOST_AGENT(TerraformGenerator, "terraform_generator", "0.1.0")
