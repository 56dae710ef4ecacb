// End-to-end through the built libscaffold_agent.so and the C ABI, and the
// manifest against the plugin manifest schema.
#include <agenthost/agent.hpp>
#include <catch2/catch.hpp>
#include <fake_host.hpp>
#include <json_schema.hpp>
#include <plugin_checks.hpp>

using textkit::testing::parse_json;
using textkit::testing::read_json_file;
using textkit::testing::run_input;
using textkit::testing::schema_violation;

namespace {

struct LoadedAgent : textkit::testing::CreatedAgent {
    LoadedAgent() : CreatedAgent(SCAFFOLD_PLUGIN_PATH) {}
};

}  // namespace

TEST_CASE("the scaffold manifest is valid and matches the library", "[manifest]") {
    const auto manifest = textkit::testing::checked_manifest(SCAFFOLD_MANIFEST_PATH, MANIFEST_SCHEMA_PATH,
                                                             SCAFFOLD_PLUGIN_PATH, SCAFFOLD_PLUGIN_FILE_NAME, "development");
    CHECK(schema_violation(manifest["input_schema"], parse_json(R"~({"stack":"go-http","features":{"database":"sqlite"}})~")) == "");
    CHECK(schema_violation(manifest["input_schema"], parse_json(R"~({"stack":"cobol"})~")) != "");
}

TEST_CASE("generate and review through the ABI satisfy the output schema", "[plugin]") {
    LoadedAgent agent;
    const auto manifest = read_json_file(SCAFFOLD_MANIFEST_PATH);
    auto run = agent.host.invoke(run_input("Create a FastAPI project called inventory with postgres and docker"));
    REQUIRE(run.status == AGENTHOST_OK);
    auto result = parse_json(run.result_json);
    CHECK(schema_violation(manifest["output_schema"], result) == "");
    CHECK(result["name"] == "inventory");
    CHECK(result["stack"] == "python-fastapi");
    CHECK(result["features"]["database"] == "postgres");
    CHECK(run.events.size() == result["artifacts"].Size());  // a progress event per file

    run = agent.host.invoke(run_input("review", R"~({"files":{"Dockerfile":"FROM node\n"}})~"));
    REQUIRE(run.status == AGENTHOST_OK);
    result = parse_json(run.result_json);
    CHECK(schema_violation(manifest["output_schema"], result) == "");
    CHECK(result["mode"] == "review");
    CHECK(result["findings"].Size() >= 5);
}

TEST_CASE("bad input through the ABI is INVALID_INPUT naming the field", "[plugin]") {
    LoadedAgent agent;
    auto run = agent.host.invoke(run_input("x", R"~({"stack":"rust"})~"));
    CHECK(run.status == AGENTHOST_ERROR_INVALID_INPUT);
    CHECK_THAT(run.error, Catch::Contains("context.stack"));
    run = agent.host.invoke(run_input("x", R"~({"features":{"tests":"yes"}})~"));
    CHECK(run.status == AGENTHOST_ERROR_INVALID_INPUT);
    CHECK_THAT(run.error, Catch::Contains("context.features.tests"));
}
