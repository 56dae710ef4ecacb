// Through the built libdockerfile_generator.so and the C ABI: the context
// from thread memory (as context_analyzer leaves it), artifacts, the
// dockerfiles memory for terraform_generator, review mode and refusals.
#include <agenthost/agent.hpp>
#include <catch2/catch.hpp>
#include <fake_host.hpp>
#include <json_schema.hpp>
#include <plugin_checks.hpp>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "support.hpp"

using textkit::testing::parse_json;
using textkit::testing::read_json_file;
using textkit::testing::run_input;
using textkit::testing::schema_violation;

namespace {

std::string serialized(const rapidjson::Value& value) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    value.Accept(writer);
    return buffer.GetString();
}

struct LoadedAgent : textkit::testing::CreatedAgent {
    LoadedAgent() : CreatedAgent(DOCKERFILE_PLUGIN_PATH) { host.set_permissions({"events", "memory"}); }
};

}  // namespace

TEST_CASE("the manifest is valid and matches the library", "[manifest]") {
    textkit::testing::checked_manifest(DOCKERFILE_MANIFEST_PATH, MANIFEST_SCHEMA_PATH, DOCKERFILE_PLUGIN_PATH,
                                       DOCKERFILE_PLUGIN_FILE_NAME, "infrastructure");
}

TEST_CASE("generate reads repository_context from thread memory and answers artifacts", "[plugin]") {
    LoadedAgent agent;
    const auto manifest = read_json_file(DOCKERFILE_MANIFEST_PATH);
    agent.host.memory()["repository_context"] = serialized(devkit::to_json(dockerfile_test::fixture_context("monorepo")));
    auto run = agent.host.invoke(run_input("write the dockerfiles"));
    REQUIRE(run.status == AGENTHOST_OK);
    auto result = parse_json(run.result_json);
    CHECK(schema_violation(manifest["output_schema"], result) == "");
    REQUIRE(result["artifacts"].Size() == 4);
    CHECK(result["artifacts"][0]["path"] == "services/api/Dockerfile");
    CHECK(result["artifacts"][1]["path"] == "services/api/.dockerignore");
    CHECK(result["services"][1]["port"] == 4000);
    CHECK(result["services"][0]["review_problems"] == 0);
    auto kept = parse_json(agent.host.memory()["dockerfiles"]);
    CHECK(kept["services"][1]["name"] == "web");
    CHECK(kept["services"][1]["health_path"] == "/health");
    // The existing Dockerfile is mentioned, not silently overwritten.
    bool mentioned = false;
    for (const auto& warning : result["warnings"].GetArray())
        mentioned = mentioned || std::string(warning.GetString()).find("Dockerfile already exists") != std::string::npos;
    CHECK(mentioned);

    auto one = agent.host.invoke(run_input("only web", R"({"service":"web"})"));
    REQUIRE(one.status == AGENTHOST_OK);
    CHECK(parse_json(one.result_json)["artifacts"].Size() == 2);
}

TEST_CASE("review mode answers hadolint findings with lines", "[plugin]") {
    LoadedAgent agent;
    auto run = agent.host.invoke(run_input("review", R"({"mode":"review","dockerfile":"FROM python\nADD . /app\n"})"));
    REQUIRE(run.status == AGENTHOST_OK);
    auto result = parse_json(run.result_json);
    CHECK(schema_violation(read_json_file(DOCKERFILE_MANIFEST_PATH)["output_schema"], result) == "");
    CHECK(result["findings"][0]["rule"] == "DL3006");
    CHECK(result["findings"][1]["rule"] == "DL3020");
    CHECK(result["findings"][1]["line"] == 2);
}

TEST_CASE("a Dockerfile pasted into the task is reviewed", "[plugin]") {
    // An outsider's: it answered "no repository context: run
    // context_analyzer first" to a Dockerfile in plain sight.
    LoadedAgent agent;
    auto run = agent.host.invoke(
        run_input("Review this Dockerfile: FROM python:latest\nRUN pip install flask\nCMD python app.py"));
    INFO(run.error);
    REQUIRE(run.status == AGENTHOST_OK);
    auto result = parse_json(run.result_json);
    CHECK(result["mode"] == "review");
    bool latest = false;
    for (const auto& finding : result["findings"].GetArray()) latest = latest || finding["rule"] == "DL3007";
    CHECK(latest);
    // On its own lines too; and prose that says "from" is no Dockerfile.
    auto lines = agent.host.invoke(run_input("Check this one\nFROM node:20\nADD . /app\n"));
    REQUIRE(lines.status == AGENTHOST_OK);
    CHECK(parse_json(lines.result_json)["mode"] == "review");
    auto prose = agent.host.invoke(run_input("Generate a Dockerfile from my repository"));
    CHECK(prose.status == AGENTHOST_ERROR_INVALID_INPUT);
    CHECK_THAT(prose.error, Catch::Contains("run context_analyzer"));
}

TEST_CASE("refusals name the field", "[plugin]") {
    LoadedAgent agent;
    auto none = agent.host.invoke(run_input("write a dockerfile"));
    CHECK(none.status == AGENTHOST_ERROR_INVALID_INPUT);
    CHECK_THAT(none.error, Catch::Contains("run context_analyzer"));
    auto bad = agent.host.invoke(run_input("x", R"({"repository_context":{"services":[{"name":"a"}]}})"));
    CHECK(bad.status == AGENTHOST_ERROR_INVALID_INPUT);
    CHECK_THAT(bad.error, Catch::Contains("context.repository_context.services[0].language"));
    auto mode = agent.host.invoke(run_input("x", R"({"mode":"explode"})"));
    CHECK_THAT(mode.error, Catch::Contains("context.mode"));
    auto review = agent.host.invoke(run_input("x", R"({"mode":"review"})"));
    CHECK_THAT(review.error, Catch::Contains("context.dockerfile"));
    agent.host.memory()["repository_context"] = serialized(devkit::to_json(dockerfile_test::fixture_context("go_nethttp")));
    auto missing = agent.host.invoke(run_input("x", R"({"service":"nope"})"));
    CHECK_THAT(missing.error, Catch::Contains("context.service 'nope'"));
}
