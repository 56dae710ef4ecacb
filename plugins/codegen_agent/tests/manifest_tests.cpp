#include <catch2/catch.hpp>
#include <json_schema.hpp>

using textkit::testing::parse_json;
using textkit::testing::read_json_file;
using textkit::testing::schema_violation;

TEST_CASE("the manifest satisfies the plugin manifest schema", "[codegen][manifest]") {
    const auto manifest = read_json_file(CODEGEN_MANIFEST_PATH);
    CHECK(schema_violation(read_json_file(MANIFEST_SCHEMA_PATH), manifest) == "");
    CHECK(manifest["name"] == "codegen_agent");
    CHECK(manifest["version"] == "1.0.0");
    CHECK(manifest["abi_version"] == "1.0");
    CHECK(manifest["library"] == CODEGEN_PLUGIN_FILE_NAME);
    CHECK(manifest["domain"] == "development");
    CHECK(manifest["isolation"] == "in_process");
    REQUIRE(manifest["permissions"].Size() == 1);
    CHECK(manifest["permissions"][0] == "events");
    std::vector<std::string> keywords;
    for (const auto& keyword : manifest["keywords"].GetArray()) keywords.emplace_back(keyword.GetString());
    for (const char* expected : {"openapi", "swagger", "json schema", "api client", "sdk", "codegen", "generate code",
                                 "typescript", "python", "models"})
        CHECK(std::find(keywords.begin(), keywords.end(), expected) != keywords.end());
}

TEST_CASE("the manifest's default config satisfies its config schema", "[codegen][manifest]") {
    const auto manifest = read_json_file(CODEGEN_MANIFEST_PATH);
    const auto& schema = manifest["config_schema"];
    CHECK(schema_violation(schema, manifest["default_config"]) == "");
    CHECK(manifest["default_config"]["default_language"] == "both");
    CHECK(manifest["default_config"]["python_min_version"] == "3.8");
    for (const char* bad : {R"({"default_language":"java"})", R"({"python_min_version":"3.7"})",
                            R"({"python_min_version":3.8})", R"({"language":"python"})"})
        CHECK(schema_violation(schema, parse_json(bad)) != "");
}

TEST_CASE("the input schema accepts the documented context and refuses bad values", "[codegen][manifest]") {
    const auto manifest = read_json_file(CODEGEN_MANIFEST_PATH);
    const auto& schema = manifest["input_schema"];
    for (const char* good :
         {"{}", R"({"spec":{"openapi":"3.0.3"},"language":"python"})",
          R"({"spec":"openapi: 3.0.3","language":"both","client_name":"PetClient","package_name":"pets"})"})
        CHECK(schema_violation(schema, parse_json(good)) == "");
    for (const char* bad : {R"({"spec":42})", R"({"spec":""})", R"({"language":"java"})", R"({"client_name":"1abc"})",
                            R"({"package_name":"Pet-Store"})"})
        CHECK(schema_violation(schema, parse_json(bad)) != "");
}
