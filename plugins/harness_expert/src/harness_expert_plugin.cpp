// The harness_expert agent: SDK glue around settings.hpp, generate.hpp and
// review.hpp. Generates Harness CD pipelines (or GitHub Actions workflows)
// and reviews existing Harness pipeline YAML.
#include <agenthost/agent.hpp>

#include <string>

#include "generate.hpp"
#include "review.hpp"
#include "settings.hpp"

namespace {

using agenthost::json::string;

rapidjson::Value strings_json(const std::vector<std::string>& items, rapidjson::Document& owner) {
    rapidjson::Value array(rapidjson::kArrayType);
    for (const auto& item : items) array.PushBack(string(item, owner), owner.GetAllocator());
    return array;
}

class HarnessExpert : public agenthost::Agent {
  public:
    explicit HarnessExpert(agenthost::Host& host)
        : agenthost::Agent(host), config_(harness_expert::config_from_json(host.config())) {}

    rapidjson::Document invoke(agenthost::Run& run) override {
        run.throw_if_cancelled();
        harness_expert::Settings settings;
        try {
            settings = harness_expert::settings_from_request(run.task(), run.context(), config_);
        } catch (const harness_expert::InputError& error) {
            throw agenthost::InvalidInput(error.what());
        }
        return settings.mode == harness_expert::Mode::review ? review(run, settings) : generate(run, settings);
    }

  private:
    static void stage_progress(const agenthost::Run& run, const std::string& verb, const std::string& stage,
                               std::size_t index, std::size_t count) {
        run.throw_if_cancelled();
        run.progress(verb + " stage " + stage + " (" + std::to_string(index + 1) + "/" + std::to_string(count) + ")",
                     count == 0 ? 0.0 : static_cast<double>(index) / static_cast<double>(count));
    }

    rapidjson::Document generate(const agenthost::Run& run, const harness_expert::Settings& settings) const {
        harness_expert::Generated generated;
        try {
            generated = harness_expert::generate(
                settings, [&run](const std::string& stage, std::size_t index, std::size_t count) {
                    stage_progress(run, "generating", stage, index, count);
                });
        } catch (const harness_expert::InputError& error) {
            throw agenthost::InvalidInput(error.what());
        }
        rapidjson::Document result(rapidjson::kObjectType);
        auto& allocator = result.GetAllocator();
        rapidjson::Value artifacts(rapidjson::kArrayType);
        for (const auto& artifact : generated.artifacts) {
            rapidjson::Value entry(rapidjson::kObjectType);
            entry.AddMember("path", string(artifact.path, result), allocator);
            entry.AddMember("content", string(artifact.content, result), allocator);
            entry.AddMember("media_type", string(artifact.media_type, result), allocator);
            artifacts.PushBack(entry, allocator);
        }
        result.AddMember("mode", "generate", allocator);
        result.AddMember("artifacts", artifacts, allocator);
        result.AddMember("summary", string(generated.summary, result), allocator);
        result.AddMember("warnings", strings_json(generated.warnings, result), allocator);

        rapidjson::Value applied(rapidjson::kObjectType);
        applied.AddMember("service", string(settings.service, result), allocator);
        applied.AddMember("environments", strings_json(settings.environments, result), allocator);
        applied.AddMember("strategy", string(harness_expert::to_string(settings.strategy), result), allocator);
        applied.AddMember("target", string(harness_expert::to_string(settings.target), result), allocator);
        applied.AddMember("org", string(settings.org, result), allocator);
        applied.AddMember("project", string(settings.project, result), allocator);
        applied.AddMember("prod_approval", settings.prod_approval, allocator);
        if (!settings.image.empty()) applied.AddMember("image", string(settings.image, result), allocator);
        if (!generated.namespaces.empty()) {
            rapidjson::Value namespaces(rapidjson::kObjectType);
            for (const auto& [environment, namespace_name] : generated.namespaces)
                namespaces.AddMember(string(environment, result), string(namespace_name, result), allocator);
            applied.AddMember("namespaces", namespaces, allocator);
        }
        result.AddMember("settings", applied, allocator);
        return result;
    }

    rapidjson::Document review(const agenthost::Run& run, const harness_expert::Settings& settings) const {
        harness_expert::Review review;
        try {
            review = harness_expert::review_pipeline(
                settings.pipeline_text, [&run](const std::string& stage, std::size_t index, std::size_t count) {
                    stage_progress(run, "reviewing", stage, index, count);
                });
        } catch (const harness_expert::InputError& error) {
            throw agenthost::InvalidInput(error.what());
        }
        rapidjson::Document result(rapidjson::kObjectType);
        auto& allocator = result.GetAllocator();
        std::size_t errors = 0, warnings = 0;
        rapidjson::Value findings(rapidjson::kArrayType);
        for (const auto& finding : review.findings) {
            errors += finding.severity == "error";
            warnings += finding.severity == "warning";
            rapidjson::Value entry(rapidjson::kObjectType);
            entry.AddMember("severity", string(finding.severity, result), allocator);
            entry.AddMember("stage", string(finding.stage, result), allocator);
            entry.AddMember("field", string(finding.field, result), allocator);
            entry.AddMember("message", string(finding.message, result), allocator);
            findings.PushBack(entry, allocator);
        }
        std::string summary = "Reviewed pipeline " +
                              (review.pipeline_identifier.empty() ? std::string("(no identifier)")
                                                                  : review.pipeline_identifier) +
                              " with " + std::to_string(review.stage_count) + " stage(s): ";
        summary += review.findings.empty()
                       ? std::string("no findings.")
                       : std::to_string(review.findings.size()) + " finding(s), " + std::to_string(errors) +
                             " error(s), " + std::to_string(warnings) + " warning(s).";
        result.AddMember("mode", "review", allocator);
        result.AddMember("artifacts", rapidjson::Value(rapidjson::kArrayType), allocator);
        result.AddMember("findings", findings, allocator);
        result.AddMember("summary", string(summary, result), allocator);
        result.AddMember("warnings", rapidjson::Value(rapidjson::kArrayType), allocator);
        return result;
    }

    harness_expert::Config config_;
};

}  // namespace

AGENTHOST_AGENT(HarnessExpert, "harness_expert", "1.0.0")
