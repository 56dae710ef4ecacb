// codegen_agent through the running host: the generated files come back in
// the result and as artifact events, and document errors are a 422 naming
// the location.
#include "fake_llm_server.hpp"
#include "test_host.hpp"

#include <fstream>
#include <sstream>

using namespace agenthost::testing;
using Catch::Matchers::Contains;

namespace {

HostProcess& host() {
    static HostProcess instance(host_config(R"({"codegen_agent":{"enabled":true}})"));
    return instance;
}

// A small document with a $ref, a path parameter, a body and an enum.
const char* const todo_api = R"({"openapi":"3.0.3","info":{"title":"Todo","version":"1.0"},
  "paths":{
    "/todos":{"post":{"operationId":"createTodo",
      "requestBody":{"required":true,"content":{"application/json":{"schema":{"$ref":"#/components/schemas/Todo"}}}},
      "responses":{"201":{"description":"created","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Todo"}}}}}}},
    "/todos/{id}":{"get":{"operationId":"getTodo",
      "parameters":[{"name":"id","in":"path","required":true,"schema":{"type":"integer"}}],
      "responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Todo"}}}}}}}},
  "components":{"schemas":{"Todo":{"type":"object","required":["title"],"properties":{
    "title":{"type":"string"},"state":{"type":"string","enum":["open","done"]}}}}}})";

std::string fixture(const std::string& name) {
    std::ifstream in(std::string(AGENTHOST_SOURCE_DIR) + "/plugins/codegen_agent/tests/fixtures/" + name);
    std::ostringstream text;
    text << in.rdbuf();
    REQUIRE_FALSE(text.str().empty());
    return text.str();
}

}  // namespace

TEST_CASE("codegen_agent takes documents shaped like large real-world ones", "[codegen]") {
    HttpClient client(host().base_url());
    // Empty enums, recursive error details and form, multipart and binary
    // bodies (an OpenAPI 3.1 document); patternProperties, tuple items and
    // boolean schemas (a workflow JSON Schema); alias cycles.
    for (const char* name : {"chat_platform.openapi.json", "ci_workflow.schema.json", "recursive_shapes.schema.json"}) {
        INFO(name);
        auto result = client.post("/agent/invoke", R"({"agent_name":"codegen_agent","task":"Generate models",)"
                                                   R"("context":{"language":"typescript","spec":)" +
                                                       json_quote(fixture(name)) + "}}");
        INFO(result.body.substr(0, 2000));
        REQUIRE(result.status == 200);
        auto body = json_of(result);
        CHECK(body["result"]["artifacts"].Size() >= 2);
        if (std::string(name) == "chat_platform.openapi.json") {
            std::string warnings;
            for (const auto& warning : body["result"]["warnings"].GetArray()) warnings += warning.GetString();
            CHECK_THAT(warnings, Contains("GuildFeatures/enum: empty enum"));
            CHECK_THAT(warnings, !Contains("not supported"));
        }
    }
}

TEST_CASE("codegen_agent generates Python and TypeScript through the host", "[codegen]") {
    HttpClient client(host().base_url());
    auto result =
        client.post("/agent/invoke", std::string(R"({"agent_name":"codegen_agent","task":"Generate an API client",
        "context":{"language":"both","spec":)") +
                                         todo_api + "}}");
    INFO(result.body);
    REQUIRE(result.status == 200);
    auto body = json_of(result);
    const auto& artifacts = body["result"]["artifacts"];
    std::vector<std::string> paths;
    for (const auto& artifact : artifacts.GetArray()) paths.emplace_back(artifact["path"].GetString());
    CHECK(paths == std::vector<std::string>{"python/todo/__init__.py", "python/todo/models.py", "python/todo/client.py",
                                            "typescript/todo/models.ts", "typescript/todo/client.ts",
                                            "typescript/todo/index.ts"});
    CHECK_THAT(std::string(artifacts[2]["content"].GetString()), Contains("def create_todo("));
    CHECK_THAT(std::string(artifacts[4]["content"].GetString()), Contains("async getTodo(id: number)"));
    CHECK_THAT(std::string(body["result"]["summary"].GetString()), Contains("2 operations"));

    // One artifact event per file, in order, each with the file's content.
    auto events = json_of(client.get(std::string("/runs/") + body["run_id"].GetString() + "/events"));
    std::size_t artifact_events = 0;
    for (const auto& event : events["events"].GetArray()) {
        if (std::string(event["type"].GetString()) != "artifact") continue;
        REQUIRE(artifact_events < paths.size());
        CHECK(std::string(event["data"]["path"].GetString()) == paths[artifact_events]);
        CHECK(std::string(event["data"]["content"].GetString()) == artifacts[artifact_events]["content"].GetString());
        ++artifact_events;
    }
    CHECK(artifact_events == paths.size());
}

TEST_CASE("codegen_agent answers 422 for an unresolvable $ref and for a bad language", "[codegen]") {
    HttpClient client(host().base_url());
    // The first $ref (the request body's) now points nowhere.
    std::string broken = todo_api;
    const std::string ref = "\"#/components/schemas/Todo\"";
    const auto at = broken.find(ref);
    REQUIRE(at != std::string::npos);
    broken.replace(at, ref.size(), "\"#/components/schemas/Todos\"");
    auto bad_ref = client.post(
        "/agent/invoke",
        std::string(R"({"agent_name":"codegen_agent","task":"Generate","context":{"spec":)") + broken + "}}");
    INFO(bad_ref.body);
    CHECK(bad_ref.status == 422);
    CHECK_THAT(bad_ref.body, Contains("/paths/~1todos/post/requestBody/content/application~1json/schema/$ref"));
    CHECK_THAT(bad_ref.body, Contains("#/components/schemas/Todos"));

    // The host checks the context against the manifest's input schema.
    auto bad_language = client.post(
        "/agent/invoke",
        std::string(R"({"agent_name":"codegen_agent","task":"Generate","context":{"language":"java","spec":)") +
            todo_api + "}}");
    INFO(bad_language.body);
    CHECK(bad_language.status == 422);
    CHECK_THAT(bad_language.body, Contains("language"));
}
