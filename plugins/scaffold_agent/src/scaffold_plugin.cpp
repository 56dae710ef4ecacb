// The scaffold agent: SDK glue around handle(). Offline and deterministic:
// every file comes from the stack's templates and the request's features.
#include <agenthost/agent.hpp>
#include <devkit/context_fields.hpp>

#include "scaffold_agent.hpp"

namespace {

class ScaffoldAgent final : public agenthost::Agent {
  public:
    using agenthost::Agent::Agent;

    rapidjson::Document invoke(agenthost::Run& run) override {
        try {
            scaffold::Outcome outcome = scaffold::handle(run.context(), run.task());
            run.throw_if_cancelled();
            for (const auto& artifact : outcome.artifacts) run.progress("wrote " + artifact.path);
            if (outcome.mode == "review") run.progress(outcome.summary, 1.0);
            return scaffold::result_json(outcome);
        } catch (const scaffold::InputError& error) {
            throw agenthost::InvalidInput(error.what());
        } catch (const devkit::FieldError& error) {
            throw agenthost::InvalidInput(error.what());
        }
    }
};

}  // namespace

AGENTHOST_AGENT(ScaffoldAgent, "scaffold_agent", "0.1.0")
