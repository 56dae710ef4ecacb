// The database agent: SDK glue around design, diff and review. Works
// offline and deterministically; every artifact is plain SQL.
#include <agenthost/agent.hpp>
#include <devkit/context_fields.hpp>

#include <string>

#include "database_agent.hpp"

namespace {

using agenthost::json::string;

class DatabaseAgent final : public agenthost::Agent {
  public:
    using agenthost::Agent::Agent;

    rapidjson::Document invoke(agenthost::Run& run) override {
        try {
            dbagent::Outcome outcome = dbagent::handle(run.context(), run.task());
            run.throw_if_cancelled();
            for (const auto& artifact : outcome.artifacts) run.progress("wrote " + artifact.path);
            if (outcome.mode == "review") run.progress(outcome.summary, 1.0);
            return dbagent::result_json(outcome);
        } catch (const dbagent::InputError& error) {
            throw agenthost::InvalidInput(error.what());
        } catch (const devkit::FieldError& error) {
            throw agenthost::InvalidInput(error.what());
        }
    }
};

}  // namespace

AGENTHOST_AGENT(DatabaseAgent, "database_agent", "0.1.0")
