// What the host's parts are built with, derived from the config and the
// plugin catalogue; used at start and again whenever either changes.
#pragma once

#include "config/host_config.hpp"
#include "plugins/agent_registry.hpp"
#include "routing/task_router.hpp"

#include <map>
#include <string>
#include <vector>

namespace agenthost::app {

// Plugins built with the host: build/plugins beside build/bin, or
// <prefix>/lib/agenthost/plugins when installed (app/install_layout.hpp).
std::string default_plugin_dir(const char* argv0);

// What the routing supervisors choose from: the agents loaded here.
std::vector<routing::AgentProfile> enabled_profiles(const plugins::AgentRegistry& registry);

routing::RouterSettings router_settings(const HostConfig& config);

// Per-agent timeouts (ms): the operator's agents.<name>.timeout_seconds,
// else the manifest's timeout_seconds; agents in neither get
// runs.agent_timeout_seconds.
std::map<std::string, long long> agent_timeouts(const HostConfig& config, const plugins::AgentRegistry& registry);

plugins::IsolationPolicy isolation_policy(const HostConfig& config, const char* argv0);

}  // namespace agenthost::app
