#include "json/json_util.hpp"
#include "json/schema_catalog.hpp"
#include "json/schema_validator.hpp"

#include <catch2/catch.hpp>

using agenthost::json::SchemaValidator;
using agenthost::json::Violation;

namespace {

std::vector<Violation> check(const SchemaValidator& validator, const std::string& document_text) {
    std::string error;
    auto document = agenthost::json::parse(document_text, error);
    REQUIRE(document);
    return validator.validate(*document);
}

const char* kSchema = R"({
  "type": "object",
  "required": ["task", "count"],
  "additionalProperties": false,
  "properties": {
    "task": {"type": "string", "minLength": 1, "maxLength": 5},
    "count": {"type": "integer", "minimum": 1, "maximum": 10},
    "mode": {"enum": ["fast", "slow"]},
    "nested": {"type": "object", "properties": {"deep": {"type": "boolean"}}}
  }
})";

}  // namespace

TEST_CASE("schema violations name the field and say what is wrong") {
    SchemaValidator validator(kSchema);
    CHECK(check(validator, R"({"task":"ab","count":2})").empty());

    auto missing = check(validator, R"({"task":"ab"})");
    REQUIRE(missing.size() == 1);
    CHECK(missing[0].field == "/count");
    CHECK(missing[0].message == "is required");

    auto wrong_type = check(validator, R"({"task":5,"count":2})");
    REQUIRE(wrong_type.size() == 1);
    CHECK(wrong_type[0].field == "/task");
    CHECK(wrong_type[0].message == "must be a string");

    auto too_long = check(validator, R"({"task":"abcdef","count":2})");
    CHECK(too_long.at(0).message == "must be at most 5 characters long");

    auto too_big = check(validator, R"({"task":"a","count":11})");
    CHECK(too_big.at(0).field == "/count");
    CHECK(too_big.at(0).message == "must be at most 10");

    auto bad_enum = check(validator, R"({"task":"a","count":1,"mode":"medium"})");
    CHECK(bad_enum.at(0).field == "/mode");
    CHECK(bad_enum.at(0).message == R"(must be one of: "fast", "slow")");

    auto extra = check(validator, R"({"task":"a","count":1,"agent":"x"})");
    CHECK(extra.at(0).field == "/agent");
    CHECK(extra.at(0).message == "is not an allowed property");

    auto nested = check(validator, R"({"task":"a","count":1,"nested":{"deep":"yes"}})");
    CHECK(nested.at(0).field == "/nested/deep");
    CHECK(nested.at(0).message == "must be a boolean");
}

TEST_CASE("a prefix places violations inside the enclosing document") {
    SchemaValidator validator(kSchema);
    std::string error;
    auto document = agenthost::json::parse(R"({"task":"a"})", error);
    auto violations = validator.validate(*document, "/context");
    CHECK(violations.at(0).field == "/context/count");
    CHECK(agenthost::json::describe(violations) == "/context/count: is required");
}

TEST_CASE("every embedded host schema compiles") {
    for (const char* name : {"config", "plugin-manifest", "requests/agent-invoke"})
        CHECK_NOTHROW(agenthost::json::host_schema(name));
    CHECK_THROWS(agenthost::json::host_schema("no/such/schema"));
}

TEST_CASE("a schema that is not JSON is refused") {
    CHECK_THROWS_AS(SchemaValidator("{not json"), std::invalid_argument);
}
