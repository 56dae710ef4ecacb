// What the REST handlers need from the rest of the host, gathered so each
// handler file takes one argument.
#pragma once

#include "auth/authenticator.hpp"
#include "auth/key_service.hpp"
#include "deployments/deployment_service.hpp"
#include "github/github_settings.hpp"
#include "github/oauth_state.hpp"
#include "http/blocking_work.hpp"
#include "http/stream_hub.hpp"
#include "http/websocket_hub.hpp"
#include "llm/llm_service.hpp"
#include "plugins/agent_registry.hpp"
#include "routing/router_slot.hpp"
#include "runs/run_service.hpp"
#include "runs/workflow_service.hpp"
#include "runs/worker_pool.hpp"
#include "signals/incident_service.hpp"
#include "threads/thread_service.hpp"
#include "webhooks/webhook_settings.hpp"

#include <atomic>
#include <chrono>
#include <string>

namespace agenthost::memory_store {
class MemoryStore;
}
namespace agenthost::crons {
class CronService;
}

namespace agenthost::api {

struct ApiContext {
    plugins::AgentRegistry& registry;
    runs::RunService& runs;
    const runs::WorkerPool& workers;
    http::StreamHub& streams;
    const webhooks::WebhookSettings& webhooks;
    std::string version;
    std::string database;  // for /health, without credentials
    size_t max_text_length;
    std::chrono::steady_clock::time_point started_at;
    // False until start-up completes and again once shutdown begins.
    std::atomic<bool> ready{false};
    // /ready answers 503 while the database refuses writes.
    bool unready_when_writes_fail = false;
    // Set by main after construction.
    runs::WorkflowService* workflows = nullptr;
    const routing::RouterSlot* router = nullptr;  // null: routing not available
    // Null in hosts without an LLM layer: /health then says not_configured.
    llm::LlmService* llm = nullptr;
    // API keys (/admin/keys); null in hosts without a store of keys.
    auth::KeyService* keys = nullptr;
    const auth::Authenticator* authenticator = nullptr;
    // The store the usage rollups are read from (/usage); null: no /usage.
    store::Store* store = nullptr;
    // Threads as a resource, their memory and checkpoints.
    threads::ThreadService* threads = nullptr;
    // The long-term store (/store/...); null: those routes are not served.
    memory_store::MemoryStore* store_items = nullptr;
    // Seed 002's integrations, signals and incidents; null: not served.
    signals::IncidentService* incidents = nullptr;
    // GET /stream's WebSocket connections; null: not served.
    http::WebSocketHub* websockets = nullptr;
    // Crons (POST /runs/crons ...); null: those routes are not served.
    crons::CronService* crons = nullptr;
    // Seed 000's deployment projects; null: the /deployment routes answer 503.
    deployments::DeploymentService* deployments = nullptr;
    // The operator's GitHub settings (/github/*); null: defaults, no token.
    const github::GitHubSettings* github = nullptr;
    // States of the GitHub App's OAuth flow (install issues, callback accepts);
    // null: the callback refuses every state.
    github::OAuthStates* oauth_states = nullptr;
    // Where handlers that wait on outside services run; null: inline.
    http::BlockingWork* blocking = nullptr;
};

// `handler` on the context's blocking threads (inline when there are none).
inline http::Handler waits_outside(ApiContext& context, http::Handler handler) {
    return context.blocking != nullptr ? context.blocking->wrap(std::move(handler)) : handler;
}

}  // namespace agenthost::api
