#include "config/host_config.hpp"

#include "auth/cors_policy.hpp"
#include "config/env_interpolation.hpp"
#include "config/sqlalchemy_url.hpp"
#include "json/json_util.hpp"
#include "json/schema_catalog.hpp"

#include <cstdlib>
#include <filesystem>
#include <functional>

namespace agenthost {
namespace {

namespace fs = std::filesystem;

int parse_int(const std::string& text, const std::string& what, int min, int max) {
    size_t used = 0;
    long value = 0;
    try {
        value = std::stol(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != text.size() || text.empty() || value < min || value > max)
        throw ConfigError(what + " must be a whole number from " + std::to_string(min) + " to " +
                          std::to_string(max) + ", got '" + text + "'");
    return static_cast<int>(value);
}

log::Level parse_level(const std::string& given, const std::string& what) {
    // Seed 004 writes LOG_LEVEL=INFO and WARNING.
    std::string text = given;
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    log::Level level;
    if (!log::parse_level(text, level)) throw ConfigError(what + " must be debug, info, warn or error, got '" + text + "'");
    return level;
}

auth::AuthSettings::Mode parse_auth_mode(const std::string& text, const std::string& what) {
    if (text == "none") return auth::AuthSettings::Mode::none;
    if (text == "required") return auth::AuthSettings::Mode::required;
    throw ConfigError(what + " must be none or required, got '" + text + "'");
}

auth::BucketSettings bucket_from(const rapidjson::Value& value) {
    auth::BucketSettings bucket;
    if (const auto* v = json::get_member(value, "rate_per_second")) bucket.rate_per_second = v->GetDouble();
    if (const auto* v = json::get_member(value, "burst")) bucket.burst = v->GetDouble();
    return bucket;
}

void apply_auth(HostConfig& config, const rapidjson::Value& auth, const fs::path& base);

// Relative paths in the config file are relative to the file, so the same
// file works whatever the working directory.
std::string resolve_against(const std::string& path, const fs::path& base) {
    fs::path p(path);
    return (p.is_absolute() ? p : base / p).lexically_normal().string();
}

std::vector<std::string> split_list(const std::string& text, char separator) {
    std::vector<std::string> parts;
    size_t start = 0;
    while (start <= text.size()) {
        size_t end = text.find(separator, start);
        if (end == std::string::npos) end = text.size();
        std::string part = text.substr(start, end - start);
        part.erase(0, part.find_first_not_of(' '));
        part.erase(part.find_last_not_of(' ') + 1);
        if (!part.empty()) parts.push_back(part);
        start = end + 1;
    }
    return parts;
}

// true/false, 1/0, yes/no in any case.
bool parse_flag(const std::string& text, const std::string& what) {
    std::string flag = text;
    for (char& c : flag) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (flag == "true" || flag == "1" || flag == "yes") return true;
    if (flag == "false" || flag == "0" || flag == "no") return false;
    throw ConfigError(what + " must be true or false, got '" + text + "'");
}

// One setting reachable as --name / AGENTHOST_NAME.
struct Setting {
    const char* option;
    const char* env;
    std::function<void(HostConfig&, const std::string&)> apply;
};

const std::vector<Setting>& settings() {
    static const std::vector<Setting> all = {
        {"--host", "AGENTHOST_HOST", [](HostConfig& c, const std::string& v) { c.host = v; }},
        {"--port", "AGENTHOST_PORT", [](HostConfig& c, const std::string& v) { c.port = parse_int(v, "port", 0, 65535); }},
        {"--data-dir", "AGENTHOST_DATA_DIR", [](HostConfig& c, const std::string& v) { c.data_dir = v; }},
        {"--plugins-dir", "AGENTHOST_PLUGINS_DIR",
         [](HostConfig& c, const std::string& v) { c.plugin_dirs = split_list(v, ':'); }},
        {"--plugins-watch", "AGENTHOST_PLUGINS_WATCH",
         [](HostConfig& c, const std::string& v) { c.watch_plugins = parse_flag(v, "plugins watch"); }},
        {"--log-level", "AGENTHOST_LOG_LEVEL",
         [](HostConfig& c, const std::string& v) { c.log_level = parse_level(v, "log level"); }},
        {"--workers", "AGENTHOST_WORKERS",
         [](HostConfig& c, const std::string& v) { c.worker_count = parse_int(v, "workers", 1, 256); }},
        {"--database-url", "AGENTHOST_DATABASE_URL", [](HostConfig& c, const std::string& v) { c.database_url = v; }},
        // Seed 004's own variable name keeps working.
        {"--max-text-length", "MAX_TEXT_LENGTH",
         [](HostConfig& c, const std::string& v) {
             c.max_text_length = static_cast<size_t>(parse_int(v, "max text length", 10, 100 * 1024 * 1024));
         }},
        {"--max-attempts", "AGENTHOST_MAX_ATTEMPTS",
         [](HostConfig& c, const std::string& v) { c.max_attempts = parse_int(v, "max attempts", 1, 100); }},
        {"--lease-ms", "AGENTHOST_LEASE_MS",
         [](HostConfig& c, const std::string& v) { c.lease_seconds = parse_int(v, "lease ms", 500, 3600000) / 1000.0; }},
        // Seed 004's webhook variables keep their names.
        {"--webhook-max-retries", "WEBHOOK_MAX_RETRIES",
         [](HostConfig& c, const std::string& v) { c.webhooks.max_retries = parse_int(v, "webhook max retries", 0, 100); }},
        {"--webhook-timeout", "WEBHOOK_TIMEOUT",
         [](HostConfig& c, const std::string& v) {
             c.webhooks.timeout_ms = 1000LL * parse_int(v, "webhook timeout (seconds)", 1, 3600);
         }},
        {"--webhook-retry-base-ms", "AGENTHOST_WEBHOOKS_RETRY_BASE_MS",
         [](HostConfig& c, const std::string& v) {
             c.webhooks.retry_base_ms = parse_int(v, "webhook retry base (ms)", 1, 3600000);
         }},
        {"--webhook-allowed-hosts", "AGENTHOST_WEBHOOKS_ALLOWED_HOSTS",
         [](HostConfig& c, const std::string& v) { c.webhooks.allowed_hosts = split_list(v, ','); }},
        {"--webhook-inbound-secret", "AGENTHOST_WEBHOOKS_INBOUND_SECRET",
         [](HostConfig& c, const std::string& v) { c.webhooks.inbound_secret = v; }},
        // Seed 002's signals: GitHub's and Slack's usual variable names.
        {"--github-webhook-secret", "GITHUB_WEBHOOK_SECRET",
         [](HostConfig& c, const std::string& v) { c.signals.github_secret = v; }},
        {"--slack-signing-secret", "SLACK_SIGNING_SECRET",
         [](HostConfig& c, const std::string& v) { c.signals.slack_signing_secret = v; }},
        {"--signals-window-seconds", "AGENTHOST_SIGNALS_WINDOW_SECONDS",
         [](HostConfig& c, const std::string& v) {
             c.signals.window_seconds = parse_int(v, "signals window (seconds)", 1, 7 * 24 * 3600);
         }},
        {"--signals-agent", "AGENTHOST_SIGNALS_AGENT", [](HostConfig& c, const std::string& v) { c.signals.agent = v; }},
        // Pulling registered log sources: the switch, and what they may reach.
        {"--signals-pull", "AGENTHOST_SIGNALS_PULL",
         [](HostConfig& c, const std::string& v) { c.signals.pull.enabled = parse_flag(v, "signals pull"); }},
        {"--signals-pull-allowed-hosts", "AGENTHOST_SIGNALS_PULL_ALLOWED_HOSTS",
         [](HostConfig& c, const std::string& v) { c.signals.pull.allowed_hosts = split_list(v, ','); }},
        {"--signals-pull-file-roots", "AGENTHOST_SIGNALS_PULL_FILE_ROOTS",
         [](HostConfig& c, const std::string& v) { c.signals.pull.file_roots = split_list(v, ':'); }},
        {"--http-threads", "AGENTHOST_HTTP_THREADS",
         [](HostConfig& c, const std::string& v) { c.http_threads = parse_int(v, "http threads", 1, 64); }},
        {"--blocking-threads", "AGENTHOST_BLOCKING_THREADS",
         [](HostConfig& c, const std::string& v) { c.blocking_threads = parse_int(v, "blocking threads", 1, 256); }},
        {"--auth-mode", "AGENTHOST_AUTH_MODE",
         [](HostConfig& c, const std::string& v) { c.auth.mode = parse_auth_mode(v, "auth mode"); }},
        // Seed 004's variable: a JSON array or a comma-separated list.
        {"--cors-origins", "CORS_ORIGINS",
         [](HostConfig& c, const std::string& v) {
             try {
                 c.cors.origins = auth::parse_origin_list(v);
             } catch (const std::invalid_argument& e) {
                 throw ConfigError(e.what());
             }
         }},
        {"--max-request-bytes", "AGENTHOST_MAX_REQUEST_BYTES",
         [](HostConfig& c, const std::string& v) {
             c.max_request_bytes = static_cast<size_t>(parse_int(v, "max request bytes", 1024, 64 * 1024 * 1024));
         }},
    };
    return all;
}

auth::QuotaLimits quota_limits_from(const rapidjson::Value& limits) {
    auth::QuotaLimits out;
    if (const auto* v = json::get_member(limits, "runs_per_day")) out.runs_per_day = v->GetInt64();
    if (const auto* v = json::get_member(limits, "tokens_per_month")) out.tokens_per_month = v->GetInt64();
    return out;
}

void apply_auth(HostConfig& config, const rapidjson::Value& auth, const fs::path& base) {
    if (const auto* v = json::get_member(auth, "mode")) config.auth.mode = parse_auth_mode(v->GetString(), "auth.mode");
    if (const auto* v = json::get_member(auth, "key_cache_seconds")) config.auth.key_cache_seconds = v->GetDouble();
    if (const auto* quotas = json::get_member(auth, "quotas")) {
        auth::QuotaSettings& q = config.auth.quotas;
        if (const auto* v = json::get_member(*quotas, "default")) q.defaults = quota_limits_from(*v);
        if (const auto* tenants = json::get_member(*quotas, "tenants"))
            for (const auto& entry : tenants->GetObject()) q.tenants[entry.name.GetString()] = quota_limits_from(entry.value);
        if (const auto* v = json::get_member(*quotas, "refresh_seconds")) q.refresh_seconds = v->GetDouble();
    }
    const auto* jwt = json::get_member(auth, "jwt");
    if (jwt == nullptr) return;
    auth::JwtSettings& j = config.auth.jwt;
    if (const auto* v = json::get_member(*jwt, "hs256_secret")) j.hs256_secret = v->GetString();
    if (const auto* v = json::get_member(*jwt, "jwks_file")) j.jwks_file = resolve_against(v->GetString(), base);
    if (const auto* v = json::get_member(*jwt, "jwks_url")) j.jwks_url = v->GetString();
    if (const auto* v = json::get_member(*jwt, "jwks_refresh_seconds")) j.jwks_refresh_seconds = v->GetDouble();
    if (const auto* v = json::get_member(*jwt, "jwks_refetch_seconds")) j.jwks_refetch_seconds = v->GetDouble();
    if (const auto* v = json::get_member(*jwt, "issuer")) j.issuer = v->GetString();
    if (const auto* v = json::get_member(*jwt, "audience")) j.audience = v->GetString();
    if (const auto* v = json::get_member(*jwt, "leeway_seconds")) j.leeway_seconds = v->GetDouble();
    if (const auto* v = json::get_member(*jwt, "tenant_claim")) j.tenant_claim = v->GetString();
    if (const auto* v = json::get_member(*jwt, "scopes_claim")) j.scopes_claim = v->GetString();
    if (const auto* map = json::get_member(*jwt, "scope_map"))
        for (const auto& entry : map->GetObject()) j.scope_map[entry.name.GetString()] = entry.value.GetString();
}

// agents.<name>.exec; the schema has checked the types.
void apply_exec(exec::ExecSettings& exec, const rapidjson::Value& object, const fs::path& base,
                const std::string& agent_field) {
    if (const auto* allow = json::get_member(object, "allow"))
        for (const auto& name : allow->GetArray()) exec.allow.emplace_back(name.GetString());
    if (const auto* env = json::get_member(object, "env"))
        for (const auto& entry : env->GetObject()) {
            std::string name = entry.name.GetString();
            // RapidJSON's schema regex cannot say this; a name execve would
            // pass on but no program could read is the operator's typo.
            bool valid = !name.empty() && !(name[0] >= '0' && name[0] <= '9') &&
                         name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") ==
                             std::string::npos;
            if (!valid)
                throw ConfigError(agent_field + "exec/env: '" + name + "' is not a variable name ([A-Za-z_][A-Za-z0-9_]*)");
            exec.env[name] = entry.value.GetString();
        }
    if (const auto* v = json::get_member(object, "network")) exec.network = v->GetBool();
    if (const auto* v = json::get_member(object, "max_timeout_seconds")) exec.max_timeout_seconds = v->GetDouble();
    if (const auto* v = json::get_member(object, "allow_unsandboxed")) exec.allow_unsandboxed = v->GetBool();
    if (const auto* paths = json::get_member(object, "read_only_paths"))
        for (const auto& path : paths->GetArray()) exec.read_only_paths.push_back(resolve_against(path.GetString(), base));
}

// agents.<name>.http; the schema has checked the types.
void apply_http(outbound::HttpSettings& http, const rapidjson::Value& object) {
    if (const auto* hosts = json::get_member(object, "allowed_hosts"))
        for (const auto& host : hosts->GetArray()) http.allowed_hosts.emplace_back(host.GetString());
    if (const auto* v = json::get_member(object, "max_timeout_seconds")) http.max_timeout_seconds = v->GetDouble();
    if (const auto* v = json::get_member(object, "max_response_bytes"))
        http.max_response_bytes = static_cast<size_t>(v->GetUint64());
}

}  // namespace

void apply_config_file(HostConfig& config, const std::string& path) {
    std::string error;
    auto document = json::parse_file(path, error);
    if (!document) throw ConfigError(error);
    auto violations = json::host_schema("config").validate(*document);
    if (!violations.empty()) throw ConfigError("invalid config file " + path + ": " + json::describe(violations));

    const fs::path base = fs::absolute(path).parent_path();
    config.config_path = path;
    if (const auto* server = json::get_member(*document, "server")) {
        if (const auto* v = json::get_member(*server, "host")) config.host = v->GetString();
        if (const auto* v = json::get_member(*server, "port")) config.port = v->GetInt();
        if (const auto* v = json::get_member(*server, "threads")) config.http_threads = v->GetInt();
        if (const auto* v = json::get_member(*server, "blocking_threads")) config.blocking_threads = v->GetInt();
        if (const auto* v = json::get_member(*server, "max_request_bytes")) config.max_request_bytes = v->GetUint();
        if (const auto* v = json::get_member(*server, "header_timeout_seconds")) config.header_timeout_seconds = v->GetDouble();
        if (const auto* v = json::get_member(*server, "unready_when_writes_fail"))
            config.unready_when_writes_fail = v->GetBool();
        if (const auto* v = json::get_member(*server, "shutdown_timeout_seconds"))
            config.shutdown_timeout_seconds = v->GetDouble();
        if (const auto* cors = json::get_member(*server, "cors"))
            if (const auto* origins = json::get_member(*cors, "origins")) {
                config.cors.origins.clear();
                for (const auto& origin : origins->GetArray()) config.cors.origins.emplace_back(origin.GetString());
            }
    }
    if (const auto* auth = json::get_member(*document, "auth")) apply_auth(config, *auth, base);
    if (const auto* limits = json::get_member(*document, "rate_limits")) {
        config.rate_limits.all = bucket_from(*limits);
        if (const auto* classes = json::get_member(*limits, "classes"))
            for (const auto& entry : classes->GetObject())
                config.rate_limits.classes[entry.name.GetString()] = bucket_from(entry.value);
    }
    if (const auto* v = json::get_member(*document, "data_dir")) config.data_dir = resolve_against(v->GetString(), base);
    if (const auto* plugins = json::get_member(*document, "plugins")) {
        if (const auto* dirs = json::get_member(*plugins, "directories")) {
            config.plugin_dirs.clear();
            for (const auto& dir : dirs->GetArray()) config.plugin_dirs.push_back(resolve_against(dir.GetString(), base));
        }
        if (const auto* v = json::get_member(*plugins, "default_isolation")) config.default_isolation = v->GetString();
        if (const auto* v = json::get_member(*plugins, "sandbox")) config.sandbox = v->GetBool();
        if (const auto* v = json::get_member(*plugins, "watch")) config.watch_plugins = v->GetBool();
        if (const auto* v = json::get_member(*plugins, "watch_interval_ms")) config.watch_interval_ms = v->GetInt();
        if (const auto* loop = json::get_member(*plugins, "crash_loop")) {
            if (const auto* v = json::get_member(*loop, "max_crashes")) config.crash_loop_max_crashes = v->GetInt();
            if (const auto* v = json::get_member(*loop, "window_seconds")) config.crash_loop_window_seconds = v->GetDouble();
            if (const auto* v = json::get_member(*loop, "cooldown_seconds"))
                config.crash_loop_cooldown_seconds = v->GetDouble();
        }
    }
    if (const auto* agents = json::get_member(*document, "agents")) {
        for (const auto& entry : agents->GetObject()) {
            AgentSettings settings;
            if (const auto* v = json::get_member(entry.value, "enabled")) settings.enabled = v->GetBool();
            if (const auto* v = json::get_member(entry.value, "require_approval")) settings.require_approval = v->GetBool();
            if (const auto* v = json::get_member(entry.value, "timeout_seconds")) settings.timeout_seconds = v->GetDouble();
            if (const auto* v = json::get_member(entry.value, "isolation")) settings.isolation = v->GetString();
            if (const auto* v = json::get_member(entry.value, "max_concurrency")) settings.max_concurrency = v->GetInt();
            if (const auto* limits = json::get_member(entry.value, "limits")) {
                if (const auto* v = json::get_member(*limits, "memory_mb")) settings.memory_mb = v->GetInt64();
                if (const auto* v = json::get_member(*limits, "cpu_seconds")) settings.cpu_seconds = v->GetInt64();
                if (const auto* v = json::get_member(*limits, "open_files")) settings.open_files = v->GetInt64();
            }
            if (const auto* exec = json::get_member(entry.value, "exec"))
                apply_exec(settings.exec, *exec, base, path + ": /agents/" + entry.name.GetString() + "/");
            if (const auto* http = json::get_member(entry.value, "http")) apply_http(settings.http, *http);
            if (const auto* v = json::get_member(entry.value, "config")) {
                auto copy = std::make_shared<rapidjson::Document>();
                copy->CopyFrom(*v, copy->GetAllocator());
                interpolate_environment(*copy, copy->GetAllocator());
                settings.config = std::move(copy);
            }
            config.agents[entry.name.GetString()] = std::move(settings);
        }
    }
    if (const auto* database = json::get_member(*document, "database")) {
        if (const auto* v = json::get_member(*database, "url")) config.database_url = v->GetString();
        if (const auto* v = json::get_member(*database, "pool_size")) config.database_pool_size = v->GetUint();
        if (const auto* v = json::get_member(*database, "sqlite_wal_limit_mb")) config.sqlite_wal_limit_mb = v->GetDouble();
        if (const auto* v = json::get_member(*database, "sqlite_synchronous")) config.sqlite_synchronous = v->GetString();
    }
    if (const auto* runs = json::get_member(*document, "runs")) {
        if (const auto* v = json::get_member(*runs, "max_attempts")) config.max_attempts = v->GetInt();
        if (const auto* v = json::get_member(*runs, "lease_seconds")) config.lease_seconds = v->GetDouble();
        if (const auto* v = json::get_member(*runs, "poll_interval_ms")) config.poll_interval_ms = v->GetInt();
        if (const auto* v = json::get_member(*runs, "invoke_timeout_seconds")) config.invoke_timeout_seconds = v->GetDouble();
        if (const auto* v = json::get_member(*runs, "retention_hours")) config.retention_hours = v->GetDouble();
        if (const auto* v = json::get_member(*runs, "idempotency_hours")) config.idempotency_hours = v->GetDouble();
        if (const auto* v = json::get_member(*runs, "sweep_interval_seconds")) config.sweep_interval_seconds = v->GetDouble();
        if (const auto* v = json::get_member(*runs, "agent_timeout_seconds")) config.agent_timeout_seconds = v->GetDouble();
    }
    if (const auto* store = json::get_member(*document, "store")) {
        if (const auto* v = json::get_member(*store, "ttl_sweep_seconds")) config.store_ttl_sweep_seconds = v->GetDouble();
    }
    if (const auto* signals = json::get_member(*document, "signals")) {
        auto& s = config.signals;
        if (const auto* v = json::get_member(*signals, "github_secret")) s.github_secret = v->GetString();
        if (const auto* v = json::get_member(*signals, "slack_signing_secret")) s.slack_signing_secret = v->GetString();
        if (const auto* v = json::get_member(*signals, "slack_max_skew_seconds")) s.slack_max_skew_seconds = v->GetInt64();
        if (const auto* v = json::get_member(*signals, "window_seconds")) s.window_seconds = v->GetInt64();
        if (const auto* v = json::get_member(*signals, "sample_signals")) s.sample_signals = v->GetInt64();
        if (const auto* v = json::get_member(*signals, "agent")) s.agent = v->GetString();
        if (const auto* v = json::get_member(*signals, "max_iterations")) s.max_iterations = v->GetInt();
        if (const auto* v = json::get_member(*signals, "evidence_limit")) s.evidence_limit = static_cast<size_t>(v->GetInt());
        if (const auto* v = json::get_member(*signals, "rework_after_seconds")) s.rework_after_seconds = v->GetInt64();
        if (const auto* pull = json::get_member(*signals, "pull")) {
            auto& p = s.pull;
            if (const auto* v = json::get_member(*pull, "enabled")) p.enabled = v->GetBool();
            if (const auto* v = json::get_member(*pull, "allowed_hosts")) {
                p.allowed_hosts.clear();
                for (const auto& host : v->GetArray()) p.allowed_hosts.emplace_back(host.GetString());
            }
            if (const auto* v = json::get_member(*pull, "file_roots")) {
                p.file_roots.clear();
                for (const auto& root : v->GetArray()) p.file_roots.emplace_back(root.GetString());
            }
            if (const auto* v = json::get_member(*pull, "poll_ms")) p.poll_ms = v->GetInt64();
            if (const auto* v = json::get_member(*pull, "workers")) p.workers = v->GetInt();
            if (const auto* v = json::get_member(*pull, "max_bytes")) p.max_bytes = static_cast<size_t>(v->GetInt64());
            if (const auto* v = json::get_member(*pull, "timeout_seconds")) p.timeout_seconds = v->GetDouble();
            if (const auto* v = json::get_member(*pull, "max_backoff_seconds")) p.max_backoff_seconds = v->GetDouble();
        }
    }
    if (const auto* webhooks = json::get_member(*document, "webhooks")) {
        if (const auto* v = json::get_member(*webhooks, "max_retries")) config.webhooks.max_retries = v->GetInt();
        if (const auto* v = json::get_member(*webhooks, "timeout_seconds"))
            config.webhooks.timeout_ms = static_cast<long long>(v->GetDouble() * 1000);
        if (const auto* v = json::get_member(*webhooks, "retry_base_ms")) config.webhooks.retry_base_ms = v->GetInt64();
        if (const auto* v = json::get_member(*webhooks, "inbound_secret")) config.webhooks.inbound_secret = v->GetString();
        if (const auto* v = json::get_member(*webhooks, "allowed_hosts")) {
            config.webhooks.allowed_hosts.clear();
            for (const auto& host : v->GetArray()) config.webhooks.allowed_hosts.emplace_back(host.GetString());
        }
    }
    if (const auto* github = json::get_member(*document, "github")) {
        auto& g = config.github;
        if (const auto* v = json::get_member(*github, "api_base_url")) g.api_base_url = v->GetString();
        if (const auto* v = json::get_member(*github, "oauth_base_url")) g.oauth_base_url = v->GetString();
        if (const auto* v = json::get_member(*github, "token")) g.token = v->GetString();
        if (const auto* v = json::get_member(*github, "client_id")) g.client_id = v->GetString();
        if (const auto* v = json::get_member(*github, "client_secret")) g.client_secret = v->GetString();
        if (const auto* v = json::get_member(*github, "timeout_seconds")) g.timeout_seconds = v->GetDouble();
        if (const auto* v = json::get_member(*github, "local_repositories")) {
            g.local_repositories.clear();
            for (const auto& path : v->GetArray()) g.local_repositories.emplace_back(path.GetString());
        }
    }
    if (const auto* orchestration = json::get_member(*document, "orchestration")) {
        auto& o = config.orchestration;
        if (const auto* v = json::get_member(*orchestration, "reflection_retries")) o.reflection_retries = v->GetInt();
        if (const auto* v = json::get_member(*orchestration, "llm_critique")) o.llm_critique = v->GetBool();
        if (const auto* v = json::get_member(*orchestration, "approval_timeout_seconds"))
            o.approval_timeout_seconds = v->GetDouble();
        if (const auto* v = json::get_member(*orchestration, "max_loop_iterations")) o.max_loop_iterations = v->GetInt();
        if (const auto* v = json::get_member(*orchestration, "routing_min_score")) o.routing_min_score = v->GetDouble();
    }
    if (const auto* streaming = json::get_member(*document, "streaming")) {
        if (const auto* v = json::get_member(*streaming, "heartbeat_seconds")) config.heartbeat_seconds = v->GetDouble();
        if (const auto* v = json::get_member(*streaming, "poll_ms")) config.stream_poll_ms = v->GetInt();
    }
    if (const auto* pipelines = json::get_member(*document, "pipelines")) {
        if (const auto* v = json::get_member(*pipelines, "max_text_length")) config.max_text_length = v->GetUint();
    }
    if (const auto* workers = json::get_member(*document, "workers")) {
        if (const auto* v = json::get_member(*workers, "count")) config.worker_count = v->GetInt();
        if (const auto* v = json::get_member(*workers, "queue_limit")) config.queue_limit = v->GetUint();
    }
    if (const auto* llm = json::get_member(*document, "llm")) llm::apply_config(config.llm, *llm);
    if (const auto* logging = json::get_member(*document, "logging")) {
        if (const auto* v = json::get_member(*logging, "level")) config.log_level = parse_level(v->GetString(), "log level");
    }
    if (const auto* telemetry = json::get_member(*document, "telemetry")) {
        telemetry::TraceSettings& t = config.telemetry;
        if (const auto* v = json::get_member(*telemetry, "enabled")) t.disabled = !v->GetBool();
        if (const auto* v = json::get_member(*telemetry, "otlp_endpoint"))
            t.traces_url = telemetry::traces_url_from_base(v->GetString());
        if (const auto* v = json::get_member(*telemetry, "otlp_traces_endpoint")) t.traces_url = v->GetString();
        if (const auto* v = json::get_member(*telemetry, "headers")) {
            t.headers.clear();
            for (const auto& header : v->GetObject()) t.headers.emplace_back(header.name.GetString(), header.value.GetString());
        }
        if (const auto* v = json::get_member(*telemetry, "service_name")) t.service_name = v->GetString();
        if (const auto* v = json::get_member(*telemetry, "sampler")) t.sampler = v->GetString();
        if (const auto* v = json::get_member(*telemetry, "sampler_arg")) t.sampler_arg = std::to_string(v->GetDouble());
        if (const auto* v = json::get_member(*telemetry, "database_spans")) t.database_spans = v->GetBool();
        if (const auto* v = json::get_member(*telemetry, "schedule_delay_ms")) t.schedule_delay_ms = v->GetInt64();
        if (const auto* v = json::get_member(*telemetry, "max_queue_size")) t.max_queue_size = v->GetUint();
    }
}

// The seeds' own variable names, as their users set them; each only where
// the AGENTHOST_ name is unset (it is applied after this and wins).
void apply_seed_environment(HostConfig& config) {
    auto value = [](const char* name) -> const char* {
        const char* text = std::getenv(name);
        return text != nullptr && *text != '\0' ? text : nullptr;
    };
    // Seeds 000, 002 and 004, whose services read it with SQLAlchemy: its
    // meaning ("sqlite:///app.db" in the working directory), not database.url's.
    if (const char* url = value("DATABASE_URL")) {
        try {
            config.database_url = database_url_from_sqlalchemy(url, fs::current_path());
        } catch (const std::invalid_argument& e) {
            throw ConfigError(std::string("DATABASE_URL: ") + e.what());
        }
    }
    // Seed 004: LOG_LEVEL, and DEBUG=true for debug logs (LOG_LEVEL wins).
    if (const char* debug = value("DEBUG"); debug != nullptr && parse_flag(debug, "DEBUG"))
        config.log_level = log::Level::debug;
    if (const char* level = value("LOG_LEVEL")) config.log_level = parse_level(level, "LOG_LEVEL");
    // Seed 000's GitHub App variables (secrets: only from the environment or the file).
    if (const char* token = value("GITHUB_TOKEN")) config.github.token = token;
    if (const char* id = value("GITHUB_CLIENT_ID")) config.github.client_id = id;
    if (const char* secret = value("GITHUB_CLIENT_SECRET")) config.github.client_secret = secret;
    if (const char* url = value("GITHUB_API_URL")) config.github.api_base_url = url;
    // Seed 000's frontend origin: the browser origin allowed by CORS unless
    // the config or CORS_ORIGINS (applied after this) names the origins.
    if (const char* frontend = value("FRONTEND_URL"); frontend != nullptr && config.cors.origins.empty()) {
        try {
            // A URL, perhaps with a path ("http://localhost:3000/app"): its origin.
            std::string origin = frontend;
            if (size_t scheme = origin.find("://"); scheme != std::string::npos)
                if (size_t path = origin.find('/', scheme + 3); path != std::string::npos) origin.resize(path);
            config.cors.origins = auth::parse_origin_list(origin);
        } catch (const std::invalid_argument& e) {
            throw ConfigError(std::string("FRONTEND_URL: ") + e.what());
        }
    }
}

HostConfig load_config(int argc, const char* const* argv) {
    // First pass: find --config (it decides what the later layers override).
    std::string config_path;
    if (const char* env = std::getenv("AGENTHOST_CONFIG")) config_path = env;
    std::vector<std::pair<std::string, std::string>> options;
    HostConfig config;
    bool watch = false;  // --watch, short for --plugins-watch true
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            config.show_help = true;
            continue;
        }
        if (arg == "--version") {
            config.show_version = true;
            continue;
        }
        if (arg == "--insecure-no-auth") {
            config.auth.insecure_no_auth = true;
            continue;
        }
        // Seed 001's server takes --reload ("auto-reload for development"):
        // here that is reloading rebuilt plugins, which --watch does.
        if (arg == "--watch" || arg == "--reload") {
            watch = true;
            continue;
        }
        std::string name = arg, value;
        size_t equals = arg.find('=');
        if (equals != std::string::npos) {
            name = arg.substr(0, equals);
            value = arg.substr(equals + 1);
        } else {
            // An unknown flag is named as such, not as one missing its value.
            bool known = name == "--config";
            for (const Setting& setting : settings()) known = known || name == setting.option;
            if (!known) throw ConfigError("unknown option " + name + " (see --help)");
            if (i + 1 >= argc) throw ConfigError("option " + arg + " needs a value (see --help)");
            value = argv[++i];
        }
        if (name == "--config") config_path = value;
        else options.emplace_back(name, value);
    }
    if (config.show_help || config.show_version) return config;

    if (!config_path.empty()) apply_config_file(config, config_path);
    apply_seed_environment(config);
    for (const Setting& setting : settings()) {
        if (const char* env = std::getenv(setting.env)) setting.apply(config, env);
    }
    // Only from the environment: a command-line secret shows in ps.
    if (const char* admin_key = std::getenv("AGENTHOST_ADMIN_KEY"); admin_key != nullptr && *admin_key != '\0') {
        if (std::string(admin_key).size() < 32) throw ConfigError("AGENTHOST_ADMIN_KEY must be at least 32 characters");
        config.auth.admin_key = admin_key;
    }
    try {
        llm::apply_environment(config.llm);
    } catch (const std::invalid_argument& e) {
        throw ConfigError(e.what());
    }
    for (const auto& [name, value] : options) {
        bool known = false;
        for (const Setting& setting : settings()) {
            if (name == setting.option) {
                setting.apply(config, value);
                known = true;
            }
        }
        if (!known) throw ConfigError("unknown option " + name + " (see --help)");
    }
    if (watch) config.watch_plugins = true;
    return config;
}

std::string usage_text() {
    return "usage: agenthost [--config FILE] [--host ADDR] [--port N] [--data-dir DIR]\n"
           "                 [--plugins-dir DIR[:DIR...]] [--watch|--reload] [--log-level debug|info|warn|error]\n"
           "                 [--workers N] [--http-threads N] [--blocking-threads N]\n"
           "                 [--max-request-bytes N]\n"
           "                 [--database-url URL] [--max-attempts N] [--lease-ms N] [--max-text-length N]\n"
           "                 [--auth-mode none|required] [--insecure-no-auth] [--cors-origins LIST]\n"
           "\n"
           "Every option can also be set with an environment variable: AGENTHOST_CONFIG,\n"
           "AGENTHOST_HOST, AGENTHOST_PORT, AGENTHOST_DATA_DIR, AGENTHOST_PLUGINS_DIR,\n"
           "AGENTHOST_PLUGINS_WATCH (--watch: load rebuilt plugin libraries without a restart),\n"
           "AGENTHOST_LOG_LEVEL, AGENTHOST_WORKERS, AGENTHOST_HTTP_THREADS, AGENTHOST_BLOCKING_THREADS,\n"
           "AGENTHOST_MAX_REQUEST_BYTES, AGENTHOST_DATABASE_URL, AGENTHOST_MAX_ATTEMPTS,\n"
           "AGENTHOST_LEASE_MS, MAX_TEXT_LENGTH, AGENTHOST_AUTH_MODE, CORS_ORIGINS.\n"
           "AGENTHOST_ADMIN_KEY (at least 32 characters), presented as a key, is an admin principal.\n"
           "With auth mode none the host listens on loopback only, unless --insecure-no-auth.\n"
           "LLM: AGENTHOST_LLM_PROVIDER (offline, openai, anthropic), AGENTHOST_LLM_MODEL,\n"
           "OPENAI_API_KEY, OPENAI_BASE_URL, ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL,\n"
           "AGENTHOST_LLM_TIMEOUT_MS, AGENTHOST_LLM_CONNECT_TIMEOUT_MS, AGENTHOST_LLM_MAX_RETRIES,\n"
           "AGENTHOST_LLM_RETRY_BASE_MS. Command-line options win over the environment,\n"
           "which wins over the config file.\n";
}

}  // namespace agenthost
