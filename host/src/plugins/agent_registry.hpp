// Every plugin the host found, in what state and why: the catalogue behind
// /agents and /plugins. Built at start and again on SIGHUP (reload): the new
// catalogue replaces the old one whole, so a reader always sees one
// consistent catalogue, and runs in flight keep the LoadedAgent they
// started on (a shared_ptr) until they end.
#pragma once

#include "config/host_config.hpp"
#include "plugins/loaded_agent.hpp"
#include "plugins/manifest.hpp"
#include "plugins/runner_sandbox.hpp"

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace agenthost::plugins {

enum class PluginState { loaded, disabled, failed };
const char* to_string(PluginState state);

struct PluginRecord {
    std::string name;  // from the manifest, else the folder name
    std::string manifest_path;
    PluginState state = PluginState::failed;
    std::string reason;  // why it is disabled or failed
    std::optional<Manifest> manifest;
    std::shared_ptr<LoadedAgent> agent;  // set when loaded
    // agents.<name>.require_approval: every run waits for a person first.
    // On the record, not the agent, so a reload changes it without
    // reloading the agent.
    bool require_approval = false;
    // Everything that decided how the agent was loaded (manifest, effective
    // config, isolation, limits, exec settings); a reload keeps the loaded
    // agent when it is unchanged.
    std::string fingerprint;
};

// What changed in a reload, by agent name.
struct ReloadSummary {
    std::vector<std::string> added, removed, reloaded, kept, failed;
};

// Which plugins run in a runner process when neither the manifest nor the
// operator's agents.<name>.isolation says so.
struct IsolationPolicy {
    std::string default_isolation = "in_process";  // in_process, process or auto
    std::string first_party_dir;  // auto: plugins under it run in process, others in a runner
    bool sandbox = true;          // runners under bubblewrap where it works
    CrashLoopPolicy crash_loop;
    // Where runs of agents with the "exec" permission get their workspace
    // (<data dir>/workspaces); one folder per agent under it.
    std::string workspaces_dir = "workspaces";
};

// How a reload of one agent went. A failed reload of a loaded agent keeps
// the build that was serving (`agent` is then the old one).
struct AgentReload {
    enum Result { reloaded, failed, not_found, not_loadable } result = failed;
    std::string reason;
    std::shared_ptr<LoadedAgent> agent;
};

class AgentRegistry {
  public:
    // Reads every <dir>/<plugin>/manifest.json and loads the enabled ones.
    // Never throws for a broken plugin: it is recorded as failed, logged with
    // its reason, and the rest carry on.
    static std::unique_ptr<AgentRegistry> discover(const std::vector<std::string>& directories,
                                                   const std::map<std::string, AgentSettings>& agents,
                                                   const IsolationPolicy& policy = {});

    // Reads the directories again with new settings and swaps the catalogue:
    // agents newly enabled are loaded, disabled ones dropped, ones whose
    // manifest or settings changed loaded anew, unchanged ones kept as they
    // are. Runs in flight finish on the instance they started on.
    ReloadSummary reload(const std::vector<std::string>& directories,
                         const std::map<std::string, AgentSettings>& agents, const IsolationPolicy& policy);

    // Reads one agent's manifest and library again (a new build) with the
    // settings of the last discover/reload, and puts it in place for the
    // next runs; runs in flight finish on the build they started on.
    AgentReload reload_agent(const std::string& name);

    // Called after every change of the catalogue (reload or reload_agent),
    // so whoever derives state from it (router, dispatcher) follows.
    void set_on_change(std::function<void()> on_change);

    // Copies of the current catalogue's records; a reload does not change
    // what a caller already holds.
    std::vector<PluginRecord> plugins() const;
    std::shared_ptr<const PluginRecord> find(const std::string& name) const;
    // Loaded agents, sorted by name.
    std::vector<std::shared_ptr<LoadedAgent>> loaded_agents() const;
    size_t count(PluginState state) const;

    struct Catalogue {
        std::vector<PluginRecord> plugins;
        std::map<std::string, size_t> by_name;
    };

  private:
    std::shared_ptr<const Catalogue> snapshot() const;
    void notify_changed();

    // What the catalogue was last built from; reload_agent uses it.
    struct Inputs {
        std::vector<std::string> directories;
        std::map<std::string, AgentSettings> agents;
        IsolationPolicy policy;
    };

    mutable std::mutex mutex_;
    std::shared_ptr<const Catalogue> catalogue_ = std::make_shared<Catalogue>();
    std::function<void()> on_change_;
    std::mutex reload_mutex_;  // one reload at a time; guards inputs_
    Inputs inputs_;
};

// Merges the manifest's default_config with the operator's config (operator
// wins, member by member) and validates it against the config schema.
// Returns the JSON text, or nullopt with `error` set.
std::optional<std::string> effective_config(const Manifest& manifest, const rapidjson::Document* operator_config,
                                            std::string& error);

}  // namespace agenthost::plugins
