// Documents the generator refuses, each with the location of the problem.
#include "errors.hpp"
#include "helpers.hpp"

using Catch::Matchers::Contains;
using codegen::InputError;
using codegen::SpecError;

namespace {

// A valid small document with `paths` and `schemas` spliced in (YAML).
std::string document(const std::string& paths,
                     const std::string& schemas = "    Pet: {type: object, properties: {id: {type: integer}}}\n") {
    return "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n" + paths + "components:\n  schemas:\n" + schemas;
}

const std::string ok_paths =
    "  /pets:\n    get:\n      responses:\n        '200':\n          description: ok\n"
    "          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Pet'}\n";

std::string error_of(const std::string& spec_text) {
    try {
        helpers::generate_spec(spec_text);
    } catch (const SpecError& error) {
        return error.what();
    }
    FAIL("no SpecError for:\n" << spec_text);
    return "";
}

}  // namespace

TEST_CASE("the fixture document itself is accepted", "[codegen][errors]") {
    CHECK_NOTHROW(helpers::generate_spec(document(ok_paths)));
}

TEST_CASE("an unresolvable $ref names where it is written and what it points to", "[codegen][errors]") {
    SECTION("in a response schema") {
        const std::string paths = ok_paths.substr(0, ok_paths.find("{$ref")) + "{$ref: '#/components/schemas/Dog'}\n";
        const std::string message = error_of(document(paths));
        CHECK_THAT(message, Contains("/paths/~1pets/get/responses/200/content/application~1json/schema/$ref"));
        CHECK_THAT(message, Contains("#/components/schemas/Dog"));
        CHECK_THAT(message, Contains("unresolvable"));
    }
    SECTION("in a property of a component, even one no operation uses") {
        const std::string message = error_of(document(ok_paths,
                                                      "    Pet: {type: object}\n    Owner:\n      properties:\n        "
                                                      "pet: {$ref: '#/components/schemas/Pett'}\n"));
        CHECK_THAT(message, Contains("/components/schemas/Owner/properties/pet/$ref"));
        CHECK_THAT(message, Contains("Pett"));
    }
    SECTION("a reference to another file") {
        const std::string message = error_of(document(ok_paths, "    Pet: {$ref: 'common.yaml#/Pet'}\n"));
        CHECK_THAT(message, Contains("/components/schemas/Pet/$ref"));
        CHECK_THAT(message, Contains("outside this document"));
    }
    SECTION("a parameter reference") {
        const std::string message =
            error_of(document("  /pets:\n    get:\n      parameters:\n        - $ref: '#/components/parameters/Limit'\n"
                              "      responses: {'204': {description: none}}\n"));
        CHECK_THAT(message, Contains("/paths/~1pets/get/parameters/0/$ref"));
        CHECK_THAT(message, Contains("#/components/parameters/Limit"));
    }
}

TEST_CASE("an invalid document is refused naming the location", "[codegen][errors]") {
    struct Case {
        std::string spec;
        std::string location;
        std::string words;
    };
    const std::vector<Case> cases = {
        {"swagger: '2.0'\ninfo: {title: T, version: '1'}\npaths: {}\n", "/swagger", "not supported"},
        {"openapi: 2.5.0\ninfo: {title: T, version: '1'}\npaths: {}\n", "/openapi", "not OpenAPI 3"},
        {"openapi: 3.0.3\npaths: {}\n", "/info", "missing"},
        {"openapi: 3.0.3\ninfo: {title: T, version: 1.0}\npaths: {}\n", "/info/version", "must be a string"},
        {"openapi: 3.0.3\ninfo: {title: T, version: '1'}\n", "/paths", "missing"},
        {"openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: []\n", "/paths", "must be an object"},
        {"info: {title: T, version: '1'}\npaths: {}\n", "/openapi", "missing"},
        {document("  pets:\n    get: {responses: {'204': {description: x}}}\n"), "/paths/pets", "start with '/'"},
        {document(ok_paths, "    Pet: {type: object, properties: {id: {type: integr}}}\n"),
         "/components/schemas/Pet/properties/id/type", "unknown type 'integr'"},
        {document(ok_paths, "    Pet: {type: object, required: true, properties: {id: {type: integer}}}\n"),
         "/components/schemas/Pet/required", "array"},
        {document(ok_paths, "    Pet: {type: object, properties: [id]}\n"), "/components/schemas/Pet/properties",
         "must be an object"},
        {document("  /pets/{petId:\n    get: {responses: {'204': {description: x}}}\n"), "/paths/~1pets~1{petId",
         "unbalanced braces"},
        {document("  /pets/{petId}:\n    get: {responses: {'204': {description: x}}}\n"),
         "/paths/~1pets~1{petId}/get/parameters", "{petId}"},
        {document("  /pets:\n    get:\n      parameters: [{name: q, in: body, schema: {type: string}}]\n"
                  "      responses: {'204': {description: x}}\n"),
         "/paths/~1pets/get/parameters/0/in", "path, query, header or cookie"},
        {document("  /a:\n    get: {operationId: same, responses: {'204': {description: x}}}\n"
                  "  /b:\n    get: {operationId: same, responses: {'204': {description: x}}}\n"),
         "/paths/~1b/get/operationId", "duplicate operationId 'same'"},
        {document("  /pets:\n    get: {summary: no responses}\n"), "/paths/~1pets/get/responses", "missing"},
        {"[1, 2]", "document", "must be an object"},
        {"{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"T\", }", "document", "line 1, column"},
        {"openapi: 3.0.3\ninfo: {title: T\n  version: x\n", "document", "line"},
        {"title: nothing here\n", "document", "neither an OpenAPI"},
    };
    for (const auto& item : cases) {
        CAPTURE(item.spec);
        const std::string message = error_of(item.spec);
        CHECK_THAT(message, Contains(item.location + ":"));
        CHECK_THAT(message, Contains(item.words));
    }
}

TEST_CASE("a request with no API description says what to give", "[codegen][errors]") {
    const rapidjson::Document empty = helpers::parse("{}");
    try {
        codegen::request_from("Generate a Python client for our API please", empty, {});
        FAIL("expected InputError");
    } catch (const InputError& error) {
        CHECK_THAT(std::string(error.what()), Contains("context.spec"));
        CHECK_THAT(std::string(error.what()), Contains("OpenAPI"));
    }
    CHECK_THROWS_AS(codegen::request_from("x", helpers::parse(R"({"spec": 42})"), {}), InputError);
    CHECK_THROWS_AS(codegen::request_from("x", helpers::parse(R"({"spec": {}, "language": "java"})"), {}), InputError);
    CHECK_THROWS_AS(helpers::generate_spec(helpers::fixture("petstore.yaml"), R"("package_name":"Bad-Name")"),
                    InputError);
    CHECK_THROWS_AS(helpers::generate_spec(helpers::fixture("petstore.yaml"), R"("client_name":"class")"), InputError);
}
