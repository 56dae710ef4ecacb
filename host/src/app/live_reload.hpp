// Changes to the plugin catalogue while the host runs: SIGHUP (the config
// read again), POST /plugins/{name}/reload and plugins.watch (a new build of
// one library). Whatever changed the catalogue, the task router and the run
// dispatcher follow it here, so the three paths cannot drift apart.
#pragma once

#include "config/host_config.hpp"
#include "plugins/agent_registry.hpp"
#include "plugins/library_watcher.hpp"
#include "routing/router_slot.hpp"
#include "runs/run_dispatcher.hpp"

#include <csignal>
#include <memory>
#include <mutex>

namespace agenthost::app {

class LiveReload {
  public:
    // Registers itself as the registry's change listener.
    LiveReload(HostConfig config, int argc, char** argv, plugins::AgentRegistry& registry,
               runs::RunDispatcher& dispatcher, routing::RouterSlot& router);
    ~LiveReload();

    // A thread that waits for SIGHUP (blocked in every thread) and applies
    // the config's plugins and agents sections.
    void start_hangup_thread(const sigset_t& hangup);
    // plugins.watch: loads rebuilt libraries.
    void start_watching();

  private:
    void on_catalogue_changed();
    void reload_config();

    int argc_;
    char** argv_;
    plugins::AgentRegistry& registry_;
    runs::RunDispatcher& dispatcher_;
    routing::RouterSlot& router_;
    std::mutex config_mutex_;
    HostConfig config_;  // the config in force (SIGHUP replaces it)
    std::unique_ptr<plugins::LibraryWatcher> watcher_;
};

}  // namespace agenthost::app
