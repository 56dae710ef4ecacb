// The seeds' variables that configure services agenthost does not run
// (Supabase, Clerk, Pinecone, E2B, Bedrock, ...). A user who sets one gets a
// warning at start that says what agenthost does instead, rather than
// silence (outsiders read silence as "it works").
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace agenthost {

struct UnusedSeedVariable {
    std::string name;  // as set
    std::string why;   // what agenthost does instead
};

// Each of the known variables that `lookup` finds set and non-empty.
std::vector<UnusedSeedVariable> unused_seed_variables(
    const std::function<std::optional<std::string>(const char*)>& lookup);

}  // namespace agenthost
