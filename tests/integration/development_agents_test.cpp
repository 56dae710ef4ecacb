// scaffold_agent and testing_agent through the running host: listed by GET
// /agents under the development domain, routed from free text through the
// development supervisor, files as artifacts with an artifact event each,
// and 422 naming the field; and the two together: the FastAPI project one
// writes passes the contract suite the other writes from its OpenAPI.
#include "fake_llm_server.hpp"  // json_quote
#include "test_host.hpp"

#include <toolchain.hpp>

#include <set>

using namespace agenthost::testing;
using Catch::Matchers::Contains;

namespace {

HostProcess& host() {
    static HostProcess instance(host_config(
        R"({"scaffold_agent":{"enabled":true},"testing_agent":{"enabled":true},"database_agent":{"enabled":true},"codegen_agent":{"enabled":true}})"));
    return instance;
}

constexpr const char* pets_spec = R"(openapi: 3.0.3
info: {title: Pets, version: '1'}
paths:
  /pets:
    post:
      operationId: createPet
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, required: [name], properties: {name: {type: string}}}
      responses:
        '201': {description: created}
        '422': {description: invalid}
)";

}  // namespace

TEST_CASE("GET /agents lists scaffold_agent and testing_agent as development agents") {
    HttpClient client(host().base_url());
    auto agents = json_of(client.get("/agents"));
    std::set<std::string> development;
    for (const auto& agent : agents["domains"]["development"].GetArray()) development.insert(agent.GetString());
    CHECK(development.count("scaffold_agent") == 1);
    CHECK(development.count("testing_agent") == 1);
}

TEST_CASE("a scaffolding sentence is routed to scaffold_agent and its project comes back as artifacts") {
    HttpClient client(host().base_url());
    auto result = client.post("/agent/invoke", R"({"agent_name":null,
        "task":"Create a FastAPI project called inventory with postgres and docker"})");
    REQUIRE(result.status == 200);
    auto body = json_of(result);
    CHECK(string_member(body, "agent_used") == "scaffold_agent");
    CHECK(string_member(body["result"], "name") == "inventory");
    CHECK(string_member(body["result"]["features"], "database") == "postgres");
    const auto& artifacts = body["result"]["artifacts"];
    std::set<std::string> paths;
    for (const auto& a : artifacts.GetArray()) paths.insert(a["path"].GetString());
    for (const char* path : {"app/main.py", "tests/test_api.py", "Dockerfile", ".github/workflows/ci.yml", "README.md",
                             ".gitignore", "Makefile", "requirements.txt"})
        CHECK(paths.count(path) == 1);
    CHECK(count_events(fetch_events(client, body["run_id"].GetString()), "artifact") == artifacts.Size());

    auto bad = client.post("/agent/invoke", R"({"agent_name":"scaffold_agent","task":"new project",
        "context":{"stack":"cobol-cics"}})");
    CHECK(bad.status == 422);
}

TEST_CASE("a contract-test task is routed to testing_agent and bad specs are 422 naming the field") {
    HttpClient client(host().base_url());
    auto result = client.post("/agent/invoke", std::string(R"({"agent_name":null,
        "task":"Write contract tests for this OpenAPI spec","context":{"spec":)") +
                                                   json_quote(pets_spec) + "}}");
    REQUIRE(result.status == 200);
    auto body = json_of(result);
    CHECK(string_member(body, "agent_used") == "testing_agent");
    const auto& artifacts = body["result"]["artifacts"];
    REQUIRE(artifacts.Size() == 3);
    CHECK(string_member(artifacts[2], "path") == "tests/contract/test_contract.py");
    CHECK_THAT(string_member(artifacts[2], "content"), Contains("def test_create_pet_without_name():"));
    CHECK(count_events(fetch_events(client, body["run_id"].GetString()), "artifact") == 3);

    auto bad = client.post("/agent/invoke", R"({"agent_name":"testing_agent","task":"write tests",
        "context":{"spec":"openapi: [broken"}})");
    auto envelope = error_envelope(bad, 422, "AgentRejectedInput");
    CHECK_THAT(std::string(envelope["message"].GetString()), Contains("context.spec"));
}

namespace {

void write_artifacts(const devkit::testing::Scratch& dir, const rapidjson::Value& artifacts) {
    for (const auto& a : artifacts.GetArray()) dir.write(a["path"].GetString(), a["content"].GetString());
}

}  // namespace

TEST_CASE("the FastAPI project scaffold_agent writes passes the contract suite testing_agent writes from its OpenAPI") {
    using devkit::testing::Background;
    using devkit::testing::curl_until_up;
    using devkit::testing::run;
    using devkit::testing::Scratch;
    using devkit::testing::shell_quote;
    const std::string python = "/usr/bin/python3";
    DEVKIT_SKIP_UNLESS(run(python + " -c 'import pytest, fastapi, uvicorn, httpx'").exit_code == 0,
                       "python3 with pytest, fastapi, uvicorn and httpx is missing (tools/install-deps)");
    HttpClient client(host().base_url());
    auto scaffolded = client.post("/agent/invoke", R"({"agent_name":null,
        "task":"Create a FastAPI project called inventory with sqlite and a products resource"})");
    REQUIRE(scaffolded.status == 200);
    auto project = json_of(scaffolded);
    REQUIRE(string_member(project, "agent_used") == "scaffold_agent");
    Scratch app("dev-agents-app");
    write_artifacts(app, project["result"]["artifacts"]);

    const int port = devkit::testing::free_port();
    const std::string base = "http://127.0.0.1:" + std::to_string(port);
    Background server("cd " + shell_quote(app.str()) + " && DATABASE_URL=sqlite:///" + app.str() + "/app.db " + python +
                          " -m uvicorn app.main:app --host 127.0.0.1 --port " + std::to_string(port),
                      app.str() + "/server.log");
    REQUIRE(curl_until_up(base + "/health").exit_code == 0);
    const auto spec = run("curl -sS --fail " + base + "/openapi.json");
    REQUIRE(spec.exit_code == 0);

    auto suite = client.post("/agent/invoke", std::string(R"({"agent_name":null,
        "task":"Write contract tests for this OpenAPI spec","context":{"base_url":")") + base +
                                                  R"(","spec":)" + json_quote(spec.output) + "}}");
    REQUIRE(suite.status == 200);
    auto tests = json_of(suite);
    REQUIRE(string_member(tests, "agent_used") == "testing_agent");
    CHECK(tests["result"]["operations"].GetInt() == 5);  // health, list, create, read, delete
    Scratch dir("dev-agents-tests");
    write_artifacts(dir, tests["result"]["artifacts"]);
    const auto result = run("cd " + shell_quote(dir.str()) + " && " + python + " -m pytest -p no:cacheprovider -q tests/contract");
    INFO(result.output);
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.output, Contains("passed"));
    CHECK_THAT(result.output, !Contains("failed"));
}
