// The bridge from the plugin catalogue to routing: routing reads only what a
// manifest says about an agent, never a loaded library.
#pragma once

#include "plugins/manifest.hpp"
#include "routing/route_types.hpp"

namespace agenthost::routing {

AgentProfile profile_of(const plugins::Manifest& manifest);

}  // namespace agenthost::routing
