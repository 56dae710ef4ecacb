// GET /openapi.json, /docs and /redoc: the document covers every route the
// host serves (aliases included), passes Redocly's linter, documents each
// enabled agent's input; Swagger UI and ReDoc are served from the binary
// and work in a browser with no network. (Every response the integration
// tests receive is also checked against the document: tests/support/
// openapi_contract.cpp.)
#include "test_host.hpp"

#include <fstream>
#include <set>

using namespace agenthost::testing;
using Catch::Matchers::Contains;

namespace {

HostProcess& host() {
    static HostProcess shared(host_config(R"({"echo":{"enabled":true},"sentiment":{"enabled":true},)"
                                          R"("kubernetes_agent":{"enabled":true}})"));
    return shared;
}

std::string npm_dir() { return std::string(AGENTHOST_SOURCE_DIR) + "/tools/npm"; }

}  // namespace

TEST_CASE("GET /openapi.json documents every route, aliases included") {
    HttpClient client(host().base_url());
    auto answer = client.get("/openapi.json");
    REQUIRE(answer.status == 200);
    auto document = json_of(answer);
    CHECK(string_member(document, "openapi") == "3.1.0");
    const auto& paths = document["paths"];
    // Seed aliases and the resource model side by side.
    for (const char* path : {"/health", "/agent/invoke", "/agent/stream", "/workflow/status/{thread_id}",
                             "/workflow/approve/{thread_id}", "/api/v1/process", "/api/v1/results/{id}",
                             "/agents/orchestrate", "/agents/status/{id}", "/workflows/{id}", "/pipelines/{id}",
                             "/thread/{thread_id}/agent/start", "/threads/{thread_id}/agent/start", "/runs/{id}",
                             "/openapi.json", "/docs", "/redoc"}) {
        INFO(path);
        CHECK(paths.HasMember(path));
    }
    CHECK(paths["/agent/stream"].HasMember("get"));
    CHECK(paths["/agent/stream"].HasMember("post"));
    CHECK(paths["/runs/{id}"].HasMember("delete"));
    // Every route the router has is described (none marked undocumented),
    // and every operation names the error envelope for its errors.
    std::set<std::string> operation_ids;
    for (auto& path : paths.GetObject()) {
        for (auto& operation : path.value.GetObject()) {
            std::string where = std::string(operation.name.GetString()) + " " + path.name.GetString();
            INFO(where);
            CHECK_FALSE(operation.value.HasMember("x-undocumented"));
            CHECK(operation_ids.insert(string_member(operation.value, "operationId")).second);
            const auto& responses = operation.value["responses"];
            REQUIRE(responses.HasMember("500"));
            CHECK(string_member(responses["500"], "$ref") == "#/components/responses/InternalError");
        }
    }
    const auto& components = document["components"];
    CHECK(components["schemas"].HasMember("Error"));
    CHECK(string_member(components["responses"]["InternalError"]["content"]["application/json"]["schema"], "$ref") ==
          "#/components/schemas/Error");
    CHECK(string_member(components["securitySchemes"]["apiKey"], "name") == "X-API-Key");
    CHECK(string_member(components["securitySchemes"]["bearer"], "scheme") == "bearer");
    // Probes are open; invoking needs a credential with the invoke scope.
    CHECK(paths["/health"]["get"]["security"].Empty());
    CHECK(string_member(paths["/agent/invoke"]["post"], "x-required-scope") == "invoke");
}

TEST_CASE("each enabled agent's input schema is documented under the invoke routes, with the README's examples") {
    HttpClient client(host().base_url());
    auto document = json_of(client.get("/openapi.json"));
    const auto& schemas = document["components"]["schemas"];
    REQUIRE(schemas.HasMember("AgentContext_kubernetes_agent"));
    // The manifest's input schema itself, its internal references pointed
    // at where it now lives.
    const auto& kubernetes = schemas["AgentContext_kubernetes_agent"];
    CHECK(kubernetes["properties"].HasMember("service"));
    std::string text = client.get("/openapi.json").body;
    CHECK_THAT(text, Contains("#/components/schemas/AgentContext_kubernetes_agent/definitions/"));
    CHECK_THAT(text, !Contains("\"#/definitions/"));
    CHECK(schemas.HasMember("AgentContext_sentiment"));
    CHECK(schemas.HasMember("AgentContext_echo"));
    CHECK_FALSE(schemas.HasMember("AgentContext_summarizer"));  // not enabled here

    for (const char* path : {"/agent/invoke", "/agent/stream", "/runs", "/runs/wait"}) {
        INFO(path);
        const auto& body = document["paths"][path]["post"]["requestBody"]["content"]["application/json"];
        std::set<std::string> variants;
        for (const auto& variant : body["schema"]["anyOf"].GetArray()) variants.insert(string_member(variant, "title"));
        CHECK(variants.count("kubernetes_agent") == 1);
        CHECK(variants.count("sentiment") == 1);
        CHECK(variants.count("echo") == 1);
    }
    // The README's curl bodies for POST /agent/invoke, as examples.
    const auto& examples = document["paths"]["/agent/invoke"]["post"]["requestBody"]["content"]["application/json"]["examples"];
    std::set<std::string> agents;
    for (auto& example : examples.GetObject()) agents.insert(string_member(example.value["value"], "agent_name"));
    CHECK(agents.count("sentiment") == 1);
    CHECK(agents.count("kubernetes_agent") == 1);
    std::ifstream readme(std::string(AGENTHOST_SOURCE_DIR) + "/README.md");
    std::string readme_text((std::istreambuf_iterator<char>(readme)), std::istreambuf_iterator<char>());
    CHECK_THAT(readme_text, Contains(R"("agent_name": "kubernetes_agent", "task": "Deploy my-api")"));
}

TEST_CASE("the document passes Redocly's OpenAPI linter with no errors") {
    HttpClient client(host().base_url());
    auto answer = client.get("/openapi.json");
    REQUIRE(answer.status == 200);
    std::string file = host().work_dir() + "/openapi.json";
    std::ofstream(file) << answer.body;
    int status = 0;
    // No telemetry and no update check: the test stays offline.
    std::string output = run_command("REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true " + npm_dir() +
                                         "/node_modules/.bin/redocly lint --format=stylish " + file + " 2>&1",
                                     status);
    INFO(output);
    CHECK(status == 0);
    CHECK_THAT(output, Contains("Your API description is valid"));
}

TEST_CASE("/docs and /redoc are served from the binary, with no other origin") {
    HttpClient client(host().base_url());
    for (const char* page : {"/docs", "/redoc"}) {
        INFO(page);
        auto answer = client.get(page);
        REQUIRE(answer.status == 200);
        CHECK(answer.header("content-type") == "text/html; charset=utf-8");
        CHECK_THAT(answer.body, Contains("openapi.json"));
        CHECK_THAT(answer.header("content-security-policy"), Contains("default-src 'self'"));
        CHECK_THAT(answer.body, !Contains("http:") && !Contains("https:") && !Contains("//"));
    }
    auto bundle = client.get("/docs/assets/swagger-ui-bundle.js");
    CHECK(bundle.status == 200);
    CHECK(bundle.header("content-type") == "text/javascript; charset=utf-8");
    CHECK(bundle.body.size() > 100000);
    CHECK(client.get("/docs/assets/swagger-ui.css").header("content-type") == "text/css; charset=utf-8");
    CHECK(client.get("/docs/assets/redoc.standalone.js").status == 200);
    error_envelope(client.get("/docs/assets/README.md"), 404, "NotFound");
    error_envelope(client.get("/docs/assets/nope.js"), 404, "NotFound");
}

TEST_CASE("Swagger UI renders the operations and 'Try it out' on GET /health answers 200, offline") {
    int status = 0;
    std::string output = run_command("node " + std::string(AGENTHOST_SOURCE_DIR) + "/tests/browser/docs_check.mjs " +
                                         npm_dir() + " /usr/bin/chromium " + host().base_url() + " 2>&1",
                                     status);
    INFO(output);
    REQUIRE(status == 0);
    rapidjson::Document seen;
    seen.Parse(output.c_str());
    REQUIRE(seen.IsObject());
    HttpClient client(host().base_url());
    auto document = json_of(client.get("/openapi.json"));
    size_t operations = 0;
    for (auto& path : document["paths"].GetObject()) operations += path.value.MemberCount();
    CHECK(seen["swagger_operations"].GetUint() == operations);
    CHECK(seen["try_it_status"].GetString() == std::string("200"));
    CHECK(seen["redoc_operations"].GetUint() > 0);
    CHECK(seen["external_requests"].Empty());
}
