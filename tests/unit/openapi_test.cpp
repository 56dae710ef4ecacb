// The OpenAPI document's builder and the tests' contract check, on route
// tables and responses made up here (the real host's document is checked
// in tests/integration/openapi_test.cpp).
#include "api/openapi_document.hpp"
#include "api/openapi_examples.hpp"
#include "openapi_contract.hpp"

#include <catch2/catch.hpp>
#include <rapidjson/document.h>

using namespace agenthost;
using Catch::Matchers::Contains;

namespace {

rapidjson::Document parsed(const std::string& text) {
    rapidjson::Document document;
    document.Parse(text.c_str());
    REQUIRE_FALSE(document.HasParseError());
    return document;
}

const std::string kRun = R"({"run_id":"r1","thread_id":"t1","agent":"echo","status":"queued","input":{"task":"x","context":{}},)"
                         R"("result":null,"error":null,"attempts":0,"max_attempts":1,"created_at":"2026-12-06T00:00:00.000Z",)"
                         R"("started_at":null,"finished_at":null})";

}  // namespace

TEST_CASE("curl commands in markdown become examples: method, path and body") {
    std::string markdown = "Try it:\n\n```\ncurl http://localhost:8000/health\n"
                           "curl -X POST http://localhost:8000/agent/invoke \\\n  -H \"Content-Type: application/json\" \\\n"
                           "  -d '{\"agent_name\": \"sentiment\",\n  \"task\": \"ok\"}'\n"
                           "curl \"http://localhost:8000/runs?status=succeeded&limit=5\"\n"
                           "curl -s -X POST localhost:8000/workflow/approve/review-1 -d '{\"approved\": true}'\n"
                           "curl https://example.com/elsewhere\n```\n";
    auto examples = api::curl_examples(markdown);
    REQUIRE(examples.size() == 4);
    CHECK(examples[0].method == "GET");
    CHECK(examples[0].path == "/health");
    CHECK(examples[1].method == "POST");
    CHECK(examples[1].path == "/agent/invoke");
    CHECK(examples[1].body == "{\"agent_name\": \"sentiment\",\n  \"task\": \"ok\"}");
    CHECK(examples[2].path == "/runs");
    CHECK(examples[3].path == "/workflow/approve/review-1");
    CHECK(examples[3].body == "{\"approved\": true}");
}

TEST_CASE("the document has an operation per route, path parameters, and marks undocumented routes") {
    api::OpenApiSources sources;
    sources.routes = {{"GET", "/runs/:id"}, {"DELETE", "/runs/:id"}, {"POST", "/agent/invoke"}, {"GET", "/brand/new"}};
    sources.version = "9.9.9";
    sources.readme = "curl -X POST http://localhost:8000/agent/invoke -d '{\"agent_name\": \"echo\", \"task\": \"hi\"}'\n"
                     "curl -X POST http://localhost:8000/agent/invoke -d '{\"agent_name\": \"echo\"}'\n";
    rapidjson::Document input = parsed(R"({"type":"object","properties":{"size":{"$ref":"#/definitions/size"}},)"
                                       R"("definitions":{"size":{"type":"integer"}}})");
    sources.agents.push_back({"echo", "Echoes.", &input});
    auto document = parsed(api::openapi_document(sources));
    CHECK(std::string(document["info"]["version"].GetString()) == "9.9.9");
    const auto& run = document["paths"]["/runs/{id}"];
    CHECK(run.HasMember("get"));
    CHECK(run.HasMember("delete"));
    CHECK(std::string(run["get"]["parameters"][0]["name"].GetString()) == "id");
    CHECK(run["get"]["parameters"][0]["required"].GetBool());
    CHECK(run["get"]["responses"].HasMember("404"));
    CHECK(document["paths"]["/brand/new"]["get"]["x-undocumented"].GetBool());
    CHECK(api::undocumented_routes(sources.routes) == std::vector<std::string>{"GET /brand/new"});

    const auto& body = document["paths"]["/agent/invoke"]["post"]["requestBody"]["content"]["application/json"];
    // One valid README example; the body without a task is not one.
    REQUIRE(body["examples"].MemberCount() == 1);
    CHECK(std::string(body["examples"]["readme_1"]["value"]["task"].GetString()) == "hi");
    CHECK(std::string(body["schema"]["anyOf"][0]["title"].GetString()) == "echo");
    const auto& context = document["components"]["schemas"]["AgentContext_echo"];
    CHECK(std::string(context["properties"]["size"]["$ref"].GetString()) ==
          "#/components/schemas/AgentContext_echo/definitions/size");
    // Schema files' references to each other point into components.
    CHECK(std::string(document["components"]["schemas"]["RunPage"]["properties"]["runs"]["items"]["$ref"].GetString()) ==
          "#/components/schemas/Run");
    CHECK_FALSE(document["components"]["schemas"]["Run"].HasMember("$schema"));
}

TEST_CASE("the contract check refuses unlisted statuses, unlisted media types and bodies that break the schema") {
    api::OpenApiSources sources;
    sources.routes = {{"GET", "/runs/:id"}, {"POST", "/runs/wait"}, {"GET", "/metrics"}, {"POST", "/runs/:id/cancel"}};
    std::string document = api::openapi_document(sources);
    using testing::openapi_violations;
    CHECK(openapi_violations(document, "GET", "/runs/r1", 200, "application/json", kRun).empty());
    CHECK(openapi_violations(document, "GET", "/metrics", 200, "text/plain; version=0.0.4", "# HELP x\n").empty());
    // A literal path wins over a template, as in the router.
    CHECK(openapi_violations(document, "POST", "/runs/wait", 200, "application/json", kRun).empty());

    auto missing = openapi_violations(document, "GET", "/runs/r1", 200, "application/json",
                                      R"({"run_id":"r1","status":"queued"})");
    REQUIRE(missing.size() == 1);
    CHECK_THAT(missing[0], Contains("required"));
    auto wrong_enum = openapi_violations(document, "GET", "/runs/r1", 200, "application/json",
                                         std::string(kRun).replace(kRun.find("queued"), 6, "paused"));
    REQUIRE(wrong_enum.size() == 1);
    CHECK_THAT(wrong_enum[0], Contains("enum"));
    CHECK_THAT(openapi_violations(document, "GET", "/runs/r1", 418, "application/json", "{}")[0],
               Contains("status not listed"));
    CHECK_THAT(openapi_violations(document, "GET", "/runs/r1", 200, "text/html", "<p>")[0], Contains("media type"));
    CHECK_THAT(openapi_violations(document, "GET", "/elsewhere", 200, "application/json", "{}")[0],
               Contains("no operation"));
    // The error envelope, shared by every error.
    std::string error = R"({"error":"RunNotFound","message":"no run","request_id":"q","details":[]})";
    CHECK(openapi_violations(document, "GET", "/runs/r9", 404, "application/json", error).empty());
    CHECK_FALSE(openapi_violations(document, "GET", "/runs/r9", 404, "application/json", R"({"error":"x"})").empty());
    // Paths are matched decoded, as the router matches them.
    CHECK(openapi_violations(document, "POST", "/runs/r9/%63ancel", 404, "application/json", error).empty());
    // The router's own 404 for paths it does not serve.
    CHECK(openapi_violations(document, "GET", "/nothing/here", 404, "application/json", error).empty());
}
