// The kubernetes agent: SDK glue around generate() and review().
#include <agenthost/agent.hpp>

#include <string>

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
        if (mode == "apply")
            throw agenthost::InvalidInput("apply needs a configured kubectl and a human approval; not available in this version");
        throw agenthost::InvalidInput("context.mode must be generate or review, not '" + mode + "'");
    }

  private:
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
