#include <catch2/catch.hpp>
#include <json_schema.hpp>

using textkit::testing::parse_json;
using textkit::testing::read_json_file;
using textkit::testing::schema_violation;

TEST_CASE("the manifest satisfies the plugin manifest schema", "[manifest]") {
    const auto manifest = read_json_file(DEPLOYMENT_MANIFEST_PATH);
    CHECK(schema_violation(read_json_file(MANIFEST_SCHEMA_PATH), manifest) == "");
    CHECK(manifest["domain"] == "operations");
    CHECK(manifest["abi_version"] == "1.2");
    CHECK(schema_violation(manifest["config_schema"], manifest["default_config"]) == "");
}

TEST_CASE("the input schema accepts realistic contexts and rejects malformed ones", "[manifest]") {
    const auto manifest = read_json_file(DEPLOYMENT_MANIFEST_PATH);
    const auto& schema = manifest["input_schema"];
    CHECK(schema_violation(schema, parse_json("{}")) == "");
    CHECK(schema_violation(schema, parse_json(R"({"mode":"deploy","service":"api","image":"ghcr.io/acme/api:1.4.2",
        "environments":["staging",{"name":"prod","namespace":"web","kube_context":"prod-eu"}],"strategy":"canary",
        "gates":[{"environment":"staging","type":"approval"}],"rollout_timeout_seconds":120,"dry_run":true})")) == "");
    for (const char* bad : {R"({"mode":"destroy"})", R"({"environments":[]})", R"({"strategy":"big-bang"})",
                            R"({"environments":[{"namespace":"x"}]})", R"({"dry_run":"yes"})",
                            R"({"rollout_timeout_seconds":1})"})
        CHECK(schema_violation(schema, parse_json(bad)) != "");
}
