// End-to-end through the built libmonitoring_agent.so and the C ABI, and
// the manifest against the plugin manifest schema.
#include <agenthost/agent.hpp>
#include <catch2/catch.hpp>
#include <fake_host.hpp>
#include <json_schema.hpp>
#include <plugin_checks.hpp>

using textkit::testing::FakeHost;
using textkit::testing::parse_json;
using textkit::testing::read_json_file;
using textkit::testing::run_input;
using textkit::testing::schema_violation;

namespace {

struct LoadedAgent : textkit::testing::CreatedAgent {
    LoadedAgent() : CreatedAgent(MONITORING_PLUGIN_PATH) {}
};

}  // namespace

TEST_CASE("the manifest is valid and matches the library", "[manifest]") {
    const auto manifest = textkit::testing::checked_manifest(MONITORING_MANIFEST_PATH, MANIFEST_SCHEMA_PATH, MONITORING_PLUGIN_PATH,
                                                             MONITORING_PLUGIN_FILE_NAME, "operations");
    CHECK(schema_violation(manifest["input_schema"], parse_json(R"({"service":"a","slo":{"availability":99.9}})")) == "");
    CHECK(schema_violation(manifest["input_schema"], parse_json(R"({"mode":"explain"})")) != "");
}

TEST_CASE("generate through the ABI returns artifacts that satisfy the output schema", "[plugin]") {
    LoadedAgent agent;
    const auto run = agent.host.invoke(run_input("Alerts and a Grafana dashboard for the payments API, 99.9% SLO"));
    REQUIRE(run.status == AGENTHOST_OK);
    const auto result = parse_json(run.result_json);
    const auto manifest = read_json_file(MONITORING_MANIFEST_PATH);
    CHECK(schema_violation(manifest["output_schema"], result) == "");
    CHECK(result["service"] == "payments");
    REQUIRE(result["artifacts"].Size() == 3);
    CHECK(result["artifacts"][0]["path"] == "monitoring/payments/payments.rules.yaml");
    CHECK(result["burn_rate_alerts"][0]["burn_rate"].GetDouble() == Approx(14.4));
    CHECK(run.events.size() == 3);
}

TEST_CASE("analyze through the ABI and bad input as INVALID_INPUT naming the field", "[plugin]") {
    LoadedAgent agent;
    auto run = agent.host.invoke(run_input(
        "what is wrong?", R"({"mode":"analyze","service":"pay","metrics_sample":"http_requests_total{code=\"500\"} 50\nhttp_requests_total{code=\"200\"} 50\n"})"));
    REQUIRE(run.status == AGENTHOST_OK);
    const auto result = parse_json(run.result_json);
    CHECK(schema_violation(read_json_file(MONITORING_MANIFEST_PATH)["output_schema"], result) == "");
    REQUIRE(result["anomalies"].Size() == 1);
    CHECK(result["anomalies"][0]["type"] == "error_rate_spike");

    run = agent.host.invoke(run_input("x", R"({"mode":"analyze"})"));
    CHECK(run.status == AGENTHOST_ERROR_INVALID_INPUT);
    CHECK_THAT(run.error, Catch::Contains("context.metrics_sample"));
    run = agent.host.invoke(run_input("x", R"({"slo":{"availability":120}})"));
    CHECK(run.status == AGENTHOST_ERROR_INVALID_INPUT);
    CHECK_THAT(run.error, Catch::Contains("context.slo.availability"));
    run = agent.host.invoke(run_input("x", R"({"mode":"explain"})"));
    CHECK(run.status == AGENTHOST_ERROR_INVALID_INPUT);
    CHECK_THAT(run.error, Catch::Contains("context.mode"));
}
