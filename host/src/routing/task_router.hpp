// The routing supervisors: given a task with no agent named, the root
// supervisor picks a domain and that domain's supervisor picks an agent.
//
// Offline (always computed, and the whole answer without an LLM): each
// enabled agent's manifest (name parts, description, keywords weighted
// higher, multi-word keywords also as phrases) is indexed with BM25; an
// agent's score is its BM25 score for the task's distinct terms plus a bonus
// per keyword phrase found. The root supervisor scores a domain as its best
// agent's score, not the sum: a sum would favour whichever domain has the
// most agents (three text agents share "text", "offline", ...), while the
// maximum keeps the two-level choice identical to picking the best agent
// overall, so a domain never wins on volume. Ties go to the smaller name, so
// the same task and agents always give the same decision.
//
// With an LLM configured, the supervisor asks it once and follows its choice
// when it names an enabled agent; otherwise the offline choice stands and
// llm_error says why.
//
// Immutable after construction: route() may run on any number of threads.
#pragma once

#include "llm/llm_client.hpp"
#include "routing/agent_document.hpp"
#include "routing/bm25_index.hpp"
#include "routing/route_types.hpp"

#include <string>
#include <vector>

namespace agenthost::routing {

class TaskRouter {
  public:
    explicit TaskRouter(std::vector<AgentProfile> enabled_agents, RouterSettings settings = {});

    // `llm` may be null; it is asked only when configured("") says a real
    // provider serves the host.
    // `context_fields`: the members of the request's context (they count
    // toward the agents that read them; RouterSettings::context_bonus).
    RouteDecision route(const std::string& task, llm::LlmClient* llm,
                        const std::vector<std::string>& context_fields = {}) const;

    const std::vector<AgentProfile>& agents() const { return agents_; }

  private:
    struct Scored {
        size_t agent;  // index into agents_
        double score;
        bool keyword_match;
        std::vector<std::string> matched_terms;
    };

    std::vector<Scored> score_all(const std::string& task, const std::vector<std::string>& context_fields) const;
    RouteDecision route_offline(const std::string& task, const std::vector<std::string>& context_fields) const;

    std::vector<AgentProfile> agents_;  // sorted by name
    RouterSettings settings_;
    std::vector<AgentDocument> documents_;  // parallel to agents_
    Bm25Index index_;
};

}  // namespace agenthost::routing
