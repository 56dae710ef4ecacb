// The supervisors' question to a configured LLM: which enabled agent should
// take this task. A request in JSON mode; the answer is trusted only when it
// names an enabled agent (in its own domain). An unusable answer is
// corrected once; a second answer in prose is read for the one agent it
// names. Anything else, including a
// thrown error, comes back as a refusal with a reason, never as an exception,
// so the caller can fall back to the offline score.
#pragma once

#include "llm/llm_client.hpp"
#include "routing/route_types.hpp"

#include <string>
#include <vector>

namespace agenthost::routing {

struct LlmChoice {
    bool accepted = false;
    std::string agent;
    std::string domain;
    std::string reason;  // the model's own explanation, when accepted
    std::string error;   // why the answer was not used, when not accepted
};

llm::CompletionRequest build_route_request(const std::string& task, const std::vector<AgentProfile>& agents,
                                           const RouterSettings& settings);

// Reads the model's answer. Tolerates prose or a ```json fence around the
// object, since json_mode is a request, not every provider's guarantee.
LlmChoice parse_route_answer(const std::string& content, const std::vector<AgentProfile>& agents);

// Reads an answer that holds no JSON object: accepted when the prose names
// exactly one enabled agent (as a whole word), refused otherwise.
LlmChoice parse_route_prose(const std::string& content, const std::vector<AgentProfile>& agents);

LlmChoice ask_llm_for_route(const std::string& task, const std::vector<AgentProfile>& agents,
                            llm::LlmClient& client, const RouterSettings& settings);

}  // namespace agenthost::routing
