#include "plugins/agent_registry.hpp"

#include "exec/workspace.hpp"
#include "json/json_util.hpp"
#include "plugins/runner_sandbox.hpp"
#include "util/log.hpp"

#include <algorithm>
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

std::unique_ptr<AgentRegistry> AgentRegistry::discover(const std::vector<std::string>& directories,
                                                       const std::map<std::string, AgentSettings>& agents,
                                                       const IsolationPolicy& policy) {
    auto registry = std::make_unique<AgentRegistry>();
    for (const std::string& path : manifest_files(directories)) {
        PluginRecord record;
        record.manifest_path = path;
        ManifestResult read = read_manifest(path);
        record.name = read.manifest ? read.manifest->name
                      : !read.name_hint.empty() ? read.name_hint
                                                : fs::path(path).parent_path().filename().string();
        auto settings = agents.find(record.name);
        bool enabled = settings != agents.end() && settings->second.enabled;
        if (!read.manifest) {
            // A broken plugin nobody enabled is no fault of the host's.
            if (!enabled) record.state = PluginState::disabled;
            record.reason = enabled ? read.error : "not enabled in the host config; its manifest is broken too: " + read.error;
        } else if (registry->by_name_.count(record.name) != 0) {
            record.reason = "duplicate agent name '" + record.name + "': already provided by " +
                            registry->plugins_[registry->by_name_[record.name]].manifest_path;
        } else {
            record.manifest = std::move(read.manifest);
            if (!enabled) {
                record.state = PluginState::disabled;
                record.reason = "not enabled in the host config (agents." + record.name + ".enabled)";
            } else {
                std::string error;
                Isolation isolation = isolation_of(*record.manifest, settings->second, policy);
                auto config = effective_config(*record.manifest, settings->second.config.get(), error);
                RunnerSandbox sandbox;
                std::string workspace_root;
                if (record.manifest->has_permission("exec")) {
                    // Made now so a sandboxed runner can bind it writable.
                    workspace_root = exec::agent_workspace_root(policy.workspaces_dir, record.name);
                    std::error_code ignored;
                    fs::create_directories(workspace_root, ignored);
                    sandbox.writable_dirs.push_back(workspace_root);
                }
                if (isolation == Isolation::process) {
                    std::string why_not;
                    sandbox.use_bwrap = policy.sandbox && bwrap_available(why_not);
                    sandbox.network = record.manifest->has_permission("http");
                    sandbox.crash_loop = policy.crash_loop;
                    const AgentSettings& agent = settings->second;
                    if (agent.memory_mb >= 0) sandbox.limits.memory_mb = agent.memory_mb;
                    if (agent.cpu_seconds >= 0) sandbox.limits.cpu_seconds = agent.cpu_seconds;
                    if (agent.open_files >= 0) sandbox.limits.open_files = agent.open_files;
                    if (policy.sandbox && !sandbox.use_bwrap)
                        log::warn("plugin runner starts without a sandbox",
                                  {{"agent", record.name}, {"reason", why_not}});
                }
                if (config) record.agent = LoadedAgent::load(*record.manifest, *config, error, isolation, sandbox);
                if (record.agent) record.agent->set_max_concurrency(settings->second.max_concurrency);
                if (record.agent) record.agent->set_exec(settings->second.exec, workspace_root);
                if (record.agent) record.state = PluginState::loaded;
                else record.reason = error;
            }
        }
        report(record);
        if (!registry->by_name_.count(record.name)) registry->by_name_[record.name] = registry->plugins_.size();
        registry->plugins_.push_back(std::move(record));
    }
    // An agent the operator enabled but no directory provides is a failure
    // too: it would otherwise vanish without a word.
    for (const auto& [name, settings] : agents) {
        if (!settings.enabled || registry->by_name_.count(name)) continue;
        PluginRecord record;
        record.name = name;
        std::string searched;
        for (const auto& directory : directories) searched += (searched.empty() ? "" : ", ") + directory;
        record.reason = "enabled in the host config but no plugin named '" + name + "' was found in: " +
                        (searched.empty() ? "(no plugin directories)" : searched);
        report(record);
        registry->by_name_[name] = registry->plugins_.size();
        registry->plugins_.push_back(std::move(record));
    }
    return registry;
}

const PluginRecord* AgentRegistry::find(const std::string& name) const {
    auto found = by_name_.find(name);
    return found == by_name_.end() ? nullptr : &plugins_[found->second];
}

std::vector<std::shared_ptr<LoadedAgent>> AgentRegistry::loaded_agents() const {
    std::vector<std::shared_ptr<LoadedAgent>> agents;
    for (const auto& [name, index] : by_name_) {
        if (plugins_[index].state == PluginState::loaded) agents.push_back(plugins_[index].agent);
    }
    return agents;
}

size_t AgentRegistry::count(PluginState state) const {
    return static_cast<size_t>(
        std::count_if(plugins_.begin(), plugins_.end(), [&](const PluginRecord& r) { return r.state == state; }));
}

}  // namespace agenthost::plugins
