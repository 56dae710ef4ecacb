#include "auth/route_access.hpp"

#include <vector>

namespace agenthost::auth {
namespace {

struct Rule {
    const char* method;
    const char* pattern;  // "*" matches one segment
    RouteAccess access;
};

const RouteAccess kOpen{true, kNoScope, "open"};
// A signed inbound webhook starts a processing request of the default tenant.
const RouteAccess kOpenCreatesRuns{true, kNoScope, "open", true};
const RouteAccess kReads{false, kRead, "read"};
const RouteAccess kInvokes{false, kInvoke, "invoke"};
const RouteAccess kCreatesRuns{false, kInvoke, "invoke", true};
const RouteAccess kCancels{false, kCancel, "cancel"};
const RouteAccess kApproves{false, kApprove, "approve"};
const RouteAccess kAdmins{false, kAdmin, "admin"};

// Every route the API serves (api/*_api.cpp); GET without a rule is `read`.
const std::vector<Rule>& rules() {
    static const std::vector<Rule> all = {
        {"GET", "/health", kOpen},
        {"GET", "/ready", kOpen},
        {"GET", "/api/v1/health", kOpen},
        // The API's documentation: Swagger UI must read it before a key is entered.
        {"GET", "/openapi.json", kOpen},
        {"GET", "/docs", kOpen},
        {"GET", "/redoc", kOpen},
        {"GET", "/docs/assets/*", kOpen},
        // The web console's page and files: it asks for a key itself, then
        // sends it with every API call.
        {"GET", "/console", kOpen},
        {"GET", "/console/*", kOpen},
        {"POST", "/webhook/receive", kOpenCreatesRuns},
        // GitHub and Slack sign instead (signals.github_secret,
        // signals.slack_signing_secret); unsigned they are refused while
        // auth is required. Their incidents belong to the default tenant.
        {"POST", "/api/signals/github", kOpenCreatesRuns},
        {"POST", "/api/signals/slack", kOpenCreatesRuns},
        {"POST", "/api/signals/logs", kCreatesRuns},
        {"POST", "/api/issues", kCreatesRuns},
        {"GET", "/plugins", kAdmins},
        // Reloading swaps the code every tenant's runs execute: an operator's act.
        {"POST", "/plugins/*/reload", kAdmins},
        {"GET", "/admin/keys", kAdmins},
        {"POST", "/admin/keys", kAdmins},
        {"DELETE", "/admin/keys/*", kAdmins},
        {"POST", "/agent/invoke", kCreatesRuns},
        {"POST", "/agent/stream", kCreatesRuns},
        // Starts a run, though EventSource can only GET.
        {"GET", "/agent/stream", kCreatesRuns},
        {"POST", "/runs", kCreatesRuns},
        {"POST", "/runs/wait", kCreatesRuns},
        {"POST", "/runs/batch", kCreatesRuns},
        // Crons create runs at each tick, under the creating principal.
        {"POST", "/runs/crons", kCreatesRuns},
        {"POST", "/threads/*/runs/crons", kCreatesRuns},
        {"POST", "/runs/crons/search", kReads},
        {"DELETE", "/runs/crons/*", kInvokes},
        {"POST", "/api/v1/process", kCreatesRuns},
        {"POST", "/api/v1/webhook/retry/*", kInvokes},
        // Makes the host send a signed request: a developer's tool, not a sender's.
        {"POST", "/webhook/callback/test", kInvokes},
        {"POST", "/agents/orchestrate", kCreatesRuns},
        {"POST", "/workflows", kCreatesRuns},
        {"POST", "/pipelines", kCreatesRuns},
        {"POST", "/runs/*/cancel", kCancels},
        {"POST", "/runs/cancel", kCancels},
        {"DELETE", "/runs/*", kCancels},
        // Threads: searching and reading history are reads sent as POST;
        // deleting a thread deletes its runs, as DELETE /runs/{id} does.
        {"POST", "/threads", kInvokes},
        {"POST", "/threads/search", kReads},
        {"POST", "/threads/*/history", kReads},
        {"POST", "/threads/*/state", kInvokes},
        {"POST", "/threads/*/copy", kInvokes},
        {"DELETE", "/threads/*", kCancels},
        // The long-term store: searches and listings are reads sent as
        // POST; PUT and DELETE of items fall to `invoke` like other writes.
        {"POST", "/store/items/search", kReads},
        {"POST", "/store/namespaces", kReads},
        {"PUT", "/store/items", kInvokes},
        {"DELETE", "/store/items", kInvokes},
        // Seed 003's paths.
        {"POST", "/thread/*/agent/start", kCreatesRuns},
        {"POST", "/threads/*/agent/start", kCreatesRuns},
        {"POST", "/agent-run/*/stop", kCancels},
        {"POST", "/workflow/approve/*", kApproves},
        // Answering an interrupt is a person's decision, like an approval.
        {"POST", "/threads/*/runs/*/resume", kApproves},
        {"POST", "/runs/stream", kCreatesRuns},
        {"POST", "/threads/*/runs/stream", kCreatesRuns},
        // Seed 000's deployments: releasing a stuck lock stops nothing but
        // lets another state change start, so it needs the cancel scope.
        {"POST", "/deployment/projects/*/force-unlock", kCancels},
        {"POST", "/deployment/projects/*/*", kCreatesRuns},
        {"POST", "/api/v1/deployment/projects/*/force-unlock", kCancels},
        {"POST", "/api/v1/deployment/projects/*/*", kCreatesRuns},
        {"POST", "/github/analyze", kCreatesRuns},
        {"POST", "/github/pull-requests", kInvokes},
        // GitHub redirects a browser here with a one-time code: no API key.
        {"GET", "/github/app/callback", kOpen},
        // Where a browser starts the flow; it only issues a one-time state.
        {"GET", "/github/app/install", kOpen},
        // Calls the LLM provider on the caller's behalf.
        {"POST", "/assistant/chat", kInvokes},
    };
    return all;
}

bool matches(const char* pattern, const std::vector<std::string>& segments) {
    size_t index = 0;
    const char* p = pattern;
    while (*p == '/') {
        ++p;
        const char* end = p;
        while (*end != '\0' && *end != '/') ++end;
        if (index >= segments.size()) return false;
        std::string part(p, end);
        if (part != "*" && part != segments[index]) return false;
        ++index;
        p = end;
    }
    return index == segments.size();
}

}  // namespace

RouteAccess route_access(const std::string& method, const std::vector<std::string>& segments) {
    for (const Rule& rule : rules())
        if (method == rule.method && matches(rule.pattern, segments)) return rule.access;
    // Everything else that reads: agents, runs, threads, events, streams,
    // results, webhook logs, workflow status, audit. Unknown writes need
    // `invoke` so no write is ever cheaper than the cheapest real one.
    return method == "GET" || method == "HEAD" ? kReads : kInvokes;
}

}  // namespace agenthost::auth
