// The host's configuration: built-in defaults, then the config file
// (validated against schemas/config.schema.json), then AGENTHOST_*
// environment variables, then command-line options — later ones win.
#pragma once

#include "telemetry/trace_settings.hpp"
#include "auth/auth_settings.hpp"
#include "exec/exec_settings.hpp"
#include "github/github_settings.hpp"
#include "outbound/http_settings.hpp"
#include "llm/llm_settings.hpp"
#include "util/log.hpp"
#include "webhooks/webhook_settings.hpp"
#include "signals/signal_settings.hpp"

#include <rapidjson/document.h>

#include <cstddef>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace agenthost {

// A configuration the host cannot start with; the message says what and where.
struct ConfigError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct AgentSettings {
    bool enabled = false;
    // The operator's config object for the agent; null when none was given.
    std::shared_ptr<const rapidjson::Document> config;
    // Every run of the agent waits for a person's approval first.
    bool require_approval = false;
    // Longest one run may execute in the agent; < 0: runs.agent_timeout_seconds.
    double timeout_seconds = -1;
    // "in_process" or "process": the operator's choice, over the manifest's;
    // empty when not set.
    std::string isolation;
    // Limits of the agent's runner process (process mode); < 0: the default.
    long long memory_mb = -1, cpu_seconds = -1, open_files = -1;
    int max_concurrency = 0;  // invokes of this agent at once; 0: no bound
    // agents.<name>.exec: what the agent may run (needs the manifest's
    // "exec" permission too).
    exec::ExecSettings exec;
    // agents.<name>.http: hosts the agent's outbound HTTP may reach past the
    // SSRF guard, and its limits (needs the manifest's "http" permission).
    outbound::HttpSettings http;
};

struct OrchestrationSettings {
    int reflection_retries = 2;
    bool llm_critique = false;
    double approval_timeout_seconds = 0;  // 0: wait forever
    int max_loop_iterations = 50;
    double routing_min_score = -1;  // < 0: the router's default
};

struct HostConfig {
    std::string config_path;  // empty when running on defaults
    std::string host = "127.0.0.1";
    int port = 8000;
    // Two reactor threads per core measured best under load (README, bench).
    int http_threads = 4;
    // Threads for handlers that wait on outside services (the assistant's
    // LLM, GitHub), so they never hold a reactor thread (http/blocking_work).
    int blocking_threads = 8;
    size_t max_request_bytes = 1024 * 1024;
    // A request that stalls half-sent is answered 408 and closed after this.
    double header_timeout_seconds = 60;
    bool unready_when_writes_fail = false;
    // After the first stop signal, how long runs may go on before the
    // process exits anyway (they are recovered like after a crash).
    double shutdown_timeout_seconds = 30;
    std::string data_dir = "data";
    std::vector<std::string> plugin_dirs;
    // Mode of plugins whose manifest does not ask for a runner process and
    // whose operator config names none: in_process, process, or auto
    // (process outside the first-party plugin directory): a plugin nobody
    // here wrote cannot take the host down unless the operator says so.
    std::string default_isolation = "auto";
    bool sandbox = true;  // plugins.sandbox: runners under bubblewrap where it works
    // plugins.watch (--watch): a rebuilt plugin library is loaded again
    // without a restart, checked every watch_interval_ms (the dev loop).
    bool watch_plugins = false;
    int watch_interval_ms = 1000;
    // plugins.crash_loop: an agent whose runner crashes max_crashes times
    // within window_seconds is unavailable for cooldown_seconds.
    int crash_loop_max_crashes = 5;
    double crash_loop_window_seconds = 60;
    double crash_loop_cooldown_seconds = 300;
    std::map<std::string, AgentSettings> agents;
    std::string database_url;  // empty: SQLite in data_dir
    size_t database_pool_size = 4;
    // SQLite: the WAL size (MiB) past which the writer truncates it; 0: never.
    double sqlite_wal_limit_mb = 64;
    std::string sqlite_synchronous = "full";  // or "normal" (database.hpp)
    int max_attempts = 3;
    double lease_seconds = 15;
    long long poll_interval_ms = 200;
    double invoke_timeout_seconds = 300;
    double agent_timeout_seconds = 0;  // 0: runs may execute forever
    double retention_hours = 24 * 7;
    double idempotency_hours = 24;
    double sweep_interval_seconds = 600;
    // store.ttl_sweep_seconds: how often expired long-term store items are
    // deleted (reads leave them out the moment they expire).
    double store_ttl_sweep_seconds = 60;
    size_t max_text_length = 10000;
    webhooks::WebhookSettings webhooks;
    github::GitHubSettings github;
    signals::SignalSettings signals;  // seed 002: signal signatures, incident grouping, the SRE agent
    OrchestrationSettings orchestration;
    llm::LlmSettings llm;
    auth::AuthSettings auth;
    auth::RateLimitSettings rate_limits;
    auth::CorsSettings cors;
    double heartbeat_seconds = 15;
    long long stream_poll_ms = 250;
    int worker_count = 4;
    size_t queue_limit = 1024;
    log::Level log_level = log::Level::info;
    // The config file's "telemetry"; main overlays the OTEL_* variables.
    telemetry::TraceSettings telemetry;
    bool show_help = false;
    bool show_version = false;
};

// Reads defaults, the file named by --config or AGENTHOST_CONFIG, the
// environment and argv, in that order; throws ConfigError.
HostConfig load_config(int argc, const char* const* argv);

// Parses the config file's JSON into `config`; exposed for tests.
void apply_config_file(HostConfig& config, const std::string& path);

std::string usage_text();

}  // namespace agenthost
