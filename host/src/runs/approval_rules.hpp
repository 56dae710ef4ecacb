// When a run must wait for a person before it starts, and the record of
// what is to be approved and why. Four triggers: the request asks for it,
// the operator's config requires it for the agent, the agent's manifest
// lists the requested operation, or the plugin asks at run time (handled by
// the dispatcher).
#pragma once

#include "plugins/agent_registry.hpp"
#include "runs/invocation.hpp"
#include "runs/run_settings.hpp"

#include <optional>
#include <set>
#include <string>

namespace agenthost::runs {

// The approval request as JSON ({"agent","operation","reason","trigger",
// "task","requested_at","timeout_seconds"}), or nullopt when none is needed.
std::optional<std::string> approval_needed(const InvokeRequest& request, const plugins::AgentRegistry& registry,
                                           const RunSettings& settings);

// An approval asked for by the plugin while it ran. `approved_before` are
// the operations already approved for this run: they stay approved (kept in
// the document's "approved_operations"), so a run that asks twice finishes.
std::string runtime_approval(const std::string& agent, const std::string& task, const std::string& plugin_request_json,
                             const RunSettings& settings, const std::set<std::string>& approved_before);

// The approval with a decision added.
std::string decided_approval(const std::string& approval_json, bool approved, const std::string& approver,
                             const std::string& comment, long long at_ms);

// The operations an approved run may now perform: the one just approved and
// every one approved earlier in the run (none unless the state is approved).
std::set<std::string> approved_operations(const std::string& approval_state, const std::string& approval_json);

// The request's run options as stored with the run ("" when all default).
std::string options_json(const RunOptions& options);
// Loop bound stored in the run's options (0: no loop).
int loop_max_iterations(const std::string& options_json);

}  // namespace agenthost::runs
