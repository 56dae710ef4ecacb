#include "config/host_config.hpp"
#include "host_process.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

using namespace agenthost;
using Catch::Matchers::Contains;

namespace {

HostConfig load(std::vector<const char*> args) {
    args.insert(args.begin(), "agenthost");
    return load_config(static_cast<int>(args.size()), args.data());
}

std::string write_config(const std::string& dir, const std::string& text) {
    std::string path = dir + "/agenthost.json";
    std::ofstream(path) << text;
    return path;
}

// Sets an environment variable for one test.
struct ScopedEnv {
    ScopedEnv(const char* name, const char* value) : name(name) { setenv(name, value, 1); }
    ~ScopedEnv() { unsetenv(name); }
    const char* name;
};

}  // namespace

TEST_CASE("defaults apply with no config at all") {
    HostConfig config = load({});
    CHECK(config.host == "127.0.0.1");
    CHECK(config.port == 8000);
    CHECK(config.agents.empty());
}

TEST_CASE("config file, then environment, then command line; relative paths follow the file") {
    std::string dir = testing::make_temp_dir();
    std::string path = write_config(dir, R"({
      "server": {"port": 9001, "threads": 3},
      "plugins": {"directories": ["plugins", "/abs/plugins"]},
      "data_dir": "state",
      "agents": {"echo": {"enabled": true, "config": {"greeting": "hi"}}, "other": {"enabled": false}},
      "workers": {"count": 7}
    })");
    {
        HostConfig config = load({"--config", path.c_str()});
        CHECK(config.port == 9001);
        CHECK(config.http_threads == 3);
        CHECK(config.worker_count == 7);
        CHECK(config.plugin_dirs == std::vector<std::string>{dir + "/plugins", "/abs/plugins"});
        CHECK(config.data_dir == dir + "/state");
        CHECK(config.agents.at("echo").enabled);
        CHECK_FALSE(config.agents.at("other").enabled);
        REQUIRE(config.agents.at("echo").config);
    }
    {
        ScopedEnv port("AGENTHOST_PORT", "9002");
        ScopedEnv plugins("AGENTHOST_PLUGINS_DIR", "/a:/b");
        CHECK(load({"--config", path.c_str()}).port == 9002);
        CHECK(load({"--config", path.c_str()}).plugin_dirs == std::vector<std::string>{"/a", "/b"});
        CHECK(load({"--config", path.c_str(), "--port=9003"}).port == 9003);
    }
    {
        ScopedEnv config_env("AGENTHOST_CONFIG", path.c_str());
        CHECK(load({}).port == 9001);
    }
    std::filesystem::remove_all(dir);
}

TEST_CASE("bad configuration is refused with a message saying what and where") {
    std::string dir = testing::make_temp_dir();
    std::string path = write_config(dir, R"({"server": {"port": "eighty"}})");
    CHECK_THROWS_WITH(load({"--config", path.c_str()}), Contains("/server/port: must be an integer"));
    path = write_config(dir, R"({"sever": {}})");
    CHECK_THROWS_WITH(load({"--config", path.c_str()}), Contains("/sever: is not an allowed property"));
    path = write_config(dir, R"({"database": {"sqlite_synchronous": "off"}})");
    CHECK_THROWS_WITH(load({"--config", path.c_str()}), Contains("/database/sqlite_synchronous"));
    path = write_config(dir, R"({"database": {"sqlite_synchronous": "normal"}})");
    CHECK(load({"--config", path.c_str()}).sqlite_synchronous == "normal");
    path = write_config(dir, "{ nope");
    CHECK_THROWS_WITH(load({"--config", path.c_str()}), Contains("not valid JSON"));
    CHECK_THROWS_WITH(load({"--config", (dir + "/missing.json").c_str()}), Contains("cannot read"));
    CHECK_THROWS_WITH(load({"--port", "70000"}), Contains("port must be a whole number from 0 to 65535"));
    CHECK_THROWS_WITH(load({"--bogus", "1"}), Contains("unknown option --bogus"));
    CHECK_THROWS_WITH(load({"--port"}), Contains("needs a value"));
    // An unknown flag at the end is unknown, not missing a value (it said
    // "option --hot-reload needs a value").
    CHECK_THROWS_WITH(load({"--hot-reload"}), Contains("unknown option --hot-reload"));
    // Seed 001's --reload is --watch.
    CHECK(load({"--reload"}).watch_plugins);
    CHECK_FALSE(load({}).watch_plugins);
    {
        ScopedEnv level("AGENTHOST_LOG_LEVEL", "loud");
        CHECK_THROWS_WITH(load({}), Contains("log level must be debug, info, warn or error"));
    }
    std::filesystem::remove_all(dir);
}

TEST_CASE("auth, rate limits and CORS come from the file, the environment and the command line", "[auth]") {
    std::string dir = testing::make_temp_dir();
    std::string path = write_config(dir, R"({
      "server": {"cors": {"origins": ["http://a.example"]}},
      "auth": {"mode": "required", "key_cache_seconds": 5,
               "jwt": {"hs256_secret": "0123456789abcdef0123", "jwks_file": "jwks.json", "issuer": "iss",
                       "audience": "aud", "leeway_seconds": 10, "tenant_claim": "org_id",
                       "scope_map": {"authenticated": "read,invoke"}}},
      "rate_limits": {"rate_per_second": 5, "burst": 10, "classes": {"invoke": {"rate_per_second": 1, "burst": 2}}}
    })");
    HostConfig config = load({"--config", path.c_str()});
    CHECK(config.auth.mode == auth::AuthSettings::Mode::required);
    CHECK(config.auth.key_cache_seconds == 5);
    CHECK(config.auth.jwt.jwks_file == (std::filesystem::path(dir) / "jwks.json").lexically_normal().string());
    CHECK(config.auth.jwt.scope_map.at("authenticated") == "read,invoke");
    CHECK(config.auth.jwt.tenant_claim == "org_id");
    CHECK(config.rate_limits.all.rate_per_second == 5);
    CHECK(config.rate_limits.classes.at("invoke").burst == 2);
    CHECK(config.cors.origins == std::vector<std::string>{"http://a.example"});
    {
        ScopedEnv origins("CORS_ORIGINS", "http://b.example, http://c.example");
        ScopedEnv mode("AGENTHOST_AUTH_MODE", "none");
        ScopedEnv admin("AGENTHOST_ADMIN_KEY", "0123456789abcdef0123456789abcdef");
        HostConfig overridden = load({"--config", path.c_str(), "--insecure-no-auth"});
        CHECK(overridden.cors.origins == std::vector<std::string>{"http://b.example", "http://c.example"});
        CHECK(overridden.auth.mode == auth::AuthSettings::Mode::none);
        CHECK(overridden.auth.insecure_no_auth);
        CHECK(overridden.auth.admin_key == "0123456789abcdef0123456789abcdef");
    }
    {
        ScopedEnv admin("AGENTHOST_ADMIN_KEY", "short");
        CHECK_THROWS_WITH(load({}), Contains("at least 32 characters"));
    }
    CHECK_THROWS_WITH(load({"--auth-mode", "maybe"}), Contains("none or required"));
    std::string bad = write_config(dir, R"({"auth": {"mode": "sometimes"}})");
    CHECK_THROWS_AS(load({"--config", bad.c_str()}), ConfigError);
    std::filesystem::remove_all(dir);
}

TEST_CASE("quotas and the JWKS URL come from auth in the file; bad ones are refused", "[auth][usage]") {
    std::string dir = testing::make_temp_dir();
    std::string path = write_config(dir, R"({
      "auth": {"mode": "required",
               "jwt": {"jwks_url": "https://idp.example/.well-known/jwks.json", "jwks_refresh_seconds": 60,
                       "jwks_refetch_seconds": 2},
               "quotas": {"default": {"runs_per_day": 100, "tokens_per_month": 5000},
                          "tenants": {"acme": {"runs_per_day": 7}}, "refresh_seconds": 5}}
    })");
    HostConfig config = load({"--config", path.c_str()});
    CHECK(config.auth.jwt.jwks_url == "https://idp.example/.well-known/jwks.json");
    CHECK(config.auth.jwt.jwks_refresh_seconds == 60);
    CHECK(config.auth.jwt.jwks_refetch_seconds == 2);
    CHECK(config.auth.jwt.enabled());
    CHECK(config.auth.quotas.enabled());
    CHECK(config.auth.quotas.refresh_seconds == 5);
    CHECK(config.auth.quotas.for_tenant("globex").runs_per_day == 100);
    CHECK(config.auth.quotas.for_tenant("globex").tokens_per_month == 5000);
    // A tenant's own limits replace the default whole.
    CHECK(config.auth.quotas.for_tenant("acme").runs_per_day == 7);
    CHECK(config.auth.quotas.for_tenant("acme").tokens_per_month == 0);
    CHECK_FALSE(HostConfig().auth.quotas.enabled());

    std::string bad = write_config(dir, R"({"auth": {"quotas": {"default": {"runs_per_day": -1}}}})");
    CHECK_THROWS_WITH(load({"--config", bad.c_str()}), Contains("runs_per_day"));
    bad = write_config(dir, R"({"auth": {"quotas": {"default": {"runs_a_day": 1}}}})");
    CHECK_THROWS_WITH(load({"--config", bad.c_str()}), Contains("runs_a_day"));
    bad = write_config(dir, R"({"auth": {"jwt": {"jwks_url": "file:///etc/passwd"}}})");
    CHECK_THROWS_WITH(load({"--config", bad.c_str()}), Contains("jwks_url"));
    std::filesystem::remove_all(dir);
}

TEST_CASE("an agent's exec settings come from the file, with safe defaults", "[exec]") {
    std::string dir = agenthost::testing::make_temp_dir();
    std::string path = write_config(dir, R"({"agents":{
        "ops":{"enabled":true,"exec":{"allow":["git","kubectl"],"env":{"KUBECONFIG":"/etc/kube"},"network":true,
                                      "max_timeout_seconds":90,"read_only_paths":["kube","/etc/ca.pem"],
                                      "allow_unsandboxed":true}},
        "plain":{"enabled":true}}})");
    HostConfig config;
    apply_config_file(config, path);
    const exec::ExecSettings& ops = config.agents.at("ops").exec;
    CHECK(ops.allow == std::vector<std::string>{"git", "kubectl"});
    CHECK(ops.env.at("KUBECONFIG") == "/etc/kube");
    CHECK(ops.network);
    CHECK(ops.max_timeout_seconds == 90);
    // Relative paths follow the config file, like every other path in it.
    CHECK(ops.read_only_paths == std::vector<std::string>{dir + "/kube", "/etc/ca.pem"});
    CHECK(ops.allow_unsandboxed);
    const exec::ExecSettings& plain = config.agents.at("plain").exec;
    CHECK(plain.allow.empty());
    CHECK_FALSE(plain.network);
    CHECK_FALSE(plain.allow_unsandboxed);
    CHECK(plain.max_timeout_seconds == 600);

    // A path where a binary name belongs, or an unknown member, is refused.
    for (const char* bad : {R"({"agents":{"ops":{"exec":{"allow":["/usr/bin/git"]}}}})",
                            R"({"agents":{"ops":{"exec":{"allow":[".."]}}}})",
                            R"({"agents":{"ops":{"exec":{"shell":true}}}})",
                            R"({"agents":{"ops":{"exec":{"max_timeout_seconds":0}}}})",
                            R"({"agents":{"ops":{"exec":{"env":{"BAD NAME":"x"}}}}})",
                            R"({"agents":{"ops":{"exec":{"env":{"OK":1}}}}})"}) {
        HostConfig refused;
        INFO(bad);
        CHECK_THROWS_AS(apply_config_file(refused, write_config(dir, bad)), ConfigError);
    }
    std::filesystem::remove_all(dir);
}

TEST_CASE("seed 002's signal secrets come from GITHUB_WEBHOOK_SECRET and SLACK_SIGNING_SECRET over the file") {
    std::string dir = testing::make_temp_dir();
    std::string path = write_config(dir, R"({"signals": {"github_secret": "from-file", "slack_signing_secret": "from-file"}})");
    HostConfig from_file = load({"--config", path.c_str()});
    CHECK(from_file.signals.github_secret == "from-file");
    CHECK(from_file.signals.slack_signing_secret == "from-file");
    ScopedEnv github("GITHUB_WEBHOOK_SECRET", "gh-env");
    ScopedEnv slack("SLACK_SIGNING_SECRET", "slack-env");
    HostConfig from_env = load({"--config", path.c_str()});
    CHECK(from_env.signals.github_secret == "gh-env");
    CHECK(from_env.signals.slack_signing_secret == "slack-env");
}

TEST_CASE("signals.pull comes from the file; AGENTHOST_SIGNALS_PULL and its lists from the environment") {
    std::string dir = testing::make_temp_dir();
    HostConfig defaults = load({});
    CHECK(defaults.signals.pull.enabled);
    CHECK(defaults.signals.pull.file_roots.empty());
    std::string path = write_config(
        dir, R"({"signals": {"pull": {"enabled": true, "allowed_hosts": ["loki.internal"], "file_roots": ["/var/log/app"],
                 "poll_ms": 250, "workers": 3, "max_bytes": 65536, "timeout_seconds": 4, "max_backoff_seconds": 60}}})");
    HostConfig from_file = load({"--config", path.c_str()});
    CHECK(from_file.signals.pull.allowed_hosts == std::vector<std::string>{"loki.internal"});
    CHECK(from_file.signals.pull.file_roots == std::vector<std::string>{"/var/log/app"});
    CHECK(from_file.signals.pull.poll_ms == 250);
    CHECK(from_file.signals.pull.workers == 3);
    CHECK(from_file.signals.pull.max_bytes == 65536);
    CHECK(from_file.signals.pull.timeout_seconds == 4);
    CHECK(from_file.signals.pull.max_backoff_seconds == 60);
    ScopedEnv off("AGENTHOST_SIGNALS_PULL", "false");
    ScopedEnv roots("AGENTHOST_SIGNALS_PULL_FILE_ROOTS", "/a:/b");
    ScopedEnv hosts("AGENTHOST_SIGNALS_PULL_ALLOWED_HOSTS", "127.0.0.1,loki");
    HostConfig from_env = load({"--config", path.c_str()});
    CHECK_FALSE(from_env.signals.pull.enabled);
    CHECK(from_env.signals.pull.file_roots == std::vector<std::string>{"/a", "/b"});
    CHECK(from_env.signals.pull.allowed_hosts == std::vector<std::string>{"127.0.0.1", "loki"});
    ScopedEnv garbled("AGENTHOST_SIGNALS_PULL", "sometimes");
    CHECK_THROWS_AS(load({"--config", path.c_str()}), ConfigError);
    HostConfig refused;
    CHECK_THROWS_AS(apply_config_file(refused, write_config(dir, R"({"signals": {"pull": {"workers": 0}}})")), ConfigError);
    CHECK_THROWS_AS(apply_config_file(refused, write_config(dir, R"({"signals": {"pull": {"file_roots": ["relative"]}}})")),
                    ConfigError);
    std::filesystem::remove_all(dir);
}
