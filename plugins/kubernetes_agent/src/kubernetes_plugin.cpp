// The kubernetes agent: SDK glue around generate() and review().
#include <agenthost/agent.hpp>

#include <string>
#include <utility>
#include <vector>

#include "kubectl.hpp"
#include "kubernetes.hpp"

namespace {

rapidjson::Value text(const std::string& value, rapidjson::Document& owner) {
    return agenthost::json::string(value, owner);
}

class KubernetesAgent final : public agenthost::Agent {
  public:
    explicit KubernetesAgent(agenthost::Host& host) : agenthost::Agent(host), config_(k8s::config_from_json(host.config())) {}

    rapidjson::Document invoke(agenthost::Run& run) override {
        const rapidjson::Value& context = run.context();
        std::string mode = "generate";
        auto found = context.FindMember("mode");
        if (found != context.MemberEnd()) {
            if (!found->value.IsString()) throw agenthost::InvalidInput("context.mode must be a string");
            mode.assign(found->value.GetString(), found->value.GetStringLength());
        }
        run.throw_if_cancelled();
        try {
            if (mode == "generate") return generate(run, context);
            if (mode == "review") return review(run, context);
        } catch (const k8s::InputError& error) {
            throw agenthost::InvalidInput(error.what());
        }
        if (mode == "apply") return apply(run, context);
        throw agenthost::InvalidInput("context.mode must be generate, review or apply, not '" + mode + "'");
    }

  private:
    // The YAML to apply: context.manifests as given, else what generate
    // would write for this context. Parsed first, so nothing malformed is
    // ever put before a person or a cluster.
    std::pair<std::string, std::vector<std::string>> manifests_to_apply(agenthost::Run& run,
                                                                        const rapidjson::Value& context) {
        std::string yaml;
        auto found = context.FindMember("manifests");
        if (found != context.MemberEnd()) {
            if (!found->value.IsString()) throw agenthost::InvalidInput("context.manifests must be YAML text");
            yaml.assign(found->value.GetString(), found->value.GetStringLength());
        } else {
            try {
                for (const auto& artifact : k8s::generate(context, run.task(), config_).artifacts)
                    yaml += (yaml.empty() ? "" : "---\n") + artifact.content;
            } catch (const k8s::InputError& error) {
                throw agenthost::InvalidInput(error.what());
            }
        }
        std::vector<std::string> objects;
        try {
            for (const auto& document : k8s::yaml_documents(yaml)) {
                if (!document.IsObject() || !document.HasMember("kind") || !document["kind"].IsString())
                    throw agenthost::InvalidInput("every manifest to apply needs a kind");
                std::string name = document.HasMember("metadata") && document["metadata"].IsObject() &&
                                           document["metadata"].HasMember("name") &&
                                           document["metadata"]["name"].IsString()
                                       ? document["metadata"]["name"].GetString()
                                       : "?";
                objects.push_back(std::string(document["kind"].GetString()) + "/" + name);
            }
        } catch (const k8s::YamlError& error) {
            throw agenthost::InvalidInput(std::string("context.manifests is not valid YAML: ") + error.what());
        }
        if (objects.empty()) throw agenthost::InvalidInput("there is nothing to apply");
        return {yaml, objects};
    }

    rapidjson::Document apply(agenthost::Run& run, const rapidjson::Value& context) {
        auto [yaml, objects] = manifests_to_apply(run, context);
        // Nobody is asked to approve an apply this host can never run
        // (kubectl not allowed or installed, no network): the run fails
        // with what the operator must set instead.
        k8s::KubectlSettings settings{config_.kubectl, config_.kubectl_args, config_.kubectl_timeout_seconds};
        k8s::check_kubectl_apply(run, settings);
        // A person approves before anything reaches the cluster (the host
        // also gates the apply operation from the manifest).
        rapidjson::Document details(rapidjson::kObjectType);
        rapidjson::Value listed(rapidjson::kArrayType);
        for (const auto& object : objects) listed.PushBack(text(object, details), details.GetAllocator());
        details.AddMember("objects", listed, details.GetAllocator());
        run.require_approval("apply", "applies " + std::to_string(objects.size()) + " object(s) to a live cluster",
                             &details);
        run.throw_if_cancelled();
        run.progress("applying " + std::to_string(objects.size()) + " object(s) with kubectl", 0.5);
        k8s::KubectlResult applied = k8s::kubectl_apply(run, settings, yaml);
        if (applied.timed_out)
            throw agenthost::Error(AGENTHOST_ERROR_FAILED, "kubectl apply did not finish within " +
                                                               std::to_string(config_.kubectl_timeout_seconds) +
                                                               " s: " + applied.output);
        if (applied.exit_code != 0)
            throw agenthost::Error(AGENTHOST_ERROR_FAILED, "kubectl apply failed (exit " +
                                                               std::to_string(applied.exit_code) + "): " + applied.output);
        rapidjson::Document result(rapidjson::kObjectType);
        auto& allocator = result.GetAllocator();
        rapidjson::Value applied_objects(rapidjson::kArrayType);
        for (const auto& object : objects) applied_objects.PushBack(text(object, result), allocator);
        result.AddMember("mode", "apply", allocator);
        result.AddMember("summary",
                         text("applied " + std::to_string(objects.size()) + " object(s) with " + config_.kubectl, result),
                         allocator);
        result.AddMember("applied_objects", applied_objects, allocator);
        result.AddMember("kubectl_output", text(applied.output, result), allocator);
        result.AddMember("warnings", rapidjson::Value(rapidjson::kArrayType), allocator);
        return result;
    }

    rapidjson::Document generate(agenthost::Run& run, const rapidjson::Value& context) {
        const k8s::Generated generated = k8s::generate(context, run.task(), config_);
        rapidjson::Document result(rapidjson::kObjectType);
        auto& allocator = result.GetAllocator();
        rapidjson::Value artifacts(rapidjson::kArrayType);
        for (std::size_t i = 0; i < generated.artifacts.size(); ++i) {
            const k8s::Artifact& artifact = generated.artifacts[i];
            run.throw_if_cancelled();
            run.progress("generated " + artifact.kind + "/" + artifact.name + " (" + artifact.path + ")",
                         static_cast<double>(i + 1) / static_cast<double>(generated.artifacts.size()));
            rapidjson::Value entry(rapidjson::kObjectType);
            entry.AddMember("path", text(artifact.path, result), allocator);
            entry.AddMember("content", text(artifact.content, result), allocator);
            entry.AddMember("media_type", "application/yaml", allocator);
            entry.AddMember("kind", text(artifact.kind, result), allocator);
            entry.AddMember("name", text(artifact.name, result), allocator);
            artifacts.PushBack(entry, allocator);
        }
        rapidjson::Value warnings(rapidjson::kArrayType);
        for (const auto& warning : generated.warnings) warnings.PushBack(text(warning, result), allocator);
        result.AddMember("mode", "generate", allocator);
        result.AddMember("artifacts", artifacts, allocator);
        result.AddMember("summary", text(generated.summary, result), allocator);
        result.AddMember("warnings", warnings, allocator);
        return result;
    }

    rapidjson::Document review(agenthost::Run& run, const rapidjson::Value& context) {
        auto found = context.FindMember("manifests");
        if (found == context.MemberEnd() || !found->value.IsString())
            throw agenthost::InvalidInput("review mode needs context.manifests: the YAML to review, as a string");
        const k8s::Review review =
            k8s::review(std::string_view(found->value.GetString(), found->value.GetStringLength()));
        run.progress("reviewed " + std::to_string(review.objects) + " objects", 1.0);
        rapidjson::Document result(rapidjson::kObjectType);
        auto& allocator = result.GetAllocator();
        rapidjson::Value findings(rapidjson::kArrayType);
        for (const auto& finding : review.findings) {
            rapidjson::Value entry(rapidjson::kObjectType);
            entry.AddMember("severity", text(finding.severity, result), allocator);
            entry.AddMember("object", text(finding.object, result), allocator);
            entry.AddMember("field", text(finding.field, result), allocator);
            entry.AddMember("message", text(finding.message, result), allocator);
            findings.PushBack(entry, allocator);
        }
        result.AddMember("mode", "review", allocator);
        result.AddMember("findings", findings, allocator);
        result.AddMember("objects_reviewed", static_cast<uint64_t>(review.objects), allocator);
        result.AddMember("summary", text(review.summary, result), allocator);
        return result;
    }

    const k8s::Config config_;
};

}  // namespace

AGENTHOST_AGENT(KubernetesAgent, "kubernetes_agent", "0.1.0")
