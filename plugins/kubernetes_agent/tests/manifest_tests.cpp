#include <catch2/catch.hpp>
#include <json_schema.hpp>

using textkit::testing::parse_json;
using textkit::testing::read_json_file;
using textkit::testing::schema_violation;

TEST_CASE("the manifest satisfies the plugin manifest schema", "[manifest]") {
    const auto manifest = read_json_file(KUBERNETES_MANIFEST_PATH);
    CHECK(schema_violation(read_json_file(MANIFEST_SCHEMA_PATH), manifest) == "");
    CHECK(manifest["library"] == KUBERNETES_PLUGIN_FILE_NAME);
    CHECK(manifest["domain"] == "infrastructure");
    CHECK(manifest["isolation"] == "in_process");
    // events for progress; exec for kubectl in apply mode (nothing else).
    REQUIRE(manifest["permissions"].Size() == 2);
    CHECK(manifest["permissions"][0] == "events");
    CHECK(manifest["permissions"][1] == "exec");
    CHECK(manifest["abi_version"] == "1.2");
    REQUIRE(manifest["approval_required"].Size() == 1);
    CHECK(manifest["approval_required"][0]["operation"] == "apply");
    CHECK(manifest["approval_required"][0]["reason"] == "applies manifests to a live cluster");
}

TEST_CASE("the default config satisfies the config schema", "[manifest]") {
    const auto manifest = read_json_file(KUBERNETES_MANIFEST_PATH);
    const auto& schema = manifest["config_schema"];
    CHECK(schema_violation(schema, manifest["default_config"]) == "");
    CHECK(schema_violation(schema, parse_json(R"({"registry_prefix":"registry.acme.io:5000/team"})")) == "");
    for (const char* bad : {R"({"registry_prefix":"Not A Registry"})",
                            R"({"default_resources":{"requests":{"cpu":"lots"}}})", R"({"other":1})",
                            R"({"kubectl":"/usr/bin/kubectl"})"})
        CHECK(schema_violation(schema, parse_json(bad)) != "");
}

TEST_CASE("the input schema accepts realistic contexts and rejects malformed ones", "[manifest]") {
    const auto manifest = read_json_file(KUBERNETES_MANIFEST_PATH);
    const auto& schema = manifest["input_schema"];
    CHECK(schema_violation(schema, parse_json("{}")) == "");
    CHECK(schema_violation(schema, parse_json(R"({"service":"api","image":"api:1.0","port":8080,
        "resources":{"requests":{"cpu":"100m","memory":"128Mi"}},"env":{"A":"b","N":1},
        "secret_env":[{"name":"X","secret":"s","key":"k"}],"autoscaling":{"min":2,"max":4},
        "ingress_host":"api.example.com","namespace":"prod"})")) == "");
    CHECK(schema_violation(schema, parse_json(R"({"mode":"review","manifests":"kind: Pod\n"})")) == "");
    for (const char* bad : {R"({"port":0})", R"({"replicas":"two"})", R"({"health_path":"healthz"})",
                            R"({"secret_env":[{"name":"X"}]})", R"({"mode":"destroy"})",
                            R"({"resources":{"requests":{"cpu":"lots"}}})"})
        CHECK(schema_violation(schema, parse_json(bad)) != "");
}
