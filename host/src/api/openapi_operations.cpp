#include "api/openapi_operations.hpp"

namespace agenthost::api {
namespace {

// Parameters several routes share.
const ParameterDoc kLastEventId{"header", "Last-Event-ID", "integer",
                                "Resume after this event sequence number (sent by EventSource on reconnect)."};
const ParameterDoc kLastEventIdQuery{"query", "last_event_id", "integer", "As the Last-Event-ID header."};
const ParameterDoc kOnDisconnect{"query", "on_disconnect", "string",
                                 "continue (the default) or cancel: cancel the run when the client goes away "
                                 "(needs the cancel scope)."};
const ParameterDoc kIdempotencyKey{"header", "Idempotency-Key", "string",
                                   "A retry with the same key answers what the first attempt created."};
const ParameterDoc kCursor{"query", "cursor", "string", "next_cursor of the previous page."};

const ResponseDoc kAccepted{202, "responses/run-accepted", "Stored and queued; Location names the run."};
const ResponseDoc kRunStream{200, "sse", "Server-sent events: the run's event log, then its end."};

}  // namespace

const std::vector<OperationDoc>& operation_docs() {
    static const std::vector<OperationDoc> all = {
        // Probes and operators.
        {"GET", "/health", "health", "Health of the host and its parts", nullptr,
         {{200, "responses/health", "The host's health (degraded parts are named)."}}},
        {"GET", "/ready", "health", "Readiness: the host accepts work", nullptr,
         {{200, "responses/ready", "Ready."}, {503, "error", "Starting, stopping, or the database refuses writes."}}},
        {"GET", "/metrics", "health", "Prometheus metrics", nullptr,
         {{200, "text", "The Prometheus text exposition format 0.0.4."}}},
        {"GET", "/api/v1/health", "seed 004", "Seed 004's health check", nullptr,
         {{200, "responses/pipeline-health", "Healthy."}, {503, "responses/pipeline-health", "The database is unreachable."}}},

        // Agents and plugins.
        {"GET", "/agents", "agents", "The enabled agents", nullptr,
         {{200, "responses/agent-list", "Agents by name and domain."}}},
        {"GET", "/agents/:name", "agents", "One agent: state, manifest, LLM use", nullptr,
         {{200, "responses/agent", "The agent."}, {404, "error", "No such agent."}}},
        {"GET", "/plugins", "agents", "Every plugin found, loaded or not", nullptr,
         {{200, "responses/plugin-list", "The plugins."}}},
        {"POST", "/plugins/:name/reload", "agents",
         "Load a new build of an agent's library (runs in flight finish on the old one)", nullptr,
         {{200, "responses/plugin-reload", "The new build serves the next runs."},
          {404, "error", "No such agent."},
          {409, "error", "Not enabled (AgentUnavailable), or the new build does not load (ReloadFailed; the old "
                         "one keeps serving)."}}},

        // Invoking agents.
        {"POST", "/agent/invoke", "runs", "Run an agent and wait for its result (seed 001)", "requests/agent-invoke",
         {{200, "responses/invoke-result", "The run succeeded."},
          {202, "responses/invoke-result", "The run waits for approval."},
          {200, "sse", "With \"stream\": true: server-sent events as POST /agent/stream."},
          {404, "error", "No such agent."},
          {409, "error", "Agent unavailable, thread busy, or approval rejected."},
          {503, "error", "The host stopped before the run finished."},
          {504, "error", "The run goes on past the wait; Location names it."}},
         {kIdempotencyKey},
         true},
        {"POST", "/runs", "runs", "Create a run (answers at once)", "requests/run-create",
         {kAccepted, {404, "error", "No such agent."}, {409, "error", "Agent unavailable or thread busy."}},
         {kIdempotencyKey},
         true},
        {"POST", "/runs/wait", "runs", "Create a run and wait until it ends", "requests/run-create",
         {{200, "responses/run", "The run, ended."},
          {404, "error", "No such agent."},
          {409, "error", "Agent unavailable or thread busy."},
          {504, "error", "The run goes on past the wait; Location names it."}},
         {kIdempotencyKey},
         true},
        {"GET", "/runs", "runs", "List runs, newest first", nullptr,
         {{200, "responses/run-page", "A page of runs."}},
         {{"query", "status", "string", "queued, running, pending_approval, succeeded, failed or cancelled."},
          {"query", "agent", "string", "Only this agent's runs."},
          {"query", "thread_id", "string", "Only this thread's runs."},
          kCursor,
          {"query", "limit", "integer", "1 to 500 (default 50)."}}},
        {"GET", "/runs/:id", "runs", "One run", nullptr,
         {{200, "responses/run", "The run."}, {404, "error", "No such run."}}},
        {"DELETE", "/runs/:id", "runs", "Delete a finished run", nullptr,
         {{204, "", "Deleted."}, {404, "error", "No such run."}, {409, "error", "The run has not finished."}}},
        {"GET", "/runs/:id/join", "runs", "Wait until a run ends", nullptr,
         {{200, "responses/run", "The run, ended."},
          {404, "error", "No such run."},
          {504, "error", "The run goes on past the wait; Location names it."}}},
        {"POST", "/runs/:id/cancel", "runs", "Cancel a run", nullptr,
         {{200, "responses/run-cancel", "Cancelled before it started."},
          {202, "responses/run-cancel", "Its agent was told to stop."},
          {404, "error", "No such run."},
          {409, "error", "The run already finished."}}},
        {"POST", "/runs/cancel", "runs", "Cancel several runs, or every active run of a thread", "requests/runs-cancel",
         {{200, "responses/bulk-cancel", "What happened to each run."}}},
        {"GET", "/runs/:id/events", "runs", "A run's events (polling)", nullptr,
         {{200, "responses/run-events", "Events after since_index."}, {404, "error", "No such run."}},
         {{"query", "since_index", "integer", "Only events with a larger sequence number."}}},
        {"GET", "/runs/:id/audit", "runs", "Who did what to a run", nullptr,
         {{200, "responses/run-audit", "The audit trail."}, {404, "error", "No such run."}}},
        {"GET", "/threads/:id", "runs", "A thread's runs", nullptr,
         {{200, "responses/run-page", "The thread's runs."}, {404, "error", "No such thread."}},
         {kCursor, {"query", "limit", "integer", "1 to 500 (default 100)."}}},

        // Streaming.
        {"POST", "/agent/stream", "streaming", "Run an agent and stream its events (seed 001)", "requests/agent-stream",
         {kRunStream, {404, "error", "No such agent."}, {409, "error", "Agent unavailable or thread busy."}},
         {kOnDisconnect},
         true},
        {"GET", "/agent/stream", "streaming", "Run an agent and stream its events, for EventSource", nullptr,
         {kRunStream, {404, "error", "No such agent."}, {409, "error", "Agent unavailable or thread busy."}},
         {{"query", "task", "string", "What the agent should do."},
          {"query", "agent_name", "string", "The agent; absent: routed by the supervisors."},
          {"query", "thread_id", "string", "The thread."},
          {"query", "context", "string", "The agent's context as JSON text."},
          kOnDisconnect}},
        {"GET", "/runs/:id/stream", "streaming", "Stream a run's events (resumable)", nullptr,
         {kRunStream, {404, "error", "No such run."}},
         {kLastEventId, kLastEventIdQuery}},

        // Workflows, approvals.
        {"GET", "/workflow/status/:thread_id", "workflows", "A thread's workflow state (seed 001)", nullptr,
         {{200, "responses/workflow-status", "The thread's runs and approvals."}, {404, "error", "No such thread."}}},
        {"POST", "/workflow/approve/:thread_id", "workflows", "Approve or reject what waits on a thread",
         "requests/workflow-approve",
         {{200, "responses/approval-decision", "Decided."},
          {404, "error", "No such thread."},
          {409, "error", "Nothing waits for approval."}}},
        {"POST", "/agents/orchestrate", "workflows", "Start a workflow of several agents (seed 000)", "requests/orchestrate",
         {{202, "responses/workflow-accepted", "Stored; follow status_url."},
          {404, "error", "No such agent."},
          {409, "error", "Agent unavailable or thread busy."}},
         {kIdempotencyKey}},
        {"POST", "/workflows", "workflows", "Start a workflow (alias of POST /agents/orchestrate)", "requests/orchestrate",
         {{202, "responses/workflow-accepted", "Stored; follow status_url."},
          {404, "error", "No such agent."},
          {409, "error", "Agent unavailable or thread busy."}},
         {kIdempotencyKey}},
        {"POST", "/pipelines", "workflows", "Start a workflow (alias of POST /agents/orchestrate)", "requests/orchestrate",
         {{202, "responses/workflow-accepted", "Stored; follow status_url."},
          {404, "error", "No such agent."},
          {409, "error", "Agent unavailable or thread busy."}},
         {kIdempotencyKey}},
        {"GET", "/agents/status/:id", "workflows", "A workflow's steps and results (seed 000)", nullptr,
         {{200, "responses/workflow", "The workflow."}, {404, "error", "No such workflow."}}},
        {"GET", "/workflows/:id", "workflows", "A workflow (alias of GET /agents/status/{id})", nullptr,
         {{200, "responses/workflow", "The workflow."}, {404, "error", "No such workflow."}}},
        {"GET", "/pipelines/:id", "workflows", "A pipeline, seed 004's included (alias of GET /agents/status/{id})",
         nullptr, {{200, "responses/workflow", "The workflow."}, {404, "error", "No such workflow."}}},

        // Seed 003's thread and agent-run paths.
        {"POST", "/thread/:thread_id/agent/start", "seed 003", "Start a run on a thread (seed 003)", "requests/run-create",
         {kAccepted, {404, "error", "No such agent."}, {409, "error", "Agent unavailable or thread busy."}},
         {kIdempotencyKey},
         true},
        {"POST", "/threads/:thread_id/agent/start", "seed 003", "Start a run on a thread (seed 003)", "requests/run-create",
         {kAccepted, {404, "error", "No such agent."}, {409, "error", "Agent unavailable or thread busy."}},
         {kIdempotencyKey},
         true},
        {"GET", "/agent-run/:id", "seed 003", "One run (seed 003)", nullptr,
         {{200, "responses/run", "The run."}, {404, "error", "No such run."}}},
        {"GET", "/agent-run/:id/stream", "seed 003", "Stream a run's events (seed 003)", nullptr,
         {kRunStream, {404, "error", "No such run."}},
         {kLastEventId, kLastEventIdQuery}},
        {"POST", "/agent-run/:id/stop", "seed 003", "Cancel a run (seed 003)", nullptr,
         {{200, "responses/run-cancel", "Cancelled before it started."},
          {202, "responses/run-cancel", "Its agent was told to stop."},
          {404, "error", "No such run."},
          {409, "error", "The run already finished."}}},

        // Seed 004's processing requests and webhooks.
        {"POST", "/api/v1/process", "seed 004", "Process a text with several agents (seed 004)", "requests/process",
         {{202, "responses/process-accepted", "Processing started; Location names the result."},
          {404, "error", "No such agent."},
          {409, "error", "Agent unavailable."}},
         {kIdempotencyKey}},
        {"GET", "/api/v1/results", "seed 004", "Processing requests, newest first", nullptr,
         {{200, "responses/process-results", "A page of processing requests."}},
         {{"query", "page", "integer", "From 1."}, {"query", "page_size", "integer", "1 to 100 (default 20)."}}},
        {"GET", "/api/v1/results/:id", "seed 004", "One processing request and its results", nullptr,
         {{200, "responses/process-result", "The processing request."}, {404, "error", "No such request."}}},
        {"GET", "/api/v1/webhook-logs/:id", "webhooks", "Webhook deliveries of a run or processing request", nullptr,
         {{200, "responses/webhook-log", "Every delivery and attempt."}, {404, "error", "No deliveries."}}},
        {"POST", "/api/v1/webhook/retry/:id", "webhooks", "Send a webhook again", nullptr,
         {{202, "responses/webhook-retry", "Queued again."}, {404, "error", "No deliveries."}}},
        {"POST", "/webhook/receive", "webhooks", "Inbound webhook: start a processing request (HMAC signed)",
         "requests/process",
         {{202, "responses/process-accepted", "Processing started."},
          {401, "error", "Signature missing, wrong, or inbound webhooks not configured."},
          {404, "error", "No such agent."},
          {409, "error", "Agent unavailable."}},
         {{"header", "X-Webhook-Signature", "string", "HMAC-SHA256 of the body with webhooks.inbound_secret."}}},
        {"POST", "/webhook/callback/test", "webhooks", "Show (and optionally send) a signed test webhook",
         "requests/webhook-test", {{200, "responses/webhook-test", "The signed request and the receiver's answer."}}},

        // Administration.
        {"GET", "/admin/keys", "admin", "List API keys", nullptr, {{200, "responses/api-key-list", "The keys."}}},
        {"POST", "/admin/keys", "admin", "Create an API key (shown once)", "requests/key-create",
         {{201, "responses/api-key", "The key, with its secret."}}},
        {"DELETE", "/admin/keys/:id", "admin", "Revoke an API key", nullptr,
         {{200, "responses/api-key", "Revoked."}, {404, "error", "No such key."}}},
        {"GET", "/usage", "admin", "Runs and tokens per tenant, key, agent or day", nullptr,
         {{200, "responses/usage", "The usage report."}},
         {{"query", "from", "string", "First day, YYYY-MM-DD (UTC)."},
          {"query", "to", "string", "Last day, YYYY-MM-DD (UTC)."},
          {"query", "group_by", "string", "key, tenant, agent or day."}}},

        // This document and its viewers.
        {"GET", "/openapi.json", "docs", "This OpenAPI document", nullptr,
         {{200, "responses/object", "The OpenAPI 3.1 document."}}},
        {"GET", "/docs", "docs", "Swagger UI", nullptr, {{200, "html", "The Swagger UI page."}}},
        {"GET", "/redoc", "docs", "ReDoc", nullptr, {{200, "html", "The ReDoc page."}}},
        {"GET", "/docs/assets/:file", "docs", "Swagger UI's and ReDoc's scripts and styles", nullptr,
         {{200, "javascript", "A script."}, {200, "css", "A stylesheet."}, {404, "error", "No such asset."}}},
    };
    return all;
}

}  // namespace agenthost::api
