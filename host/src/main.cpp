// agenthost: loads agent plugins, keeps every run durable, and serves them
// over REST until SIGTERM.
#include "api/access_filter.hpp"
#include "app/host_settings.hpp"
#include "app/install_layout.hpp"
#include "app/live_reload.hpp"
#include "api/api_context.hpp"
#include "deployments/deployment_service.hpp"
#include "api/routes.hpp"
#include "api/webhooks_api.hpp"
#include "auth/authenticator.hpp"
#include "auth/cors_policy.hpp"
#include "auth/jwt_verifier.hpp"
#include "auth/key_service.hpp"
#include "auth/listen_policy.hpp"
#include "auth/rate_limiter.hpp"
#include "config/dotenv.hpp"
#include "config/unused_seed_variables.hpp"
#include "config/host_config.hpp"
#include "signals/incident_service.hpp"
#include "signals/log_puller.hpp"
#include "crons/cron_service.hpp"
#include "http/http_server.hpp"
#include "http/stream_hub.hpp"
#include "isolation/fatal_signal_handler.hpp"
#include "llm/llm_service.hpp"
#include "memory_store/ttl_sweeper.hpp"
#include "plugins/agent_registry.hpp"
#include "plugins/plugin_library.hpp"
#include "runs/event_feed.hpp"
#include "routing/manifest_profile.hpp"
#include "routing/router_slot.hpp"
#include "routing/task_router.hpp"
#include "runs/run_dispatcher.hpp"
#include "runs/workflow_service.hpp"
#include "runs/run_service.hpp"
#include "runs/run_waiters.hpp"
#include "runs/worker_pool.hpp"
#include "store/data_dir_lock.hpp"
#include "store/secret_box.hpp"
#include "store/store.hpp"
#include "telemetry/tracer.hpp"
#include "usage/tenant_quotas.hpp"
#include "util/ids.hpp"
#include "util/log.hpp"
#include "util/malloc_tuning.hpp"
#include "version.hpp"
#include "webhooks/webhook_dispatcher.hpp"

#include <cerrno>
#include <csignal>
#include <atomic>
#include <filesystem>
#include <iostream>
#include <pthread.h>
#include <thread>
#include <sys/resource.h>
#include <unistd.h>

namespace {

using namespace agenthost;
using app::agent_timeouts;
using app::default_plugin_dir;
using app::enabled_profiles;
using app::isolation_policy;
using app::router_settings;

// Unique per process, readable in logs and lease columns.
std::string host_id() {
    char name[256] = "host";
    gethostname(name, sizeof name - 1);
    return std::string(name) + ":" + std::to_string(getpid()) + ":" + new_uuid().substr(0, 8);
}

runs::RunSettings run_settings(const HostConfig& config, store::Dialect dialect) {
    runs::RunSettings settings;
    settings.host_id = host_id();
    settings.max_attempts = config.max_attempts;
    settings.max_held_runs = config.queue_limit;
    settings.lease_ms = static_cast<long long>(config.lease_seconds * 1000);
    settings.poll_interval_ms = config.poll_interval_ms;
    settings.invoke_timeout_ms = static_cast<long long>(config.invoke_timeout_seconds * 1000);
    settings.retention_ms = static_cast<long long>(config.retention_hours * 3600 * 1000);
    settings.idempotency_window_ms = static_cast<long long>(config.idempotency_hours * 3600 * 1000);
    settings.sweep_interval_ms = static_cast<long long>(config.sweep_interval_seconds * 1000);
    settings.recover_all_running_at_start = dialect == store::Dialect::sqlite;
    settings.reflection_retries = config.orchestration.reflection_retries;
    settings.llm_critique = config.orchestration.llm_critique;
    settings.approval_timeout_seconds = config.orchestration.approval_timeout_seconds;
    settings.max_loop_iterations = config.orchestration.max_loop_iterations;
    settings.agent_timeout_ms = static_cast<long long>(config.agent_timeout_seconds * 1000);
    for (const auto& [name, agent] : config.agents) {
        if (agent.timeout_seconds >= 0)
            settings.agent_timeout_overrides_ms[name] = static_cast<long long>(agent.timeout_seconds * 1000);
    }
    return settings;
}

// After the first stop signal the host drains; this makes sure it ends: a
// second signal exits at once, and so does the deadline, leaving runs still
// executing (a plugin that ignores cancellation) to recovery, as after a
// crash: their lease lapses, or on SQLite the next start takes them over.
void start_stop_deadline(const sigset_t& stop_signals, double timeout_seconds,
                         const runs::RunDispatcher& dispatcher, runs::RunWaiters& waiters) {
    std::thread([stop_signals, timeout_seconds, &dispatcher, &waiters] {
        auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(static_cast<long long>(timeout_seconds * 1000));
        for (;;) {
            auto left = deadline - std::chrono::steady_clock::now();
            long long left_ns = std::max<long long>(0, std::chrono::duration_cast<std::chrono::nanoseconds>(left).count());
            timespec wait{static_cast<time_t>(left_ns / 1000000000), static_cast<long>(left_ns % 1000000000)};
            siginfo_t info{};
            int signal_number = sigtimedwait(&stop_signals, &info, &wait);
            if (signal_number > 0) {
                log::warn("second stop signal: exiting at once; runs still executing are left to recovery",
                          {{"signal", signal_number}, {"running", static_cast<long long>(dispatcher.running())}});
                log::drain_for_exit();
                _exit(1);
            }
            if (errno == EINTR) continue;
            log::error("shutdown deadline passed: exiting; runs still executing are left to recovery",
                       {{"shutdown_timeout_seconds", timeout_seconds},
                        {"running", static_cast<long long>(dispatcher.running())},
                        {"runs", dispatcher.executing_summary()}});
            // Whoever still waits for a run (a sync invoke) is answered, as
            // for a run past the invoke timeout, rather than cut off: the
            // run goes on after the restart (Location names it).
            waiters.abandon_all();
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            log::drain_for_exit();
            _exit(1);
        }
    }).detach();
}

// Every streaming client holds two descriptors (Pistache's and the stream
// hub's dup): raise the soft limit to the hard one so a thousand streams fit.
void raise_descriptor_limit() {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

int fail(const std::string& message) {
    log::error("cannot start", {{"error", message}});
    std::cerr << "agenthost: " << message << "\n";
    return 1;
}

}  // namespace

int main(int argc, char** argv) {
    tune_malloc();
    HostConfig config;
    std::vector<std::string> from_dotenv;
    try {
        // Like the seeds' services: ./.env fills in what the environment lacks.
        from_dotenv = load_dotenv(".env");
        config = load_config(argc, argv);
    } catch (const ConfigError& e) {
        std::cerr << "agenthost: " << e.what() << "\n";
        return 2;
    }
    if (config.show_help) {
        std::cout << usage_text();
        return 0;
    }
    if (config.show_version) {
        std::cout << "agenthost " << kVersion << " (plugin ABI " << AGENTHOST_ABI_VERSION_MAJOR << "."
                  << AGENTHOST_ABI_VERSION_MINOR << ")\n";
        return 0;
    }
    if (config.plugin_dirs.empty()) config.plugin_dirs.push_back(default_plugin_dir(argv[0]));
    config.webhooks.user_agent = std::string("agenthost/") + kVersion;
    if (std::string problem = auth::listen_problem(config.host, config.auth); !problem.empty()) {
        std::cerr << "agenthost: " << problem << "\n";
        return 2;
    }
    raise_descriptor_limit();

    // Block the stop signals in every thread; main waits for them below.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    // SIGHUP too: one thread waits for it and reloads the config.
    sigset_t hangup;
    sigemptyset(&hangup);
    sigaddset(&hangup, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &hangup, nullptr);

    log::init(config.log_level);
    log::info("starting", {{"version", kVersion},
                           {"config", config.config_path.empty() ? "(defaults)" : config.config_path},
                           {"pid", static_cast<long long>(getpid())},
                           {"auth", config.auth.mode == auth::AuthSettings::Mode::required ? "required" : "none"}});
    if (!from_dotenv.empty()) {
        std::string names;
        for (const std::string& name : from_dotenv) names += (names.empty() ? "" : ",") + name;
        log::info("read .env", {{"variables", names}});
    }
    for (const auto& unused : unused_seed_variables([](const char* name) -> std::optional<std::string> {
             const char* value = std::getenv(name);
             return value == nullptr ? std::nullopt : std::optional<std::string>(value);
         }))
        log::warn(unused.name + " is set but not used: " + unused.why, {{"variable", unused.name}});
    if (config.auth.mode == auth::AuthSettings::Mode::none && !auth::is_loopback_host(config.host))
        log::warn("authentication is off on a non-loopback address (--insecure-no-auth): anyone who reaches " +
                      config.host + " may run agents, cancel runs and approve actions",
                  {{"host", config.host}});

    // Traces (README, "Traces"): the config's telemetry section under the
    // standard OTEL_* variables; on before the store so its commits count.
    {
        std::vector<std::string> problems;
        telemetry::apply_otel_environment(config.telemetry, telemetry::process_environment(), problems);
        for (const std::string& problem : problems) log::warn(problem);
        telemetry::start_tracing(config.telemetry, kVersion);
    }

    // The JWKS file is read once, before anything else starts.
    std::unique_ptr<auth::JwtVerifier> jwt;
    auth::JwtCheck jwt_check;
    if (config.auth.jwt.enabled()) {
        try {
            jwt = std::make_unique<auth::JwtVerifier>(config.auth.jwt);
        } catch (const std::exception& e) {
            return fail(e.what());
        }
        jwt_check = [verifier = jwt.get()](const std::string& token) { return verifier->verify(token); };
    }

    store::DatabaseSettings database;
    std::unique_ptr<store::DataDirLock> data_lock;
    std::unique_ptr<store::Store> store;
    try {
        database = store::resolve_database(config.database_url, config.data_dir);
        database.pool_size = config.database_pool_size;
        database.wal_limit_bytes = static_cast<std::uint64_t>(config.sqlite_wal_limit_mb * 1024 * 1024);
        database.sqlite_synchronous = config.sqlite_synchronous;
        // Webhook secrets are sealed before they are stored (README, "Secrets at rest").
        store::install_secret_box(store::load_secret_box(config.data_dir));
        if (database.dialect == store::Dialect::sqlite) {
            // One embedded database, one host: a second process on the same
            // data directory would break the single-writer assumption.
            data_lock = std::make_unique<store::DataDirLock>(config.data_dir);
        }
        store = store::Store::open(database);
    } catch (const std::exception& e) {
        return fail(e.what());
    }
    // With SQLite the next start is this host on this data directory: the
    // crash journal there tells it which run's plugin code killed us.
    std::string crash_journal =
        database.dialect == store::Dialect::sqlite ? (std::filesystem::path(config.data_dir) / "crash-journal").string() : "";
    isolation::install_fatal_signal_handler(crash_journal);

    llm::LlmService llm_service(config.llm);
    if (std::string problem = llm_service.problem(); !problem.empty()) return fail(problem);
    llm_service.start();
    plugins::set_llm_client(&llm_service);

    // Process isolation's runner lives beside this binary.
    plugins::set_runner_path(app::runner_path_for_executable(app::executable_path(argv[0])));
    auto registry = plugins::AgentRegistry::discover(config.plugin_dirs, config.agents, isolation_policy(config, argv[0]));
    runs::WorkerPool workers(static_cast<size_t>(config.worker_count));
    runs::RunWaiters waiters;
    runs::EventFeed feed(*store, std::chrono::milliseconds(config.stream_poll_ms));
    http::StreamHubSettings stream_settings;
    stream_settings.heartbeat = std::chrono::milliseconds(static_cast<long long>(config.heartbeat_seconds * 1000));
    http::StreamHub streams(stream_settings);
    runs::RunSettings settings = run_settings(config, database.dialect);
    settings.agent_timeout_overrides_ms = agent_timeouts(config, *registry);
    settings.crash_journal_path = crash_journal;
    if (database.dialect == store::Dialect::sqlite)
        settings.start_log_path = (std::filesystem::path(config.data_dir) / "started-runs").string();
    // Set once the incident service exists; runs recovered before observe nothing.
    std::atomic<signals::IncidentService*> incident_service_slot{nullptr};
    settings.iteration_observation = [&incident_service_slot, agent = config.signals.agent](
                                         const std::string& run_agent, const std::string& thread_id) -> std::string {
        signals::IncidentService* incidents = incident_service_slot.load();
        // Only the SRE agent on an incident's thread observes the incident.
        if (incidents == nullptr || agent.empty() || run_agent != agent || thread_id.rfind("inc_", 0) != 0) return "";
        return incidents->evidence_json(thread_id);
    };
    runs::RunDispatcher dispatcher(*store, *registry, workers, waiters, feed, settings, &llm_service);
    runs::RunService run_service(*store, *registry, dispatcher, waiters, feed, settings);
    runs::WorkflowService workflow_service(*store, run_service, dispatcher, waiters, feed);
    routing::RouterSlot task_router(
        std::make_shared<routing::TaskRouter>(enabled_profiles(*registry), router_settings(config)));
    try {
        dispatcher.start();
    } catch (const std::exception& e) {
        return fail(std::string("recovering runs failed: ") + e.what());
    }

    api::ApiContext context{*registry,         run_service, workers, streams, config.webhooks, kVersion,
                            database.display,  config.max_text_length, std::chrono::steady_clock::now()};
    context.workflows = &workflow_service;
    context.router = &task_router;
    context.llm = &llm_service;
    context.unready_when_writes_fail = config.unready_when_writes_fail;
    auth::KeyService key_service(*store);
    auth::Authenticator authenticator(config.auth, key_service, jwt_check);
    auth::RateLimiter rate_limiter(config.rate_limits);
    auth::CorsPolicy cors(config.cors);
    context.keys = &key_service;
    context.authenticator = &authenticator;
    context.store = store.get();
    threads::ThreadService thread_service(*store);
    context.threads = &thread_service;
    memory_store::MemoryStore memory_store(*store);
    context.store_items = &memory_store;
    memory_store::TtlSweeper store_sweeper(memory_store,
                                           std::chrono::milliseconds(static_cast<long long>(config.store_ttl_sweep_seconds * 1000)));
    store_sweeper.start();
    signals::IncidentService incident_service(*store, run_service, config.signals);
    context.incidents = &incident_service;
    http::WebSocketSettings websocket_settings;
    websocket_settings.ping_interval = stream_settings.heartbeat;
    websocket_settings.idle_timeout = stream_settings.heartbeat * 3;
    http::WebSocketHub websockets(websocket_settings);
    context.websockets = &websockets;
    incident_service_slot.store(&incident_service);
    incident_service.hand_over_unworked();
    // Every host looks for due cron ticks; claiming one is a conditional
    // update, so a tick fires once however many hosts look.
    usage::TenantQuotas quotas(config.auth.quotas, *store);
    quotas.start();
    crons::CronService cron_service(*store, run_service, std::min<long long>(config.poll_interval_ms, 250));
    if (quotas.enabled())
        cron_service.set_admission([&quotas](const std::string& tenant, long long now_ms) -> std::string {
            usage::QuotaDecision decision = quotas.admit(tenant, now_ms);
            if (decision.allowed) return "";
            return decision.quota + " used up (" + std::to_string(decision.used) + " of " +
                   std::to_string(decision.limit) + ")";
        });
    context.crons = &cron_service;
    // Registered log sources are pulled by every host that has pulling on;
    // a lease in the database keeps each source to one host at a time.
    signals::LogPuller log_puller(incident_service, config.signals.pull, settings.host_id);
    deployments::DeploymentService deployment_service(*store, workflow_service, run_service);
    context.deployments = &deployment_service;
    context.github = &config.github;
    github::OAuthStates oauth_states(store::secret_box().derive_key("agenthost github oauth state"));
    context.oauth_states = &oauth_states;
    if (authenticator.required() && config.auth.admin_key.empty() && !config.auth.jwt.enabled()) {
        // Nobody could call anything: say how to get a first key.
        bool any_key = false;
        try {
            any_key = !key_service.list().empty();
        } catch (const std::exception&) {
            any_key = true;  // cannot tell; the store's own errors are reported elsewhere
        }
        if (!any_key)
            log::warn("auth is required but no API key exists: create one with 'agentctl keys create --data-dir "
                      "DIR --name admin --scopes admin,read,invoke,cancel,approve' or set AGENTHOST_ADMIN_KEY");
    }
    webhooks::WebhookDispatcher webhook_dispatcher(
        *store, config.webhooks, settings.host_id,
        [&context](const store::WebhookDelivery& delivery) { return api::webhook_payload(context, delivery); });
    try {
        webhook_dispatcher.start(database.dialect == store::Dialect::sqlite);
    } catch (const std::exception& e) {
        dispatcher.stop();
        return fail(std::string("recovering webhook deliveries failed: ") + e.what());
    }
    // Before the first request: a POST /plugins/{name}/reload must update
    // the router and dispatcher too.
    app::LiveReload live_reload(config, argc, argv, *registry, dispatcher, task_router);
    http::BlockingWork blocking(static_cast<size_t>(config.blocking_threads), 256);
    context.blocking = &blocking;
    http::Router router;
    api::add_routes(router, context);

    // A waiting answer ends by the invoke timeout (504); the margin covers
    // the run's own recording.
    http::HttpServer server({config.host, static_cast<uint16_t>(config.port), config.http_threads,
                             config.max_request_bytes, config.header_timeout_seconds,
                             config.invoke_timeout_seconds + 60},
                            router, api::access_filter({authenticator, rate_limiter, cors, &quotas}));
    try {
        server.start();
    } catch (const std::exception& e) {
        dispatcher.stop();
        webhook_dispatcher.stop();
        return fail("cannot listen on " + config.host + ":" + std::to_string(config.port) + ": " + e.what());
    }
    context.ready = true;
    cron_service.start();
    if (config.signals.pull.enabled) log_puller.start();
    live_reload.start_hangup_thread(hangup);
    live_reload.start_watching();
    log::info("listening", {{"host", config.host},
                            {"port", static_cast<int>(server.port())},
                            {"host_id", settings.host_id},
                            {"database", database.display},
                            {"agents", static_cast<long long>(registry->count(plugins::PluginState::loaded))},
                            {"failed_plugins", static_cast<long long>(registry->count(plugins::PluginState::failed))}});

    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    log::info("stopping", {{"signal", signal_number}});
    server.drain();
    start_stop_deadline(stop_signals, config.shutdown_timeout_seconds, dispatcher, waiters);

    // Refuse new work, let claimed runs finish and record their outcome,
    // answer whoever still waits, then close.
    context.ready = false;
    cron_service.stop();
    log_puller.stop();
    dispatcher.stop();
    workers.stop();
    waiters.abandon_all();
    blocking.stop();
    webhook_dispatcher.stop();
    quotas.stop();
    store_sweeper.stop();
    llm_service.stop();
    feed.stop();
    streams.stop();
    websockets.stop();
    store->stop();
    server.shutdown();
    telemetry::stop_tracing();  // sends the spans still queued
    log::info("stopped");
    log::shutdown();
    return 0;
}
