#include "plugins/agent_registry.hpp"

#include "exec/workspace.hpp"
#include "isolation/bubblewrap.hpp"
#include "json/json_util.hpp"
#include "plugins/library_file.hpp"
#include "plugins/runner_sandbox.hpp"
#include "util/log.hpp"

#include <algorithm>
#include <functional>
#include <filesystem>
#include <set>

namespace agenthost::plugins {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> manifest_files(const std::vector<std::string>& directories) {
    std::vector<std::string> files;
    for (const std::string& directory : directories) {
        std::error_code error;
        if (!fs::is_directory(directory, error)) {
            log::warn("plugin directory not found", {{"directory", directory}});
            continue;
        }
        std::vector<std::string> found;
        for (fs::directory_iterator it(directory, error), end; !error && it != end; it.increment(error)) {
            fs::path manifest = it->path() / "manifest.json";
            std::error_code ignored;
            if (it->is_directory(ignored) && fs::exists(manifest, ignored)) found.push_back(manifest.string());
        }
        std::sort(found.begin(), found.end());  // deterministic order across filesystems
        files.insert(files.end(), found.begin(), found.end());
    }
    return files;
}

void report(const PluginRecord& record) {
    if (record.state == PluginState::loaded)
        log::info("plugin loaded", {{"agent", record.name}, {"manifest", record.manifest_path}});
    else if (record.state == PluginState::disabled)
        log::info("plugin disabled", {{"agent", record.name}, {"reason", record.reason}});
    else
        log::error("plugin skipped", {{"agent", record.name}, {"manifest", record.manifest_path}, {"reason", record.reason}});
}

// The operator decides; an author may ask for more isolation (process) but
// not for less: a plugin from outside the first-party directory runs in a
// runner under `auto` even when its manifest says in_process.
Isolation isolation_of(const Manifest& manifest, const AgentSettings& settings, const IsolationPolicy& policy) {
    if (!settings.isolation.empty()) return settings.isolation == "process" ? Isolation::process : Isolation::in_process;
    if (manifest.isolation == "process" || policy.default_isolation == "process") return Isolation::process;
    if (policy.default_isolation != "auto" || policy.first_party_dir.empty()) return Isolation::in_process;
    std::error_code error;
    fs::path first_party = fs::weakly_canonical(policy.first_party_dir, error);
    fs::path plugin = fs::weakly_canonical(manifest.path, error);
    auto mismatch = std::mismatch(first_party.begin(), first_party.end(), plugin.begin(), plugin.end());
    return mismatch.first == first_party.end() ? Isolation::in_process : Isolation::process;
}

}  // namespace

const char* to_string(PluginState state) {
    switch (state) {
        case PluginState::loaded: return "loaded";
        case PluginState::disabled: return "disabled";
        case PluginState::failed: return "failed";
    }
    return "failed";
}

std::optional<std::string> effective_config(const Manifest& manifest, const rapidjson::Document* operator_config,
                                            std::string& error) {
    rapidjson::Document merged(rapidjson::kObjectType);
    auto& allocator = merged.GetAllocator();
    if (const auto* defaults = json::get_member(*manifest.document, "default_config"))
        merged.CopyFrom(*defaults, allocator);
    if (operator_config != nullptr) {
        for (const auto& member : operator_config->GetObject()) {
            rapidjson::Value value(member.value, allocator);
            auto existing = merged.FindMember(member.name);
            if (existing != merged.MemberEnd()) existing->value = value;
            else merged.AddMember(rapidjson::Value(member.name, allocator), value, allocator);
        }
    }
    if (manifest.config_schema) {
        auto violations = manifest.config_schema->validate(merged, "/agents/" + manifest.name + "/config");
        if (!violations.empty()) {
            error = "invalid config for agent '" + manifest.name + "': " + json::describe(violations);
            return std::nullopt;
        }
    }
    return json::serialize(merged);
}

namespace {

std::string exec_fingerprint(const exec::ExecSettings& exec) {
    std::string text = "allow:";
    for (const auto& name : exec.allow) text += name + ",";
    text += ";env:";
    for (const auto& [name, value] : exec.env) text += name + "=" + value + ",";
    text += ";ro:";
    for (const auto& path : exec.read_only_paths) text += path + ",";
    return text + ";net:" + std::to_string(exec.network) + ";max:" + std::to_string(exec.max_timeout_seconds) +
           ";unsandboxed:" + std::to_string(exec.allow_unsandboxed);
}

std::string fingerprint_of(const Manifest& manifest, const std::string& config, Isolation isolation,
                           const RunnerSandbox& sandbox, const AgentSettings& settings) {
    std::string text = json::serialize(*manifest.document) + "\n" + config + "\n" + to_string(isolation);
    text += "\nbwrap:" + std::to_string(sandbox.use_bwrap) + ";net:" + std::to_string(sandbox.network) +
            ";mem:" + std::to_string(sandbox.limits.memory_mb) + ";cpu:" + std::to_string(sandbox.limits.cpu_seconds) +
            ";files:" + std::to_string(sandbox.limits.open_files) +
            ";crashes:" + std::to_string(sandbox.crash_loop.max_crashes) + "/" +
            std::to_string(sandbox.crash_loop.window_seconds) + "/" + std::to_string(sandbox.crash_loop.cooldown_seconds);
    for (const auto& directory : sandbox.writable_dirs) text += ";rw:" + directory;
    text += "\nconcurrency:" + std::to_string(settings.max_concurrency) + "\nexec:" + exec_fingerprint(settings.exec);
    text += "\nhttp:";
    for (const auto& host : settings.http.allowed_hosts) text += host + ",";
    text += ";timeout:" + std::to_string(settings.http.max_timeout_seconds) +
            ";bytes:" + std::to_string(settings.http.max_response_bytes);
    return text;
}

// The previous catalogue's loaded agent of this name, when it was loaded
// exactly so (same fingerprint): a reload keeps it, runner and all.
std::shared_ptr<LoadedAgent> reusable(const AgentRegistry::Catalogue* previous, const std::string& name,
                                      const std::string& fingerprint) {
    if (previous == nullptr) return nullptr;
    auto found = previous->by_name.find(name);
    if (found == previous->by_name.end()) return nullptr;
    const PluginRecord& old = previous->plugins[found->second];
    if (old.state != PluginState::loaded || old.fingerprint != fingerprint) return nullptr;
    return old.agent;
}

// Loads (or keeps) one enabled plugin whose manifest is good.
void load_enabled(PluginRecord& record, const AgentSettings& settings, const IsolationPolicy& policy,
                  const AgentRegistry::Catalogue* previous) {
    std::string error;
    Isolation isolation = isolation_of(*record.manifest, settings, policy);
    auto config = effective_config(*record.manifest, settings.config.get(), error);
    if (!config) {
        record.reason = error;
        return;
    }
    RunnerSandbox sandbox;
    std::string workspace_root;
    const bool execs = record.manifest->has_permission("exec");
    if (execs || isolation == Isolation::process) {
        // Each run gets a private directory under this root (exec commands
        // run there; in a runner it is the only writable place besides the
        // runner's own /tmp). Made now so a sandboxed runner can bind it.
        workspace_root = exec::agent_workspace_root(policy.workspaces_dir, record.name);
        std::error_code ignored;
        fs::create_directories(workspace_root, ignored);
        sandbox.writable_dirs.push_back(workspace_root);
    }
    if (execs) {
        std::string why;
        if (!isolation::exec_sandbox_available(why))
            log::warn(settings.exec.allow_unsandboxed ? "exec sandbox unavailable: the agent's programs run unconfined "
                                                        "(agents.<name>.exec.allow_unsandboxed)"
                                                      : "exec sandbox unavailable: the agent's exec calls will be refused",
                      {{"agent", record.name}, {"reason", why}});
    }
    std::string why_not;
    if (isolation == Isolation::process) {
        sandbox.use_bwrap = policy.sandbox && bwrap_available(why_not);
        sandbox.readable_paths.push_back(record.manifest->library_path);
        // What the operator lets the agent's programs read, the agent may
        // read too (an analyzer reading a local repository in place).
        if (execs)
            for (const auto& path : settings.exec.read_only_paths) sandbox.readable_paths.push_back(path);
        sandbox.network = record.manifest->has_permission("http");
        sandbox.crash_loop = policy.crash_loop;
        if (settings.memory_mb >= 0) sandbox.limits.memory_mb = settings.memory_mb;
        if (settings.cpu_seconds >= 0) sandbox.limits.cpu_seconds = settings.cpu_seconds;
        if (settings.open_files >= 0) sandbox.limits.open_files = settings.open_files;
    }
    // The build on disk too: a SIGHUP after a rebuild loads the new one.
    record.fingerprint = fingerprint_of(*record.manifest, *config, isolation, sandbox, settings) +
                         "\nlibrary:" + identify_library(record.manifest->library_path).text();
    if (auto kept = reusable(previous, record.name, record.fingerprint)) {
        record.agent = std::move(kept);
        record.state = PluginState::loaded;
        return;
    }
    if (isolation == Isolation::process && policy.sandbox && !sandbox.use_bwrap)
        log::warn("plugin runner starts without a sandbox", {{"agent", record.name}, {"reason", why_not}});
    record.agent = LoadedAgent::load(*record.manifest, *config, error, isolation, sandbox);
    if (!record.agent) {
        record.reason = error;
        return;
    }
    record.agent->set_max_concurrency(settings.max_concurrency);
    record.agent->set_exec(settings.exec, workspace_root);
    record.agent->set_http(settings.http);
    record.state = PluginState::loaded;
}

// The record of the plugin whose manifest is at `path`: read, and loaded
// (or kept from `previous`) when enabled. `taken` names agents already
// provided by an earlier manifest.
PluginRecord record_for(const std::string& path, const std::map<std::string, AgentSettings>& agents,
                        const IsolationPolicy& policy, const AgentRegistry::Catalogue* previous,
                        const std::function<const std::string*(const std::string&)>& taken) {
    PluginRecord record;
    record.manifest_path = path;
    ManifestResult read = read_manifest(path);
    record.name = read.manifest ? read.manifest->name
                  : !read.name_hint.empty() ? read.name_hint
                                            : fs::path(path).parent_path().filename().string();
    auto settings = agents.find(record.name);
    bool enabled = settings != agents.end() && settings->second.enabled;
    record.require_approval = settings != agents.end() && settings->second.require_approval;
    if (!read.manifest) {
        // A broken plugin nobody enabled is no fault of the host's.
        if (!enabled) record.state = PluginState::disabled;
        record.reason = enabled ? read.error : "not enabled in the host config; its manifest is broken too: " + read.error;
    } else if (const std::string* other = taken(record.name)) {
        record.reason = "duplicate agent name '" + record.name + "': already provided by " + *other;
    } else {
        record.manifest = std::move(read.manifest);
        if (!enabled) {
            record.state = PluginState::disabled;
            record.reason = "not enabled in the host config (agents." + record.name + ".enabled)";
        } else {
            load_enabled(record, settings->second, policy, previous);
        }
    }
    return record;
}

std::shared_ptr<AgentRegistry::Catalogue> build_catalogue(const std::vector<std::string>& directories,
                                                          const std::map<std::string, AgentSettings>& agents,
                                                          const IsolationPolicy& policy,
                                                          const AgentRegistry::Catalogue* previous) {
    auto catalogue = std::make_shared<AgentRegistry::Catalogue>();
    auto taken = [&catalogue](const std::string& name) -> const std::string* {
        auto found = catalogue->by_name.find(name);
        return found == catalogue->by_name.end() ? nullptr : &catalogue->plugins[found->second].manifest_path;
    };
    for (const std::string& path : manifest_files(directories)) {
        PluginRecord record = record_for(path, agents, policy, previous, taken);
        if (!catalogue->by_name.count(record.name)) catalogue->by_name[record.name] = catalogue->plugins.size();
        catalogue->plugins.push_back(std::move(record));
    }
    // An agent the operator enabled but no directory provides is a failure
    // too: it would otherwise vanish without a word.
    for (const auto& [name, settings] : agents) {
        if (!settings.enabled || catalogue->by_name.count(name)) continue;
        PluginRecord record;
        record.name = name;
        std::string searched;
        for (const auto& directory : directories) searched += (searched.empty() ? "" : ", ") + directory;
        record.reason = "enabled in the host config but no plugin named '" + name + "' was found in: " +
                        (searched.empty() ? "(no plugin directories)" : searched);
        catalogue->by_name[name] = catalogue->plugins.size();
        catalogue->plugins.push_back(std::move(record));
    }
    return catalogue;
}

}  // namespace

std::unique_ptr<AgentRegistry> AgentRegistry::discover(const std::vector<std::string>& directories,
                                                       const std::map<std::string, AgentSettings>& agents,
                                                       const IsolationPolicy& policy) {
    auto registry = std::make_unique<AgentRegistry>();
    // Nothing executes yet: workspaces still here were left by a host that
    // died mid-run, and belong to no one.
    std::error_code ignored;
    for (fs::directory_iterator agent(policy.workspaces_dir, ignored), end; !ignored && agent != end; agent.increment(ignored))
        for (fs::directory_iterator run(agent->path(), ignored), none; !ignored && run != none; run.increment(ignored))
            fs::remove_all(run->path(), ignored);
    ignored.clear();
    auto catalogue = build_catalogue(directories, agents, policy, nullptr);
    for (const auto& record : catalogue->plugins) report(record);
    registry->catalogue_ = std::move(catalogue);
    registry->inputs_ = {directories, agents, policy};
    return registry;
}

ReloadSummary AgentRegistry::reload(const std::vector<std::string>& directories,
                                    const std::map<std::string, AgentSettings>& agents,
                                    const IsolationPolicy& policy) {
    std::lock_guard<std::mutex> one_reload_at_a_time(reload_mutex_);
    std::shared_ptr<const Catalogue> previous = snapshot();
    // Loading happens outside the lock: readers keep the old catalogue
    // meanwhile.
    std::shared_ptr<const Catalogue> next = build_catalogue(directories, agents, policy, previous.get());
    ReloadSummary summary;
    auto was_loaded = [&previous](const std::string& name) -> std::shared_ptr<LoadedAgent> {
        auto found = previous->by_name.find(name);
        if (found == previous->by_name.end()) return nullptr;
        const PluginRecord& old = previous->plugins[found->second];
        return old.state == PluginState::loaded ? old.agent : nullptr;
    };
    for (const auto& record : next->plugins) {
        auto old = was_loaded(record.name);
        if (record.state == PluginState::loaded) {
            if (!old) summary.added.push_back(record.name);
            else if (old == record.agent) summary.kept.push_back(record.name);
            else summary.reloaded.push_back(record.name);
        } else {
            if (record.state == PluginState::failed) summary.failed.push_back(record.name);
            if (old) summary.removed.push_back(record.name);
        }
        // Only what changed is worth a line.
        if (!(old && old == record.agent)) report(record);
    }
    for (const auto& old : previous->plugins)
        if (old.state == PluginState::loaded && next->by_name.count(old.name) == 0) summary.removed.push_back(old.name);
    {
        std::lock_guard<std::mutex> lock(mutex_);
        catalogue_ = std::move(next);
    }
    inputs_ = {directories, agents, policy};
    notify_changed();
    return summary;
}

AgentReload AgentRegistry::reload_agent(const std::string& name) {
    std::lock_guard<std::mutex> one_reload_at_a_time(reload_mutex_);
    std::shared_ptr<const Catalogue> current = snapshot();
    AgentReload outcome;
    auto found = current->by_name.find(name);
    if (found == current->by_name.end()) {
        outcome.result = AgentReload::not_found;
        outcome.reason = "no agent named '" + name + "'";
        return outcome;
    }
    const PluginRecord& old = current->plugins[found->second];
    if (old.state == PluginState::disabled || old.manifest_path.empty()) {
        outcome.result = AgentReload::not_loadable;
        outcome.reason = old.reason;
        return outcome;
    }
    // Everything read again (manifest and library); nothing kept from before.
    auto taken = [&](const std::string& other) -> const std::string* {
        auto at = current->by_name.find(other);
        return at == current->by_name.end() || other == name ? nullptr : &current->plugins[at->second].manifest_path;
    };
    PluginRecord fresh = record_for(old.manifest_path, inputs_.agents, inputs_.policy, nullptr, taken);
    if (fresh.name != name) {
        outcome.result = AgentReload::failed;
        outcome.reason = old.manifest_path + " now declares agent '" + fresh.name + "', not '" + name +
                         "': a renamed agent needs a config reload (SIGHUP)";
        outcome.agent = old.agent;  // still serving, as for any refused build
        return outcome;
    }
    if (fresh.state != PluginState::loaded && old.state == PluginState::loaded) {
        // A broken build does not take a working agent down.
        outcome.result = AgentReload::failed;
        outcome.reason = fresh.reason;
        outcome.agent = old.agent;
        log::error("plugin reload failed; the loaded build keeps serving", {{"agent", name}, {"reason", fresh.reason}});
        return outcome;
    }
    outcome.result = fresh.state == PluginState::loaded ? AgentReload::reloaded : AgentReload::failed;
    outcome.reason = fresh.reason;
    outcome.agent = fresh.agent;
    report(fresh);
    auto next = std::make_shared<Catalogue>(*current);
    next->plugins[found->second] = std::move(fresh);
    {
        std::lock_guard<std::mutex> lock(mutex_);
        catalogue_ = std::move(next);
    }
    notify_changed();
    return outcome;
}

void AgentRegistry::set_on_change(std::function<void()> on_change) {
    std::lock_guard<std::mutex> lock(mutex_);
    on_change_ = std::move(on_change);
}

void AgentRegistry::notify_changed() {
    std::function<void()> on_change;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        on_change = on_change_;
    }
    if (on_change) on_change();
}

std::shared_ptr<const AgentRegistry::Catalogue> AgentRegistry::snapshot() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return catalogue_;
}

std::vector<PluginRecord> AgentRegistry::plugins() const { return snapshot()->plugins; }

std::shared_ptr<const PluginRecord> AgentRegistry::find(const std::string& name) const {
    std::shared_ptr<const Catalogue> catalogue = snapshot();
    auto found = catalogue->by_name.find(name);
    if (found == catalogue->by_name.end()) return nullptr;
    // Shares ownership of the whole catalogue, so the record outlives a swap.
    return std::shared_ptr<const PluginRecord>(catalogue, &catalogue->plugins[found->second]);
}

std::vector<std::shared_ptr<LoadedAgent>> AgentRegistry::loaded_agents() const {
    std::shared_ptr<const Catalogue> catalogue = snapshot();
    std::vector<std::shared_ptr<LoadedAgent>> agents;
    for (const auto& [name, index] : catalogue->by_name) {
        if (catalogue->plugins[index].state == PluginState::loaded) agents.push_back(catalogue->plugins[index].agent);
    }
    return agents;
}

size_t AgentRegistry::count(PluginState state) const {
    std::shared_ptr<const Catalogue> catalogue = snapshot();
    return static_cast<size_t>(std::count_if(catalogue->plugins.begin(), catalogue->plugins.end(),
                                             [&](const PluginRecord& r) { return r.state == state; }));
}

}  // namespace agenthost::plugins
