// End-to-end through the built libtesting_agent.so and the C ABI, and the
// manifest against the plugin manifest schema.
#include <agenthost/agent.hpp>
#include <catch2/catch.hpp>
#include <fake_host.hpp>
#include <json_schema.hpp>
#include <plugin_checks.hpp>

#include "support.hpp"

using textkit::testing::parse_json;
using textkit::testing::read_json_file;
using textkit::testing::run_input;
using textkit::testing::schema_violation;

namespace {

struct LoadedAgent : textkit::testing::CreatedAgent {
    LoadedAgent() : CreatedAgent(TESTING_PLUGIN_PATH) {}
};

}  // namespace

TEST_CASE("the testing manifest is valid and matches the library", "[manifest]") {
    const auto manifest = textkit::testing::checked_manifest(TESTING_MANIFEST_PATH, MANIFEST_SCHEMA_PATH, TESTING_PLUGIN_PATH,
                                                             TESTING_PLUGIN_FILE_NAME, "development");
    CHECK(schema_violation(manifest["input_schema"], parse_json(R"~({"spec":"openapi: 3.0.0","base_url":"http://x"})~")) == "");
    CHECK(schema_violation(manifest["input_schema"], parse_json(R"~({"mode":"fix"})~")) != "");
}

TEST_CASE("contract, unit and review through the ABI satisfy the output schema", "[plugin]") {
    LoadedAgent agent;
    const auto manifest = read_json_file(TESTING_MANIFEST_PATH);
    const std::string spec = support::json_string(support::fixture("pets.openapi.yaml"));
    auto run = agent.host.invoke(run_input("Write contract tests for this API", "{\"spec\":" + spec + "}"));
    REQUIRE(run.status == AGENTHOST_OK);
    auto result = parse_json(run.result_json);
    CHECK(schema_violation(manifest["output_schema"], result) == "");
    CHECK(result["artifacts"].Size() == 3);
    CHECK(run.events.size() == 3);

    run = agent.host.invoke(run_input("unit tests please", "{\"source\":" + support::json_string(support::fixture("textstats.py")) + "}"));
    REQUIRE(run.status == AGENTHOST_OK);
    result = parse_json(run.result_json);
    CHECK(schema_violation(manifest["output_schema"], result) == "");
    CHECK(result["kind"] == "python_unit");

    run = agent.host.invoke(run_input("what is untested?", "{\"spec\":" + spec + ",\"tests\":\"def test_x():\\n  pass\\n\"}"));
    REQUIRE(run.status == AGENTHOST_OK);
    result = parse_json(run.result_json);
    CHECK(schema_violation(manifest["output_schema"], result) == "");
    CHECK(result["uncovered_operations"].Size() == 4);
}

TEST_CASE("bad input through the ABI is INVALID_INPUT naming the field", "[plugin]") {
    LoadedAgent agent;
    auto run = agent.host.invoke(run_input("tests", R"~({"spec":"not: [openapi"})~"));
    CHECK(run.status == AGENTHOST_ERROR_INVALID_INPUT);
    CHECK_THAT(run.error, Catch::Contains("context.spec"));
    run = agent.host.invoke(run_input("tests", R"~({"base_url":7,"spec":{"openapi":"3.0.0","info":{"title":"x","version":"1"},"paths":{"/a":{"get":{"responses":{"200":{"description":"ok"}}}}}}})~"));
    CHECK(run.status == AGENTHOST_ERROR_INVALID_INPUT);
    CHECK_THAT(run.error, Catch::Contains("context.base_url"));
}
