// End-to-end tests of the built libcodegen_agent.so through the C ABI, with
// the textkit fake host standing in for agenthost.
#include <agenthost/agent.hpp>
#include <catch2/catch.hpp>
#include <fake_host.hpp>
#include <json_schema.hpp>
#include <string>

#include "helpers.hpp"

using Catch::Matchers::Contains;
using textkit::testing::FakeHost;
using textkit::testing::parse_json;
using textkit::testing::read_json_file;
using textkit::testing::run_input;
using textkit::testing::RunRecord;
using textkit::testing::schema_violation;

namespace {

struct LoadedAgent {
    explicit LoadedAgent(const std::string& config_json = R"({"default_language":"both","python_min_version":"3.8"})") {
        REQUIRE(host.create_agent(config_json) == AGENTHOST_OK);
    }
    ~LoadedAgent() { CHECK(host.violations().empty()); }
    FakeHost host{CODEGEN_PLUGIN_PATH};
};

void check_output_schema(const rapidjson::Document& result) {
    const auto manifest = read_json_file(CODEGEN_MANIFEST_PATH);
    CHECK(schema_violation(manifest["output_schema"], result) == "");
}

std::vector<std::string> paths_of(const rapidjson::Document& result) {
    std::vector<std::string> paths;
    for (const auto& artifact : result["artifacts"].GetArray()) paths.emplace_back(artifact["path"].GetString());
    return paths;
}

}  // namespace

TEST_CASE("the plugin describes itself as the agent of its manifest", "[codegen][plugin]") {
    FakeHost host(CODEGEN_PLUGIN_PATH);
    const auto manifest = read_json_file(CODEGEN_MANIFEST_PATH);
    CHECK(host.descriptor().abi_version == AGENTHOST_MAKE_VERSION(1, 0));  // the manifest's abi_version
    CHECK(agenthost::from_abi(host.descriptor().name) == manifest["name"].GetString());
    CHECK(agenthost::from_abi(host.descriptor().version) == manifest["version"].GetString());
}

TEST_CASE("the pet store through the ABI: six files, progress events, summary", "[codegen][plugin]") {
    LoadedAgent agent;
    const RunRecord run = agent.host.invoke(
        run_input("Generate clients", "{\"spec\":" + helpers::json_string(helpers::fixture("petstore.yaml")) + "}"));
    INFO(run.error);
    REQUIRE(run.status == AGENTHOST_OK);
    REQUIRE(run.has_result);
    const auto result = parse_json(run.result_json);
    check_output_schema(result);
    CHECK(paths_of(result) == std::vector<std::string>{"python/pet_store/__init__.py", "python/pet_store/models.py",
                                                       "python/pet_store/client.py", "typescript/pet_store/models.ts",
                                                       "typescript/pet_store/client.ts",
                                                       "typescript/pet_store/index.ts"});
    CHECK(result["artifacts"][2]["media_type"] == "text/x-python");
    CHECK(result["artifacts"][4]["media_type"] == "text/typescript");
    CHECK(result["stats"]["operations"] == 13);
    CHECK(result["stats"]["source"] == "openapi");
    CHECK(result["settings"]["client_name"] == "PetStoreClient");
    const std::string summary = result["summary"].GetString();
    CHECK_THAT(summary, Contains("language: both (default, config default_language)"));
    CHECK_THAT(summary, Contains("13 methods"));
    CHECK(result["warnings"].Size() == 0);
    REQUIRE(run.events.size() == 3);
    for (const auto& event : run.events) CHECK(event.type == "agent.progress");
    CHECK_THAT(run.events[0].data_json, Contains("OpenAPI 3.0.3"));
}

TEST_CASE("a free-text task with an inline document and a language works alone", "[codegen][plugin]") {
    LoadedAgent agent;
    const std::string task =
        "Please write a TypeScript SDK for this API:\n"
        "openapi: 3.0.3\ninfo: {title: Todo, version: '1'}\npaths:\n  /todos:\n    get:\n      operationId: listTodos\n"
        "      responses:\n        '200':\n          description: ok\n          content:\n            "
        "application/json:\n"
        "              schema: {type: array, items: {type: object, properties: {title: {type: string}}}}\n";
    const RunRecord run = agent.host.invoke(run_input(task));
    INFO(run.error);
    REQUIRE(run.status == AGENTHOST_OK);
    const auto result = parse_json(run.result_json);
    check_output_schema(result);
    CHECK(paths_of(result) == std::vector<std::string>{"typescript/todo/models.ts", "typescript/todo/client.ts",
                                                       "typescript/todo/index.ts"});
    const std::string summary = result["summary"].GetString();
    CHECK_THAT(summary, Contains("language: typescript (named in the task)"));
    CHECK_THAT(summary, Contains("read from YAML in the task"));
    CHECK_THAT(summary, Contains("client_name: TodoClient (derived from the title)"));
}

TEST_CASE("a JSON document in the task and a config default language", "[codegen][plugin]") {
    LoadedAgent agent(R"({"default_language":"python","python_min_version":"3.11"})");
    const RunRecord run = agent.host.invoke(run_input(
        R"(make models from {"title":"Point","type":"object","required":["x"],"properties":{"x":{"type":"number"},"y":{"type":"number"}}})"));
    INFO(run.error);
    REQUIRE(run.status == AGENTHOST_OK);
    const auto result = parse_json(run.result_json);
    check_output_schema(result);
    CHECK(paths_of(result) == std::vector<std::string>{"python/point/__init__.py", "python/point/models.py"});
    CHECK(result["settings"]["python_min_version"] == "3.11");
    CHECK_THAT(std::string(result["artifacts"][1]["content"].GetString()), Contains("y: float | None = None"));
}

TEST_CASE("bad input is refused as invalid input naming the problem", "[codegen][plugin]") {
    LoadedAgent agent;
    SECTION("no document at all") {
        const RunRecord run = agent.host.invoke(run_input("write me a client"));
        CHECK(run.status == AGENTHOST_ERROR_INVALID_INPUT);
        CHECK_FALSE(run.has_result);
        CHECK_THAT(run.error, Contains("context.spec"));
    }
    SECTION("an unresolvable $ref") {
        const RunRecord run = agent.host.invoke(run_input(
            "", R"({"spec":{"openapi":"3.0.3","info":{"title":"T","version":"1"},"paths":{"/pets":{"get":{"responses":{
                  "200":{"description":"ok","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Pet"}}}}}}}}}})"));
        CHECK(run.status == AGENTHOST_ERROR_INVALID_INPUT);
        CHECK_THAT(run.error, Contains("/paths/~1pets/get/responses/200/content/application~1json/schema/$ref"));
        CHECK_THAT(run.error, Contains("#/components/schemas/Pet"));
    }
    SECTION("YAML that does not parse") {
        const RunRecord run = agent.host.invoke(run_input("", R"({"spec":"openapi: 3.0.3\ninfo: [a\n"})"));
        CHECK(run.status == AGENTHOST_ERROR_INVALID_INPUT);
        CHECK_THAT(run.error, Contains("line"));
    }
}

TEST_CASE("a cancelled run stops with the cancelled status", "[codegen][plugin]") {
    LoadedAgent agent;
    const RunRecord run =
        agent.host.invoke(run_input("", "{\"spec\":" + helpers::json_string(helpers::fixture("petstore.yaml")) + "}"),
                          /*cancelled=*/true);
    CHECK(run.status == AGENTHOST_ERROR_CANCELLED);
    CHECK_FALSE(run.has_result);
}

TEST_CASE("a config of the wrong type makes agent creation fail with a reason", "[codegen][plugin]") {
    FakeHost host(CODEGEN_PLUGIN_PATH);
    CHECK(host.create_agent(R"({"default_language":"cobol"})") == AGENTHOST_ERROR_FAILED);
    CHECK_THAT(host.create_error(), Contains("default_language"));
}

TEST_CASE("the plugin unloads when the host closes it", "[codegen][plugin]") {
    {
        LoadedAgent agent;
        agent.host.invoke(run_input("", R"({"spec":{"type":"object","properties":{"a":{"type":"string"}}}})"));
        REQUIRE(textkit::testing::is_library_loaded(CODEGEN_PLUGIN_PATH));
    }
    CHECK_FALSE(textkit::testing::is_library_loaded(CODEGEN_PLUGIN_PATH));
}
