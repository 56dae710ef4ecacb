// agenthost: loads agent plugins and serves them over REST until SIGTERM.
#include "api/api_context.hpp"
#include "api/routes.hpp"
#include "config/host_config.hpp"
#include "http/http_server.hpp"
#include "plugins/agent_registry.hpp"
#include "runs/invocation_service.hpp"
#include "runs/thread_memory.hpp"
#include "runs/worker_pool.hpp"
#include "util/log.hpp"
#include "version.hpp"

#include <csignal>
#include <filesystem>
#include <iostream>
#include <pthread.h>
#include <unistd.h>

namespace {

// Plugins built with the host live in build/plugins, beside build/bin.
std::string default_plugin_dir(const char* argv0) {
    std::error_code error;
    auto exe = std::filesystem::read_symlink("/proc/self/exe", error);
    if (error) exe = std::filesystem::absolute(argv0);
    return (exe.parent_path().parent_path() / "plugins").string();
}

}  // namespace

int main(int argc, char** argv) {
    using namespace agenthost;

    HostConfig config;
    try {
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

    // Block the stop signals in every thread; main waits for them below.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

    log::init(config.log_level);
    log::info("starting", {{"version", kVersion},
                           {"config", config.config_path.empty() ? "(defaults)" : config.config_path},
                           {"pid", static_cast<long long>(getpid())}});

    auto registry = plugins::AgentRegistry::discover(config.plugin_dirs, config.agents);
    runs::WorkerPool workers(static_cast<size_t>(config.worker_count), config.queue_limit);
    runs::ThreadMemory memory;
    runs::InvocationService invocations(*registry, workers, memory);

    api::ApiContext context{*registry, invocations, workers, kVersion, std::chrono::steady_clock::now()};
    http::Router router;
    api::add_routes(router, context);

    http::HttpServer server({config.host, static_cast<uint16_t>(config.port), config.http_threads,
                             config.max_request_bytes},
                            router);
    try {
        server.start();
    } catch (const std::exception& e) {
        log::error("cannot listen", {{"host", config.host}, {"port", config.port}, {"error", e.what()}});
        std::cerr << "agenthost: cannot listen on " << config.host << ":" << config.port << ": " << e.what() << "\n";
        return 1;
    }
    context.ready = true;
    log::info("listening", {{"host", config.host},
                            {"port", static_cast<int>(server.port())},
                            {"agents", static_cast<long long>(registry->count(plugins::PluginState::loaded))},
                            {"failed_plugins", static_cast<long long>(registry->count(plugins::PluginState::failed))}});

    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    log::info("stopping", {{"signal", signal_number}});

    // Refuse new work, let accepted runs finish and answer, then close.
    context.ready = false;
    workers.stop();
    server.shutdown();
    log::info("stopped");
    log::shutdown();
    return 0;
}
