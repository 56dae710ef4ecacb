#include "app/host_settings.hpp"

#include "app/install_layout.hpp"
#include "routing/manifest_profile.hpp"

#include <filesystem>

namespace agenthost::app {

std::string default_plugin_dir(const char* argv0) { return plugin_dir_for_executable(executable_path(argv0)); }

std::vector<routing::AgentProfile> enabled_profiles(const plugins::AgentRegistry& registry) {
    std::vector<routing::AgentProfile> profiles;
    for (const auto& agent : registry.loaded_agents()) profiles.push_back(routing::profile_of(agent->manifest()));
    return profiles;
}

routing::RouterSettings router_settings(const HostConfig& config) {
    routing::RouterSettings settings;
    if (config.orchestration.routing_min_score >= 0) settings.min_score = config.orchestration.routing_min_score;
    return settings;
}

std::map<std::string, long long> agent_timeouts(const HostConfig& config, const plugins::AgentRegistry& registry) {
    std::map<std::string, long long> timeouts;
    for (const auto& agent : registry.loaded_agents())
        if (agent->manifest().timeout_seconds >= 0)
            timeouts[agent->name()] = static_cast<long long>(agent->manifest().timeout_seconds * 1000);
    for (const auto& [name, agent] : config.agents)
        if (agent.timeout_seconds >= 0) timeouts[name] = static_cast<long long>(agent.timeout_seconds * 1000);
    return timeouts;
}

plugins::IsolationPolicy isolation_policy(const HostConfig& config, const char* argv0) {
    return {config.default_isolation,
            default_plugin_dir(argv0),
            config.sandbox,
            {config.crash_loop_max_crashes, config.crash_loop_window_seconds, config.crash_loop_cooldown_seconds},
            (std::filesystem::path(config.data_dir) / "workspaces").string()};
}

}  // namespace agenthost::app
