#include "api/health_api.hpp"

#include "api/json_writer.hpp"
#include "api/run_json.hpp"
#include "http/api_error.hpp"

namespace agenthost::api {
namespace {

http::HttpResponse health(const ApiContext& context) {
    size_t loaded = context.registry.count(plugins::PluginState::loaded);
    size_t failed = context.registry.count(plugins::PluginState::failed);
    // Agents given up on after repeated runner crashes count as failed.
    for (const auto& agent : context.registry.loaded_agents())
        if (!agent->unavailable_reason().empty()) ++failed;
    size_t disabled = context.registry.count(plugins::PluginState::disabled);
    const char* plugin_status = failed == 0 ? "healthy" : "degraded";
    bool database_up = context.runs.store_healthy();
    // A full disk or a read-only file: reads work, writes do not.
    std::string write_problem = database_up ? context.runs.store_write_problem() : std::string();
    const char* database_status = !database_up ? "unreachable" : !write_problem.empty() ? "write_failing" : "healthy";
    bool healthy = failed == 0 && database_up && write_problem.empty();
    std::vector<runs::StuckRun> stuck = context.runs.stuck_runs();
    double uptime = std::chrono::duration<double>(std::chrono::steady_clock::now() - context.started_at).count();

    JsonWriter out;
    out->StartObject();
    out.field("status", healthy && stuck.empty() ? "healthy" : "degraded");
    out.field("version", context.version);
    out.field("database", database_status);
    // The LLM never degrades the host's status: agents fall back or fail
    // runs one by one, and the cached probe keeps this request off the network.
    llm::LlmHealth llm = context.llm ? context.llm->health() : llm::LlmHealth{"not_configured", "offline", "", ""};
    out.field("llm", llm.status);
    out.key("components");
    out->StartObject();
    out.key("plugins");
    out->StartObject();
    out.field("status", plugin_status);
    out.field("loaded", loaded);
    out.field("failed", failed);
    out.field("disabled", disabled);
    out->EndObject();
    out.key("database");
    out->StartObject();
    out.field("status", database_status);
    out.field("url", context.database);
    if (!write_problem.empty()) out.field("detail", "writes fail: " + write_problem);
    out->EndObject();
    out.key("workers");
    out->StartObject();
    out.field("status", "healthy");
    out.field("threads", context.workers.threads());
    out.field("busy", context.workers.busy());
    out.field("queued", context.workers.queued());
    out->EndObject();
    // Runs past their timeout whose plugin ignores cancellation: each pins
    // a worker until it returns.
    out.key("runs");
    out->StartObject();
    out.field("status", stuck.empty() ? "healthy" : "degraded");
    out.field("executing", context.runs.executing());
    out.key("stuck");
    out->StartArray();
    for (const auto& run : stuck) write_stuck_run(out, run);
    out->EndArray();
    out->EndObject();
    out.key("streams");
    out->StartObject();
    out.field("status", "healthy");
    out.field("open", context.streams.open_streams());
    out.field("followers", context.runs.feed().followers());
    out->EndObject();
    out.key("llm");
    out->StartObject();
    out.field("status", llm.status);
    out.field("provider", llm.provider);
    out.field("model", llm.model);
    if (!llm.detail.empty()) out.field("detail", llm.detail);
    out->EndObject();
    out->EndObject();
    out.field("uptime_seconds", uptime);
    out->EndObject();
    return http::json_response(200, out.str());
}

}  // namespace

void add_health_routes(http::Router& router, ApiContext& context) {
    router.get("/health", [&context](const http::HttpRequest&, http::Responder responder) {
        responder.send(health(context));
    });
    router.get("/ready", [&context](const http::HttpRequest& request, http::Responder responder) {
        if (context.unready_when_writes_fail && context.ready.load()) {
            if (std::string problem = context.runs.store_write_problem(); !problem.empty()) {
                http::ApiError error(503, "NotReady", "the database refuses writes: " + problem);
                error.headers.emplace_back("Retry-After", "5");
                throw error;
            }
        }
        if (!context.ready.load()) {
            http::ApiError error(503, "NotReady", "the host is starting or shutting down");
            error.headers.emplace_back("Retry-After", "1");
            throw error;
        }
        JsonWriter out;
        out->StartObject();
        out.field("status", "ready");
        out.field("agents", context.registry.count(plugins::PluginState::loaded));
        out->EndObject();
        (void)request;
        responder.send(http::json_response(200, out.str()));
    });
}

}  // namespace agenthost::api
