// The codegen_agent: SDK glue around request.hpp and generate.hpp. Turns an
// OpenAPI 3.x document or a JSON Schema into typed Python and TypeScript
// models and API clients. Deterministic and offline.
#include <agenthost/agent.hpp>
#include <string>

#include "errors.hpp"
#include "generate.hpp"
#include "request.hpp"

namespace {

using agenthost::json::string;

rapidjson::Value strings_json(const std::vector<std::string>& items, rapidjson::Document& owner) {
    rapidjson::Value array(rapidjson::kArrayType);
    for (const auto& item : items) array.PushBack(string(item, owner), owner.GetAllocator());
    return array;
}

class CodegenAgent final : public agenthost::Agent {
  public:
    explicit CodegenAgent(agenthost::Host& host)
        : agenthost::Agent(host), config_(codegen::config_from_json(host.config())) {}

    rapidjson::Document invoke(agenthost::Run& run) override {
        run.throw_if_cancelled();
        codegen::Generated generated;
        try {
            const codegen::Request request = codegen::request_from(run.task(), run.context(), config_);
            generated = codegen::generate(request, config_, [&run](const std::string& message, double fraction) {
                run.throw_if_cancelled();
                run.progress(message, fraction);
            });
        } catch (const codegen::SpecError& error) {
            throw agenthost::InvalidInput(std::string("invalid API description: ") + error.what());
        } catch (const codegen::InputError& error) {
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
        // The host emits one artifact event per entry when the run succeeds.
        result.AddMember("artifacts", artifacts, allocator);
        result.AddMember("summary", string(generated.summary, result), allocator);
        result.AddMember("warnings", strings_json(generated.warnings, result), allocator);

        rapidjson::Value settings(rapidjson::kObjectType);
        settings.AddMember("languages", strings_json(generated.languages, result), allocator);
        settings.AddMember("package_name", string(generated.package_name, result), allocator);
        if (!generated.client_name.empty())
            settings.AddMember("client_name", string(generated.client_name, result), allocator);
        settings.AddMember("python_min_version", string("3." + std::to_string(config_.python_min_minor), result),
                           allocator);
        result.AddMember("settings", settings, allocator);

        rapidjson::Value stats(rapidjson::kObjectType);
        stats.AddMember("source", string(generated.source, result), allocator);
        stats.AddMember("models", static_cast<uint64_t>(generated.models), allocator);
        stats.AddMember("operations", static_cast<uint64_t>(generated.operations), allocator);
        result.AddMember("stats", stats, allocator);
        return result;
    }

  private:
    codegen::Config config_;
};

}  // namespace

AGENTHOST_AGENT(CodegenAgent, "codegen_agent", "1.0.0")
