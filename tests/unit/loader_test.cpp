// The plugin loader against fixture plugins built to be broken in one way
// each (tests/fixtures/plugins).
#include "host_process.hpp"
#include "plugins/agent_registry.hpp"
#include "util/log.hpp"

#include <agenthost/abi.h>

#include <catch2/catch.hpp>
#include <dlfcn.h>
#include <spdlog/spdlog.h>

#include <map>

using namespace agenthost;
using Catch::Matchers::Contains;

namespace {

std::map<std::string, AgentSettings> enable(std::initializer_list<std::string> names) {
    std::map<std::string, AgentSettings> agents;
    for (const auto& name : names) agents[name].enabled = true;
    return agents;
}

std::shared_ptr<const rapidjson::Document> config_of(const std::string& text) {
    auto document = std::make_shared<rapidjson::Document>();
    document->Parse(text.c_str());
    return document;
}

const plugins::PluginRecord& record(const plugins::AgentRegistry& registry, const std::string& name) {
    auto found = registry.find(name);
    REQUIRE(found != nullptr);
    return *found;
}

// Run services that keep what the plugin sends.
struct RecordingServices : plugins::RunServices {
    std::vector<std::pair<std::string, std::string>> events;
    std::map<std::string, std::string> memory;
    void emit_event(const std::string& type, const std::string& data) override { events.emplace_back(type, data); }
    std::optional<std::string> memory_get(const std::string& key) override {
        auto found = memory.find(key);
        return found == memory.end() ? std::nullopt : std::optional<std::string>(found->second);
    }
    void memory_put(const std::string& key, const std::string& value) override { memory[key] = value; }
};

plugins::InvokeOutcome invoke(const plugins::LoadedAgent& agent, RecordingServices& services,
                              const std::string& context = "{}", bool cancelled = false) {
    plugins::RunContext run(agent, services);
    run.cancelled = cancelled;
    return agent.invoke(run, R"({"run_id":"r1","thread_id":"t1","task":"say hi","context":)" + context + "}");
}

struct QuietLog {
    QuietLog() {
        static bool initialised = false;
        if (!initialised) log::init(log::Level::error);
        initialised = true;
        // The refusals are the point of these tests; their log lines are noise.
        spdlog::set_level(spdlog::level::off);
    }
};

}  // namespace

TEST_CASE("the loader loads good plugins and refuses each broken one with the file and the reason") {
    QuietLog quiet;
    auto registry = plugins::AgentRegistry::discover(
        {testing::fixture_plugin_dir()},
        enable({"echo", "thrower", "abi_major", "abi_minor", "name_mismatch", "version_mismatch", "no_entry", "missing_library",
                "bad_manifest", "unparsable_manifest", "not_installed"}));

    CHECK(record(*registry, "echo").state == plugins::PluginState::loaded);
    CHECK(record(*registry, "thrower").state == plugins::PluginState::loaded);

    const std::string kHostAbi = "ABI 1." + std::to_string(AGENTHOST_ABI_VERSION_MINOR);
    const std::string kNextMinorAbi = "ABI 1." + std::to_string(AGENTHOST_ABI_VERSION_MINOR + 1);
    const auto& major = record(*registry, "abi_major");
    CHECK(major.state == plugins::PluginState::failed);
    CHECK_THAT(major.reason, Contains("ABI major mismatch") && Contains("libabi_major.so") &&
                                 Contains("ABI 2.0") && Contains(kHostAbi));

    const auto& minor = record(*registry, "abi_minor");
    CHECK(minor.state == plugins::PluginState::failed);
    CHECK_THAT(minor.reason, Contains("ABI too new") && Contains("libabi_minor.so") && Contains(kNextMinorAbi) &&
                                 Contains(kHostAbi));

    const auto& name = record(*registry, "name_mismatch");
    CHECK(name.state == plugins::PluginState::failed);
    CHECK_THAT(name.reason, Contains("name mismatch") && Contains("someone_else") && Contains("libname_mismatch.so"));

    const auto& version = record(*registry, "version_mismatch");
    CHECK(version.state == plugins::PluginState::failed);
    CHECK_THAT(version.reason, Contains("version mismatch") && Contains("'9.9.9'") && Contains("'0.0.1'"));

    const auto& entry = record(*registry, "no_entry");
    CHECK(entry.state == plugins::PluginState::failed);
    CHECK_THAT(entry.reason, Contains("missing entry point") && Contains("libno_entry.so") &&
                                 Contains(AGENTHOST_ENTRY_POINT_NAME));

    const auto& missing = record(*registry, "missing_library");
    CHECK(missing.state == plugins::PluginState::failed);
    CHECK_THAT(missing.reason, Contains("library not found") && Contains("libnot_there.so"));

    const auto& bad = record(*registry, "bad_manifest");
    CHECK(bad.state == plugins::PluginState::failed);
    CHECK_THAT(bad.reason, Contains("bad manifest") && Contains("bad_manifest/manifest.json"));

    const auto& unparsable = record(*registry, "unparsable_manifest");
    CHECK(unparsable.state == plugins::PluginState::failed);
    CHECK_THAT(unparsable.reason, Contains("not valid JSON") && Contains("unparsable_manifest/manifest.json"));

    const auto& absent = record(*registry, "not_installed");
    CHECK(absent.state == plugins::PluginState::failed);
    CHECK_THAT(absent.reason, Contains("no plugin named 'not_installed'"));

    CHECK(registry->count(plugins::PluginState::loaded) == 2);
    CHECK(registry->loaded_agents().size() == 2);
}

TEST_CASE("plugins not enabled in config are listed as disabled and not loaded") {
    QuietLog quiet;
    auto registry = plugins::AgentRegistry::discover({testing::fixture_plugin_dir()}, enable({"echo"}));
    CHECK(record(*registry, "thrower").state == plugins::PluginState::disabled);
    CHECK(record(*registry, "thrower").agent == nullptr);
    // A disabled broken plugin is never opened, so it is not reported broken.
    CHECK(record(*registry, "abi_major").state == plugins::PluginState::disabled);
}

TEST_CASE("agent config is merged with the manifest defaults and validated against its schema") {
    QuietLog quiet;
    auto agents = enable({"echo"});
    agents["echo"].config = config_of(R"({"greeting": 5})");
    auto registry = plugins::AgentRegistry::discover({testing::fixture_plugin_dir()}, agents);
    const auto& echo = record(*registry, "echo");
    CHECK(echo.state == plugins::PluginState::failed);
    CHECK_THAT(echo.reason, Contains("invalid config for agent 'echo'") &&
                                Contains("/agents/echo/config/greeting: must be a string"));

    agents["echo"].config = config_of(R"({"greeting": "hej"})");
    registry = plugins::AgentRegistry::discover({testing::fixture_plugin_dir()}, agents);
    REQUIRE(record(*registry, "echo").agent);
    CHECK(record(*registry, "echo").agent->config_json() == R"({"greeting":"hej"})");

    agents["echo"].config = nullptr;  // the manifest's default_config applies
    registry = plugins::AgentRegistry::discover({testing::fixture_plugin_dir()}, agents);
    CHECK(record(*registry, "echo").agent->config_json() == R"({"greeting":"hello"})");
}

TEST_CASE("an agent whose constructor throws is refused with its message") {
    QuietLog quiet;
    auto agents = enable({"echo"});
    agents["echo"].config = config_of(R"({"fail_to_start": true})");
    auto registry = plugins::AgentRegistry::discover({testing::fixture_plugin_dir()}, agents);
    CHECK_THAT(record(*registry, "echo").reason,
               Contains("failed to initialise") && Contains("configured to fail at start"));
}

TEST_CASE("invoking through the ABI: results, events, memory, errors, permissions, cancellation") {
    QuietLog quiet;
    auto registry = plugins::AgentRegistry::discover({testing::fixture_plugin_dir()}, enable({"echo", "thrower"}));
    const auto& echo = *record(*registry, "echo").agent;
    RecordingServices services;

    auto ok = invoke(echo, services, R"({"note":"x"})");
    REQUIRE(ok.status == AGENTHOST_OK);
    CHECK_THAT(ok.result_json, Contains(R"("task":"say hi")") && Contains(R"("greeting":"hello")") &&
                                   Contains(R"("context":{"note":"x"})") && Contains(R"("thread_run_count":1)"));
    REQUIRE(services.events.size() == 1);
    CHECK(services.events[0].first == "agent.progress");
    CHECK_THAT(services.events[0].second, Contains(R"("message":"echoing")"));
    CHECK_THAT(invoke(echo, services).result_json, Contains(R"("thread_run_count":2)"));

    auto rejected = invoke(echo, services, R"({"action":"reject"})");
    CHECK(rejected.status == AGENTHOST_ERROR_INVALID_INPUT);
    CHECK(rejected.error == "the echo agent was asked to reject its input");

    auto no_permission = invoke(echo, services, R"({"action":"use_llm"})");
    CHECK(no_permission.status == AGENTHOST_ERROR_PERMISSION_DENIED);
    CHECK_THAT(no_permission.error, Contains("without the 'llm' permission"));

    auto cancelled = invoke(echo, services, R"({"action":"sleep","ms":5000})", true);
    CHECK(cancelled.status == AGENTHOST_ERROR_CANCELLED);

    auto thrown = invoke(*record(*registry, "thrower").agent, services);
    CHECK(thrown.status == AGENTHOST_ERROR_FAILED);
    CHECK(thrown.error == "unhandled exception in agent: boom from thrower");
}

TEST_CASE("a plugin library is unloaded once nothing holds its agent") {
    QuietLog quiet;
    std::string library = testing::fixture_plugin_dir() + "/echo/libecho.so";
    std::shared_ptr<plugins::LoadedAgent> held;
    {
        auto registry = plugins::AgentRegistry::discover({testing::fixture_plugin_dir()}, enable({"echo"}));
        held = record(*registry, "echo").agent;
    }
    // The registry is gone but a run still holds the agent: still mapped.
    void* probe = dlopen(library.c_str(), RTLD_NOW | RTLD_NOLOAD);
    CHECK(probe != nullptr);
    if (probe) dlclose(probe);
    held.reset();
    CHECK(dlopen(library.c_str(), RTLD_NOW | RTLD_NOLOAD) == nullptr);
}
