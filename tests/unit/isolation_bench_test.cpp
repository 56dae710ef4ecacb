// What process isolation adds to one invoke, without HTTP or the database in
// the way: sentiment loaded in process and in a runner process, invoked
// directly through LoadedAgent, alternating blocks so a shared machine's
// load skews both alike. For the README's bench section; not run by default:
//   build/bin/host_unit_tests "[isolation-bench]"
#include "host_process.hpp"
#include "plugins/agent_registry.hpp"
#include "plugins/runner_client.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>

using namespace agenthost;

namespace {

struct NullServices : plugins::RunServices {
    void emit_event(const std::string&, const std::string&) override {}
    std::optional<std::string> memory_get(const std::string&) override { return std::nullopt; }
    void memory_put(const std::string&, const std::string&) override {}
};

double invoke_us(const plugins::LoadedAgent& agent, const std::string& input) {
    NullServices services;
    plugins::RunContext run(agent, services);
    auto start = std::chrono::steady_clock::now();
    plugins::InvokeOutcome outcome = agent.invoke(run, input);
    auto elapsed = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
    REQUIRE(outcome.status == AGENTHOST_OK);
    return elapsed;
}

double percentile(std::vector<double> values, double p) {
    std::sort(values.begin(), values.end());
    return values[static_cast<size_t>(p * (values.size() - 1))];
}

}  // namespace

TEST_CASE("process isolation's cost per invoke, sentiment, without HTTP", "[.][isolation-bench]") {
    plugins::set_runner_path(
        (std::filesystem::path(testing::host_binary()).parent_path() / "agenthost-plugin-runner").string());
    auto read = plugins::read_manifest(testing::first_party_plugin_dir() + "/sentiment/manifest.json");
    REQUIRE(read.manifest);
    std::string error;
    auto config = plugins::effective_config(*read.manifest, nullptr, error);
    REQUIRE(config);
    plugins::RunnerSandbox sandbox;
    sandbox.use_bwrap = plugins::bwrap_available(error);
    auto in_process = plugins::LoadedAgent::load(*read.manifest, *config, error, plugins::Isolation::in_process);
    auto process = plugins::LoadedAgent::load(*read.manifest, *config, error, plugins::Isolation::process, sandbox);
    REQUIRE(in_process);
    REQUIRE(process);
    const std::string input = R"({"run_id":"r","thread_id":"t","task":"The new release is fast and reliable, and support )"
                              R"(answered within minutes. The only downside is that the export button is still hard )"
                              R"(to find, but overall we are very happy with it.","context":{},"attempt":1})";
    for (int i = 0; i < 200; ++i) {
        invoke_us(*in_process, input);
        invoke_us(*process, input);
    }
    std::vector<double> in_times, process_times;
    for (int block = 0; block < 20; ++block) {
        for (int i = 0; i < 100; ++i) in_times.push_back(invoke_us(*in_process, input));
        for (int i = 0; i < 100; ++i) process_times.push_back(invoke_us(*process, input));
    }
    std::printf("sentiment invoke, %zu each, bwrap %s\n", in_times.size(), sandbox.use_bwrap ? "on" : "off");
    std::printf("  in_process  p50 %8.1f us  p99 %8.1f us\n", percentile(in_times, 0.5), percentile(in_times, 0.99));
    std::printf("  process     p50 %8.1f us  p99 %8.1f us\n", percentile(process_times, 0.5),
                percentile(process_times, 0.99));
    std::printf("  added       p50 %8.1f us  p99 %8.1f us\n", percentile(process_times, 0.5) - percentile(in_times, 0.5),
                percentile(process_times, 0.99) - percentile(in_times, 0.99));
}
