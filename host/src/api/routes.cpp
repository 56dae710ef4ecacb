#include "api/routes.hpp"

#include "api/agents_api.hpp"
#include "api/assistant_api.hpp"
#include "api/deployment_api.hpp"
#include "api/github_api.hpp"
#include "api/crons_api.hpp"
#include "api/console_api.hpp"
#include "api/health_api.hpp"
#include "api/incidents_api.hpp"
#include "api/signals_api.hpp"
#include "api/sre_config_api.hpp"
#include "api/run_batch_api.hpp"
#include "api/metrics_api.hpp"
#include "api/openapi_api.hpp"
#include "api/run_waits_api.hpp"
#include "api/seed003_api.hpp"
#include "api/invoke_api.hpp"
#include "api/keys_api.hpp"
#include "api/orchestrate_api.hpp"
#include "api/pipeline_api.hpp"
#include "api/runs_api.hpp"
#include "api/store_api.hpp"
#include "api/stream_api.hpp"
#include "api/thread_state_api.hpp"
#include "api/threads_api.hpp"
#include "api/usage_api.hpp"
#include "api/websocket_stream_api.hpp"
#include "api/webhooks_api.hpp"
#include "api/workflow_api.hpp"
#include "auth/route_access.hpp"
#include "json/json_util.hpp"

namespace agenthost::api {

namespace {

// A request that streams takes its connection over, which must happen on
// its reactor thread (the input sink is installed before the reactor reads
// again), so it stays there.
bool streams(const std::string& pattern, const http::HttpRequest& request) {
    if (pattern.find("/stream") != std::string::npos) return true;
    if (request.body.find("\"stream\"") == std::string::npos) return false;
    std::string error;
    auto body = json::parse(request.body, error);
    const rapidjson::Value* stream = body ? json::get_member(*body, "stream") : nullptr;
    return stream != nullptr && stream->IsBool() && stream->GetBool();
}

// A run-creating request whose task names no agent asks the LLM which one
// fits, when one is configured: seconds on a reactor thread would stall
// every connection on it, so such hosts take these requests to the blocking
// threads (whether a request names an agent is known only inside its
// handler; the hop costs microseconds against the LLM's seconds).
void routing_off_reactor(http::Router& router, ApiContext& context) {
    if (context.blocking == nullptr || context.llm == nullptr) return;
    router.rewrap([&context](const std::string& method, const std::string& pattern, http::Handler handler) {
        if (!auth::route_access(method, http::split_path(pattern)).creates_runs) return handler;
        return context.blocking->wrap_when(
            [&context, pattern](const http::HttpRequest& request) {
                return context.llm->configured() && !streams(pattern, request);
            },
            std::move(handler));
    });
}

}  // namespace

void add_routes(http::Router& router, ApiContext& context) {
    add_health_routes(router, context);
    add_metrics_routes(router, context);
    add_seed003_routes(router, context);
    // Before the runs' own routes: /runs/batch and /runs/crons/... are
    // not run ids.
    add_run_batch_routes(router, context);
    if (context.crons != nullptr) add_cron_routes(router, context, *context.crons);
    add_run_wait_routes(router, context);
    add_agent_routes(router, context);
    add_invoke_routes(router, context);
    add_run_routes(router, context);
    add_thread_routes(router, context);
    add_thread_state_routes(router, context);
    add_store_routes(router, context);
    add_pipeline_routes(router, context);
    add_stream_routes(router, context);
    add_webhook_routes(router, context);
    add_workflow_routes(router, context);
    add_orchestrate_routes(router, context);
    add_deployment_routes(router, context);
    add_github_routes(router, context);
    add_assistant_routes(router, context);
    add_key_routes(router, context);
    add_usage_routes(router, context);
    add_sre_config_routes(router, context);
    add_signal_routes(router, context);
    add_incident_routes(router, context);
    add_websocket_routes(router, context);
    add_console_routes(router);
    routing_off_reactor(router, context);
    // Last: it documents every route above.
    add_openapi_routes(router, context);
}

}  // namespace agenthost::api
