#include <catch2/catch.hpp>
#include <json_schema.hpp>

using textkit::testing::parse_json;
using textkit::testing::read_json_file;
using textkit::testing::schema_violation;

TEST_CASE("the manifest satisfies the plugin manifest schema", "[manifest]") {
    const auto manifest = read_json_file(TEMPLATE_MANIFEST_PATH);
    CHECK(schema_violation(read_json_file(MANIFEST_SCHEMA_PATH), manifest) == "");
    CHECK(manifest["domain"] == "operations");
    const auto& schema = manifest["input_schema"];
    CHECK(schema_violation(schema, parse_json(R"({"mode":"create","name":"deploy-step","kind":"harness_step",
        "version":"1.0.0","content":"template: {}","inputs":[{"name":"image","default":"nginx:1.25"}]})")) == "");
    CHECK(schema_violation(schema, parse_json(R"({"mode":"render","name":"web","variables":{"replicas":3,"image":"x:1"}})")) == "");
    for (const char* bad : {R"({"mode":"delete"})", R"({"kind":"helm"})", R"({"name":"Bad Name"})",
                            R"({"variables":{"x":[1]}})", R"({"inputs":[{"default":"x"}]})"})
        CHECK(schema_violation(schema, parse_json(bad)) != "");
}
