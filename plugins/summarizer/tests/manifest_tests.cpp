#include <catch2/catch.hpp>
#include <json_schema.hpp>

using textkit::testing::read_json_file;
using textkit::testing::schema_violation;

TEST_CASE("the manifest satisfies the plugin manifest schema", "[manifest]") {
    const auto manifest = read_json_file(SUMMARIZER_MANIFEST_PATH);
    CHECK(schema_violation(read_json_file(MANIFEST_SCHEMA_PATH), manifest) == "");
    CHECK(manifest["library"] == SUMMARIZER_PLUGIN_FILE_NAME);
    CHECK(manifest["domain"] == "text");
    CHECK(manifest["permissions"].Size() == 2);
    CHECK(manifest["permissions"][0] == "events");
    // The LLM path, used only when the host has a provider configured.
    CHECK(manifest["permissions"][1] == "llm");
    CHECK(manifest["llm_fallback"] == "fail");
}

TEST_CASE("the manifest's default config satisfies its config schema", "[manifest]") {
    const auto manifest = read_json_file(SUMMARIZER_MANIFEST_PATH);
    CHECK(schema_violation(manifest["config_schema"], manifest["default_config"]) == "");
    CHECK(manifest["default_config"]["max_sentences"] == 3);
    CHECK(schema_violation(manifest["config_schema"], textkit::testing::parse_json(R"({"max_sentences":0})")) != "");
}

TEST_CASE("the input schema accepts real requests and rejects bad budgets", "[manifest]") {
    const auto manifest = read_json_file(SUMMARIZER_MANIFEST_PATH);
    const auto& input_schema = manifest["input_schema"];
    for (const char* context : {R"({})", R"({"text":"Short text."})", R"({"text":"Text.","max_sentences":50})"})
        CHECK(schema_violation(input_schema, textkit::testing::parse_json(context)) == "");
    for (const char* context : {R"({"max_sentences":0})", R"({"max_sentences":51})", R"({"text":""})"})
        CHECK(schema_violation(input_schema, textkit::testing::parse_json(context)) != "");
}
