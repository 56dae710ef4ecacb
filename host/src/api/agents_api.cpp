#include "api/agents_api.hpp"

#include "api/json_writer.hpp"
#include "api/run_json.hpp"
#include "http/api_error.hpp"
#include "isolation/bubblewrap.hpp"
#include "plugins/manifest.hpp"

#include <map>

namespace agenthost::api {
namespace {

// The isolation mode in force (not just the manifest's request) and, in
// process mode, the runner's pid and how often runners died.
// What the agent may run through the exec service, and how it would be
// confined here.
void write_exec(JsonWriter& out, const plugins::LoadedAgent& agent) {
    if (!agent.manifest().has_permission("exec")) return;
    const exec::ExecSettings& settings = agent.exec_settings();
    out.key("exec");
    out->StartObject();
    out.key("allow");
    out->StartArray();
    for (const auto& name : settings.allow) out->String(name.c_str());
    out->EndArray();
    out.field("network", settings.network);
    out.field("max_timeout_seconds", settings.max_timeout_seconds);
    std::string why;
    out.field("sandbox", isolation::exec_sandbox_available(why) ? std::string("bwrap")
                         : settings.allow_unsandboxed         ? "none: " + why
                                                              : "unavailable (exec refused): " + why);
    out->EndObject();
}

void write_isolation(JsonWriter& out, const plugins::PluginRecord& record) {
    if (!record.agent) return;
    write_exec(out, *record.agent);
    out.field("isolation", plugins::to_string(record.agent->isolation()));
    out.key("max_concurrency");
    out->Int(record.agent->max_concurrency());
    if (record.agent->isolation() != plugins::Isolation::process) return;
    out.key("runner_pid");
    out->Int64(record.agent->runner_pid());
    out.key("runner_crashes");
    out->Int64(record.agent->runner_crashes());
    out.field("sandbox", record.agent->sandbox_description());
}

void write_state(JsonWriter& out, const plugins::PluginRecord& record) {
    // A loaded agent given up on after repeated runner crashes is failed
    // until its cool-down ends or it is reloaded.
    std::string unavailable = record.agent ? record.agent->unavailable_reason() : "";
    if (!unavailable.empty()) {
        out.field("state", "failed");
        out.field("enabled", false);
        out.field("reason", unavailable);
        return;
    }
    out.field("state", plugins::to_string(record.state));
    out.field("enabled", record.state == plugins::PluginState::loaded);
    if (!record.reason.empty()) out.field("reason", record.reason);
    else {
        out.key("reason");
        out->Null();
    }
}

void write_usage(JsonWriter& out, const llm::AgentUsage& usage) {
    out->StartObject();
    out.key("calls");
    out->Int64(usage.calls);
    out.key("failures");
    out->Int64(usage.failures);
    out.key("input_tokens");
    out->Int64(usage.input_tokens);
    out.key("output_tokens");
    out->Int64(usage.output_tokens);
    out.key("total_tokens");
    out->Int64(usage.input_tokens + usage.output_tokens);
    out->EndObject();
}

http::HttpResponse list_agents(const ApiContext& context) {
    auto agents = context.registry.loaded_agents();
    std::map<std::string, std::vector<std::string>> by_domain;
    JsonWriter out;
    out->StartObject();
    out.key("agents");
    out->StartArray();
    for (const auto& agent : agents) {
        out.string(agent->name());
        by_domain[agent->manifest().domain].push_back(agent->name());
    }
    out->EndArray();
    out.key("descriptions");
    out->StartObject();
    for (const auto& agent : agents) out.field(agent->name(), agent->manifest().description);
    out->EndObject();
    out.key("domains");
    out->StartObject();
    for (const auto& [domain, names] : by_domain) out.string_array(domain, names);
    out->EndObject();
    // agent_name null routes through the supervisors when any agent is loaded.
    auto router = context.router != nullptr ? context.router->get() : nullptr;
    out.field("workflow_routing", router != nullptr && !router->agents().empty());
    // Tokens each agent used since this host started (in memory).
    out.key("llm_usage");
    out->StartObject();
    for (const auto& agent : agents) {
        out.key(agent->name());
        write_usage(out, context.llm ? context.llm->usage(agent->name()) : llm::AgentUsage{});
    }
    out->EndObject();
    out->EndObject();
    return http::json_response(200, out.str());
}

http::HttpResponse describe_agent(const ApiContext& context, const std::string& name) {
    auto record = context.registry.find(name);
    if (record == nullptr) throw http::ApiError(404, "AgentNotFound", "no agent named '" + name + "'");
    JsonWriter out;
    out->StartObject();
    out.field("name", record->name);
    write_state(out, *record);
    out.field("manifest_path", record->manifest_path);
    if (record->manifest) {
        const auto& manifest = *record->manifest;
        if (record->agent) {
            out.field("library_version", record->agent->reported_version());
            out.field("library_abi_version", plugins::abi_version_text(record->agent->reported_abi_version()));
        }
        write_isolation(out, *record);
        out.key("manifest");
        manifest.document->Accept(*out);
        if (manifest.has_permission("llm") && context.llm) {
            llm::ProviderChoice choice = context.llm->choice(record->name);
            out.key("llm");
            out->StartObject();
            out.field("provider", choice.provider);
            out.field("model", choice.model);
            out.field("fallback", manifest.llm_fallback);
            out->EndObject();
        }
    }
    out.key("llm_usage");
    write_usage(out, context.llm ? context.llm->usage(record->name) : llm::AgentUsage{});
    out->EndObject();
    return http::json_response(200, out.str());
}

// The plugin's manifest and library are read from disk again (a new build)
// and serve the next runs; runs in flight finish on the build they started
// on. In process mode that is a new runner, which also closes a crash-loop
// circuit at once. A build that does not load leaves the old one serving.
http::HttpResponse reload_plugin(const ApiContext& context, const std::string& name) {
    plugins::AgentReload outcome = context.registry.reload_agent(name);
    switch (outcome.result) {
        case plugins::AgentReload::not_found:
            throw http::ApiError(404, "AgentNotFound", outcome.reason);
        case plugins::AgentReload::not_loadable:
            throw http::ApiError(409, "AgentUnavailable", "agent '" + name + "' cannot be reloaded: " + outcome.reason);
        case plugins::AgentReload::failed:
            throw http::ApiError(409, "ReloadFailed",
                                 "agent '" + name + "' did not reload: " + outcome.reason +
                                     (outcome.agent ? " (the build loaded before keeps serving)" : ""));
        case plugins::AgentReload::reloaded:
            break;
    }
    const plugins::LoadedAgent& agent = *outcome.agent;
    JsonWriter out;
    out->StartObject();
    out.field("name", name);
    out.field("status", "reloaded");
    out.field("version", agent.reported_version());
    out.field("abi_version", plugins::abi_version_text(agent.reported_abi_version()));
    out.field("isolation", plugins::to_string(agent.isolation()));
    if (agent.isolation() == plugins::Isolation::process) {
        out.key("runner_pid");
        out->Int64(agent.runner_pid());
    }
    out->EndObject();
    return http::json_response(200, out.str());
}

http::HttpResponse list_plugins(const ApiContext& context) {
    std::vector<runs::StuckRun> stuck = context.runs.stuck_runs();
    JsonWriter out;
    out->StartObject();
    out.key("plugins");
    out->StartArray();
    for (const auto& record : context.registry.plugins()) {
        out->StartObject();
        out.field("name", record.name);
        write_state(out, record);
        out.field("manifest_path", record.manifest_path);
        if (record.manifest) {
            out.field("version", record.manifest->version);
            out.field("domain", record.manifest->domain);
            out.field("library", record.manifest->library_path);
            // What the loaded library reports is what the host runs; the
            // manifest's claim is shown beside it (they agree unless the
            // manifest was edited after the build checked it).
            uint32_t abi = record.agent ? record.agent->reported_abi_version() : record.manifest->abi_version;
            out.field("abi_version", plugins::abi_version_text(abi));
            out.field("manifest_abi_version", plugins::abi_version_text(record.manifest->abi_version));
            if (!record.agent) out.field("isolation", record.manifest->isolation);
        }
        write_isolation(out, record);
        // An in-process plugin that ignores cancellation cannot be killed:
        // its runs past their timeout are shown so an operator can act.
        out.key("stuck_runs");
        out->StartArray();
        for (const auto& run : stuck)
            if (run.agent == record.name) write_stuck_run(out, run);
        out->EndArray();
        out->EndObject();
    }
    out->EndArray();
    out.key("counts");
    out->StartObject();
    out.field("loaded", context.registry.count(plugins::PluginState::loaded));
    out.field("disabled", context.registry.count(plugins::PluginState::disabled));
    out.field("failed", context.registry.count(plugins::PluginState::failed));
    out->EndObject();
    out->EndObject();
    return http::json_response(200, out.str());
}

}  // namespace

void add_agent_routes(http::Router& router, ApiContext& context) {
    router.get("/agents", [&context](const http::HttpRequest&, http::Responder responder) {
        responder.send(list_agents(context));
    });
    router.get("/agents/:name", [&context](const http::HttpRequest& request, http::Responder responder) {
        responder.send(describe_agent(context, request.param("name")));
    });
    router.post("/plugins/:name/reload", [&context](const http::HttpRequest& request, http::Responder responder) {
        responder.send(reload_plugin(context, request.param("name")));
    });
    router.get("/plugins", [&context](const http::HttpRequest&, http::Responder responder) {
        responder.send(list_plugins(context));
    });
}

}  // namespace agenthost::api
