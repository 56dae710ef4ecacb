// A request that names no agent: the routing supervisors pick one, and the
// decision travels with the run (supervisor_path, scores).
#pragma once

#include "api/api_context.hpp"
#include "runs/invocation.hpp"

namespace agenthost::api {

// Fills request.agent_name and request.routing_json when the agent is
// unnamed; throws 422 NoAgentFits naming the best candidates when no
// enabled agent fits the task. `field` is the JSON Pointer of agent_name.
void route_if_unnamed(ApiContext& context, runs::InvokeRequest& request, const std::string& field = "/agent_name");

}  // namespace agenthost::api
