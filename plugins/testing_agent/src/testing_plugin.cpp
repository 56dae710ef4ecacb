// The testing agent: SDK glue around handle(). Offline and deterministic:
// the tests come from the document or source given, never from guesses.
#include <agenthost/agent.hpp>
#include <devkit/context_fields.hpp>

#include "openapi_input.hpp"
#include "testing_agent.hpp"

namespace {

class TestingAgent final : public agenthost::Agent {
  public:
    using agenthost::Agent::Agent;

    rapidjson::Document invoke(agenthost::Run& run) override {
        try {
            testgen::Outcome outcome = testgen::handle(run.context(), run.task());
            run.throw_if_cancelled();
            for (const auto& artifact : outcome.artifacts) run.progress("wrote " + artifact.path);
            if (outcome.mode == "review") run.progress(outcome.summary, 1.0);
            return testgen::result_json(outcome);
        } catch (const testgen::InputError& error) {
            throw agenthost::InvalidInput(error.what());
        } catch (const devkit::FieldError& error) {
            throw agenthost::InvalidInput(error.what());
        }
    }
};

}  // namespace

AGENTHOST_AGENT(TestingAgent, "testing_agent", "0.1.0")
