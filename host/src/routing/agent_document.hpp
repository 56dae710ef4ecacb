// An agent's manifest as routing reads it: the weighted terms BM25 indexes,
// the terms that count as deliberate routing evidence (keywords and name
// parts), and the multi-word keywords matched as phrases.
#pragma once

#include "routing/bm25_index.hpp"
#include "routing/route_types.hpp"

#include <set>
#include <string>
#include <vector>

namespace agenthost::routing {

struct AgentDocument {
    WeightedDocument weighted;
    // Terms of the keywords and the name: a task that matches none of them
    // matched only incidental description words.
    std::set<std::string> keyword_terms;
    // Terms of the name that say what the agent works on ("dockerfil" of
    // dockerfile_generator), without role words ("generat").
    std::set<std::string> name_terms;
    // Multi-word keywords, analysed ("pod disruption budget" ->
    // ["pod", "disruption", "budget"]), without duplicates.
    std::vector<std::vector<std::string>> phrases;
};

AgentDocument build_agent_document(const AgentProfile& profile, const RouterSettings& settings);

// Whether `phrase` occurs contiguously in `sequence`.
bool contains_phrase(const std::vector<std::string>& sequence, const std::vector<std::string>& phrase);

}  // namespace agenthost::routing
