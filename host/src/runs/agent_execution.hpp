// One execution of a claimed run through its agent, with the host's checks
// around the plugin call: reflection (the result must satisfy the manifest's
// output_schema, and optionally an LLM critique, or the agent is invoked
// again with the reasons as remediation, a bounded number of times) and
// looping (observe, reason, act, evaluate until the agent's result says
// resolved or max_iterations is reached). Every retry and iteration is a
// run event.
#pragma once

#include "llm/llm_client.hpp"
#include "plugins/loaded_agent.hpp"
#include "runs/run_execution.hpp"
#include "runs/run_settings.hpp"

#include <optional>
#include <string>
#include <vector>

namespace agenthost::runs {

class AgentExecution {
  public:
    AgentExecution(const plugins::LoadedAgent& agent, plugins::RunContext& context, StoredRunServices& services,
                   const store::RunRecord& run, const RunSettings& settings, llm::LlmClient* llm)
        : agent_(agent), context_(context), services_(services), run_(run), settings_(settings), llm_(llm) {}

    plugins::InvokeOutcome execute();

  private:
    // input.observed for the next iteration (RunSettings::iteration_observation).
    void observe(rapidjson::Document& extra);
    // One iteration: invoke, check, retry with remediation.
    plugins::InvokeOutcome invoke_reflecting(rapidjson::Document& extra);
    plugins::InvokeOutcome invoke_once(const rapidjson::Value& extra);
    std::vector<std::string> review(const std::string& result_json);
    void emit(const std::string& type, const rapidjson::Value& data);

    const plugins::LoadedAgent& agent_;
    plugins::RunContext& context_;
    StoredRunServices& services_;
    const store::RunRecord& run_;
    const RunSettings& settings_;
    llm::LlmClient* llm_;
};

// Whether an iteration's result says the problem is resolved: "resolved":
// true, or "status": "resolved".
bool result_resolved(const std::string& result_json);
// True when a loop's result says the agent gave the problem to a person
// ("handed_over": true): nothing a further iteration could do, so the loop
// ends there instead of running to max_iterations.
bool result_handed_over(const std::string& result_json);

// What an LLM critic says of a result: the reasons it falls short (empty
// when acceptable). Any LLM failure counts as no objection.
std::vector<std::string> llm_critique(llm::LlmClient& llm, const std::string& agent, const std::string& task,
                                      const std::string& result_json);

}  // namespace agenthost::runs
