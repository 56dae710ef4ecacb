// The generated contract suite, run with python3 -m pytest: it passes
// against a conforming server and fails, naming the operation, against
// servers that break the spec in one way each.
#include <regex>

#include "support.hpp"

using devkit::testing::Background;
using devkit::testing::curl_until_up;
using devkit::testing::free_port;
using devkit::testing::Scratch;
using devkit::testing::shell_quote;
using support::content;
using support::fixture;
using support::json_string;
using support::request;

namespace {

testgen::Outcome pets_suite() { return request("{\"spec\":" + json_string(fixture("pets.openapi.yaml")) + "}"); }

// Runs the suite against pets_server.py started with BREAK=<how>.
devkit::testing::CommandResult run_against(const testgen::Outcome& suite, const std::string& how) {
    Scratch dir("testing-contract");
    dir.write_all(suite.artifacts);
    const int port = free_port();
    Background server("BREAK=" + how + " " + support::python + " " +
                          shell_quote(std::string(TESTING_FIXTURE_DIR) + "/pets_server.py") + " " + std::to_string(port),
                      dir.str() + "/server.log");
    const std::string base = "http://127.0.0.1:" + std::to_string(port);
    REQUIRE(curl_until_up(base + "/pets").exit_code == 0);
    return support::pytest(dir.str(), "tests/contract", "API_BASE_URL=" + base);
}

}  // namespace

TEST_CASE("the contract suite calls every operation, with negative cases") {
    const auto out = pets_suite();
    CHECK(out.kind == "openapi_contract");
    CHECK(out.operations == 4);
    CHECK(out.base_url == "http://127.0.0.1:8000");  // the spec's server
    const std::string& tests = content(out, "tests/contract/test_contract.py");
    for (const char* call : {R"(call("GET", "/pets")", R"(call("POST", "/pets", body=)",
                             R"(call("GET", "/pets/{petId}", path_params={"petId": pet_id})",
                             R"(call("DELETE", "/pets/{petId}", path_params={"petId": pet_id})"})
        CHECK_THAT(tests, Catch::Contains(call));
    CHECK_THAT(tests, Catch::Contains("def test_show_pet_by_id_unknown_id():"));
    CHECK_THAT(tests, Catch::Contains("def test_delete_pet_unknown_id():"));
    CHECK_THAT(tests, Catch::Contains("def test_create_pet_without_name():"));
    CHECK_THAT(tests, Catch::Contains("def test_create_pet_with_wrong_type_name():"));
    CHECK_THAT(tests, Catch::Contains(R"(expected={201})"));
    CHECK_THAT(tests, Catch::Contains(R"(expected={422})"));
    CHECK_THAT(tests, Catch::Contains(R"(expected={404})"));
    CHECK_THAT(tests, !Catch::Contains("\"id\": "));  // readOnly: never sent
    CHECK(out.negative_tests == 4);
}

TEST_CASE("against a conforming server the suite passes", "[pytest]") {
    REQUIRE_PYTEST();
    const auto result = run_against(pets_suite(), "");
    INFO(result.output);
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.output, Catch::Contains("9 passed"));
}

TEST_CASE("against servers that break the spec the suite fails, naming the operation", "[pytest]") {
    REQUIRE_PYTEST();
    const auto suite = pets_suite();
    const std::pair<const char*, const char*> breaks[] = {
        {"status", "createPet (POST /pets): status 200, expected 201"},
        {"missing", "showPetById (GET /pets/{petId}): status 200 body does not match its schema: $: required member 'name' is missing"},
        {"type", "showPetById (GET /pets/{petId}): status 200 body does not match its schema: $.id: expected integer, got str"},
        {"nocheck", "createPet (POST /pets): status 201, expected 422"},
    };
    for (const auto& [how, message] : breaks) {
        INFO("BREAK=" << how);
        const auto result = run_against(suite, how);
        INFO(result.output);
        CHECK(result.exit_code == 1);
        CHECK_THAT(result.output, Catch::Contains(message));
        CHECK_THAT(result.output, Catch::Contains("failed"));
    }
}

TEST_CASE("suites for larger real-world specs are valid Python that pytest collects", "[pytest]") {
    REQUIRE_PYTEST();
    for (const char* name : {"petstore.yaml", "chat_platform.openapi.json"}) {
        INFO(name);
        const std::string spec = devkit::testing::read_text(std::string(CODEGEN_FIXTURE_DIR) + "/" + name);
        const auto out = request("{\"spec\":" + json_string(spec) + ",\"base_url\":\"http://127.0.0.1:9\"}");
        CHECK(out.operations > 3);
        if (std::string(name) == "chat_platform.openapi.json") {
            // UpdateChannelRequest's oneOf alternatives overlap: no body is valid, and the agent says so.
            std::string warnings;
            for (const auto& w : out.warnings) warnings += w + "\n";
            CHECK_THAT(warnings, Catch::Contains("oneOf at /components/schemas/UpdateChannelRequest"));
        }
        Scratch dir("testing-collect");
        dir.write_all(out.artifacts);
        const auto collected = support::pytest(dir.str(), "--collect-only tests/contract");
        INFO(collected.output);
        CHECK(collected.exit_code == 0);
        // Every request body example validates against its own schema.
        const auto examples = support::pytest(dir.str(), "tests/contract -k example_bodies");
        INFO(examples.output);
        const bool has_bodies = content(out, "tests/contract/test_contract.py").find("EXAMPLE_BODIES") != std::string::npos;
        CHECK(examples.exit_code == (has_bodies ? 0 : 5));  // 5: pytest found no such test
    }
}

TEST_CASE("bad specs and options are refused naming the field") {
    CHECK_THROWS_WITH(request(R"({"spec":""})"), Catch::Contains("context.spec is empty"));
    CHECK_THROWS_WITH(request(R"({"spec":42})"), Catch::Contains("context.spec"));
    CHECK_THROWS_WITH(request(R"({"spec":"{\"type\":\"object\"}"})"), Catch::Contains("not an OpenAPI 3 document"));
    CHECK_THROWS_WITH(request(R"({"spec":"openapi: 3.0.0\ninfo: {title: x, version: '1'}\npaths: {}\n"})"),
                      Catch::Contains("no operation"));
    CHECK_THROWS_WITH(request(R"({"spec":"openapi: [unclosed"})"), Catch::Contains("context.spec"));
    CHECK_THROWS_WITH(request("{\"spec\":" + json_string(fixture("pets.openapi.yaml")) + ",\"base_url\":\"ftp://x\"}"),
                      Catch::Contains("context.base_url"));
    CHECK_THROWS_WITH(request("{\"spec\":" + json_string(fixture("pets.openapi.yaml")) + ",\"directory\":\"../x\"}"),
                      Catch::Contains("context.directory"));
    CHECK_THROWS_WITH(request("{}"), Catch::Contains("context.spec"));
    CHECK_THROWS_WITH(request(R"({"mode":"fix"})"), Catch::Contains("context.mode"));
}

TEST_CASE("recursive schemas and many overlapping oneOfs are handled without blowing up") {
    // A tree whose nodes require a child: no finite valid body exists; the
    // suite is still written, the recursion cut.
    std::string spec = R"({"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{)";
    for (int i = 0; i < 300; ++i) {
        spec += (i ? "," : "") + std::string(R"("/r)") + std::to_string(i) + R"(":{"post":{"operationId":"op)" +
                std::to_string(i) +
                R"(","requestBody":{"content":{"application/json":{"schema":{"$ref":"#/components/schemas/Choice"}}}},"responses":{"200":{"description":"ok"}}}})";
    }
    spec += R"(,"/tree":{"post":{"operationId":"tree","requestBody":{"content":{"application/json":{"schema":{"$ref":"#/components/schemas/Node"}}}},"responses":{"200":{"description":"ok"}}}}},
      "components":{"schemas":{
        "Node":{"type":"object","required":["child"],"properties":{"child":{"$ref":"#/components/schemas/Node"}}},
        "A":{"type":"object","properties":{"a":{"type":"string"}}},
        "B":{"type":"object","properties":{"b":{"type":"integer"}}},
        "Choice":{"oneOf":[{"$ref":"#/components/schemas/A"},{"$ref":"#/components/schemas/B"}]}}}})";
    const auto out = request("{\"spec\":" + json_string(spec) + "}");
    CHECK(out.operations == 301);
    CHECK_THAT(content(out, "tests/contract/test_contract.py"), Catch::Contains("def test_tree():"));
    CHECK(out.warnings.size() >= 1);  // Choice's alternatives overlap ({} matches both)
}
