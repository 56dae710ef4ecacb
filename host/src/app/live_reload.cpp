#include "app/live_reload.hpp"

#include "app/host_settings.hpp"
#include "util/log.hpp"

#include <thread>

namespace agenthost::app {
namespace {

std::string comma_list(const std::vector<std::string>& items) {
    std::string text;
    for (const auto& item : items) text += (text.empty() ? "" : ",") + item;
    return text;
}

}  // namespace

LiveReload::LiveReload(HostConfig config, int argc, char** argv, plugins::AgentRegistry& registry,
                       runs::RunDispatcher& dispatcher, routing::RouterSlot& router)
    : argc_(argc), argv_(argv), registry_(registry), dispatcher_(dispatcher), router_(router), config_(std::move(config)) {
    registry_.set_on_change([this] { on_catalogue_changed(); });
}

LiveReload::~LiveReload() {
    registry_.set_on_change(nullptr);
    std::lock_guard<std::mutex> lock(config_mutex_);
    watcher_.reset();
}

// A reloaded agent may bring a new manifest: new keywords for the router, a
// new timeout for the dispatcher.
void LiveReload::on_catalogue_changed() {
    std::lock_guard<std::mutex> lock(config_mutex_);
    std::vector<std::string> names;
    for (const auto& agent : registry_.loaded_agents()) names.push_back(agent->name());
    dispatcher_.set_agents(names, agent_timeouts(config_, registry_));
    router_.set(std::make_shared<routing::TaskRouter>(enabled_profiles(registry_), router_settings(config_)));
}

void LiveReload::start_watching() {
    std::lock_guard<std::mutex> lock(config_mutex_);
    if (!config_.watch_plugins) {
        watcher_.reset();
        return;
    }
    if (watcher_) return;
    watcher_ = std::make_unique<plugins::LibraryWatcher>(registry_, std::chrono::milliseconds(config_.watch_interval_ms));
    log::info("watching plugin libraries for new builds", {{"interval_ms", config_.watch_interval_ms}});
}

// The config file is read again and its plugins and agents sections applied
// without a restart (agents enabled, disabled or reconfigured; plugins.watch
// switched). Runs in flight finish on the agent instance they started on;
// none is lost. Other sections (listen address, database, auth) need a
// restart and are left as they are. A config that does not load is logged
// and changes nothing.
void LiveReload::reload_config() {
    HostConfig config;
    try {
        config = load_config(argc_, argv_);
    } catch (const std::exception& e) {
        log::error("SIGHUP: the config does not load; nothing changed", {{"error", e.what()}});
        return;
    }
    if (config.plugin_dirs.empty()) config.plugin_dirs.push_back(default_plugin_dir(argv_[0]));
    {
        std::lock_guard<std::mutex> lock(config_mutex_);
        config_ = config;
    }
    plugins::ReloadSummary summary = registry_.reload(config.plugin_dirs, config.agents, isolation_policy(config, argv_[0]));
    start_watching();
    log::info("SIGHUP: config reloaded", {{"config", config.config_path.empty() ? "(defaults)" : config.config_path},
                                          {"added", comma_list(summary.added)},
                                          {"removed", comma_list(summary.removed)},
                                          {"reloaded", comma_list(summary.reloaded)},
                                          {"kept", comma_list(summary.kept)},
                                          {"failed", comma_list(summary.failed)}});
}

void LiveReload::start_hangup_thread(const sigset_t& hangup) {
    std::thread([this, hangup] {
        for (;;) {
            int signal_number = 0;
            if (sigwait(&hangup, &signal_number) == 0) reload_config();
        }
    }).detach();
}

}  // namespace agenthost::app
