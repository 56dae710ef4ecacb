#include <catch2/catch.hpp>
#include <json_schema.hpp>

using textkit::testing::parse_json;
using textkit::testing::read_json_file;
using textkit::testing::schema_violation;

TEST_CASE("the manifest satisfies the plugin manifest schema", "[manifest]") {
    const auto manifest = read_json_file(HARNESS_EXPERT_MANIFEST_PATH);
    CHECK(schema_violation(read_json_file(MANIFEST_SCHEMA_PATH), manifest) == "");
    CHECK(manifest["name"] == "harness_expert");
    CHECK(manifest["version"] == "1.0.0");
    CHECK(manifest["abi_version"] == "1.0");
    CHECK(manifest["library"] == HARNESS_EXPERT_PLUGIN_FILE_NAME);
    CHECK(manifest["domain"] == "infrastructure");
    CHECK(manifest["isolation"] == "in_process");
    REQUIRE(manifest["permissions"].Size() == 1);
    CHECK(manifest["permissions"][0] == "events");
    CHECK(manifest["approval_required"][0]["operation"] == "deploy_prod");
}

TEST_CASE("the manifest's default config satisfies its config schema", "[manifest]") {
    const auto manifest = read_json_file(HARNESS_EXPERT_MANIFEST_PATH);
    const auto& schema = manifest["config_schema"];
    CHECK(schema_violation(schema, manifest["default_config"]) == "");
    CHECK(manifest["default_config"]["default_org"] == "default");
    CHECK(manifest["default_config"]["default_project"] == "default_project");
    for (const char* bad : {R"({"default_org":""})", R"({"default_project":3})", R"({"org":"x"})"})
        CHECK(schema_violation(schema, parse_json(bad)) != "");
}

TEST_CASE("the input schema accepts the documented context and refuses bad values", "[manifest]") {
    const auto manifest = read_json_file(HARNESS_EXPERT_MANIFEST_PATH);
    const auto& schema = manifest["input_schema"];
    for (const char* good :
         {"{}", R"({"service":"checkout","environments":["dev","prod"],"strategy":"canary","image":"a/b:1",
                    "org":"acme","project":"shop","prod_approval":false,"target":"github_actions"})",
          R"({"mode":"review","pipeline":"pipeline: {}"})"})
        CHECK(schema_violation(schema, parse_json(good)) == "");
    for (const char* bad : {R"({"strategy":"big_bang"})", R"({"environments":[]})", R"({"prod_approval":"yes"})",
                            R"({"target":"jenkins"})", R"({"mode":"explain"})"})
        CHECK(schema_violation(schema, parse_json(bad)) != "");
}
