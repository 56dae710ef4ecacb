// End-to-end through the built libdatabase_agent.so and the C ABI, and the
// manifest against the plugin manifest schema.
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
    LoadedAgent() : CreatedAgent(DATABASE_PLUGIN_PATH) {}
};

}  // namespace

TEST_CASE("the manifest is valid and matches the library", "[manifest]") {
    const auto manifest = textkit::testing::checked_manifest(DATABASE_MANIFEST_PATH, MANIFEST_SCHEMA_PATH, DATABASE_PLUGIN_PATH,
                                                             DATABASE_PLUGIN_FILE_NAME, "development");
    CHECK(schema_violation(manifest["input_schema"], parse_json(R"~({"dialect":"sqlite","entities":[{"name":"a"}]})~")) == "");
    CHECK(schema_violation(manifest["input_schema"], parse_json(R"~({"mode":"explain"})~")) != "");
}

TEST_CASE("generate and review through the ABI satisfy the output schema", "[plugin]") {
    LoadedAgent agent;
    const auto manifest = read_json_file(DATABASE_MANIFEST_PATH);
    auto run = agent.host.invoke(run_input("Design a postgres schema for users and orders"));
    REQUIRE(run.status == AGENTHOST_OK);
    auto result = parse_json(run.result_json);
    CHECK(schema_violation(manifest["output_schema"], result) == "");
    CHECK(result["mode"] == "generate");
    REQUIRE(result["artifacts"].Size() == 4);
    CHECK(result["artifacts"][2]["path"] == "migrations/0002_create_orders.up.sql");
    CHECK(run.events.size() == 4);  // a progress event per file

    run = agent.host.invoke(run_input("review this migration",
                                      R"~({"migrations":[{"path":"migrations/0003_idx.up.sql","content":"CREATE INDEX i ON users (email);"}]})~"));
    REQUIRE(run.status == AGENTHOST_OK);
    result = parse_json(run.result_json);
    CHECK(schema_violation(manifest["output_schema"], result) == "");
    REQUIRE(result["findings"].Size() == 2);
    CHECK(result["findings"][0]["rule"] == "create-index-not-concurrently");
    CHECK(result["findings"][1]["rule"] == "missing-down-migration");
}

TEST_CASE("bad input through the ABI is INVALID_INPUT naming the field", "[plugin]") {
    LoadedAgent agent;
    auto run = agent.host.invoke(run_input("", "{}"));
    CHECK(run.status == AGENTHOST_ERROR_INVALID_INPUT);
    CHECK_THAT(run.error, Catch::Contains("task"));
    run = agent.host.invoke(run_input("x", R"~({"entities":[{"name":""}]})~"));
    CHECK(run.status == AGENTHOST_ERROR_INVALID_INPUT);
    CHECK_THAT(run.error, Catch::Contains("context.entities[0].name"));
    run = agent.host.invoke(run_input("x", R"~({"dialect":7})~"));
    CHECK(run.status == AGENTHOST_ERROR_INVALID_INPUT);
    CHECK_THAT(run.error, Catch::Contains("context.dialect"));
}
