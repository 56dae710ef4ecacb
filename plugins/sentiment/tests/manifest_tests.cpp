#include <catch2/catch.hpp>
#include <json_schema.hpp>

using textkit::testing::parse_json;
using textkit::testing::read_json_file;
using textkit::testing::schema_violation;

TEST_CASE("the manifest satisfies the plugin manifest schema", "[manifest]") {
    const auto manifest = read_json_file(SENTIMENT_MANIFEST_PATH);
    CHECK(schema_violation(read_json_file(MANIFEST_SCHEMA_PATH), manifest) == "");
    CHECK(manifest["library"] == SENTIMENT_PLUGIN_FILE_NAME);
    CHECK(manifest["domain"] == "text");
    CHECK(manifest["permissions"].Size() == 2);
    CHECK(manifest["permissions"][0] == "events");
    // The LLM path, used only when the host has a provider configured.
    CHECK(manifest["permissions"][1] == "llm");
    CHECK(manifest["llm_fallback"] == "offline");
}

TEST_CASE("the manifest's default config satisfies its config schema", "[manifest]") {
    const auto manifest = read_json_file(SENTIMENT_MANIFEST_PATH);
    const auto& config_schema = manifest["config_schema"];
    CHECK(schema_violation(config_schema, manifest["default_config"]) == "");
    CHECK(manifest["default_config"]["neutral_threshold"] == 0.05);
    for (const char* bad : {R"({"neutral_threshold":1})", R"({"neutral_threshold":-0.1})", R"({"threshold":0.1})"})
        CHECK(schema_violation(config_schema, parse_json(bad)) != "");
}

TEST_CASE("the input schema accepts text and rejects an empty one", "[manifest]") {
    const auto manifest = read_json_file(SENTIMENT_MANIFEST_PATH);
    CHECK(schema_violation(manifest["input_schema"], parse_json(R"({"text":"Great service."})")) == "");
    CHECK(schema_violation(manifest["input_schema"], parse_json("{}")) == "");
    CHECK(schema_violation(manifest["input_schema"], parse_json(R"({"text":""})")) != "");
}
