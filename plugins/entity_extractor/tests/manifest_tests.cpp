// The manifest is what the host reads before loading the library: it must
// satisfy the host's schema and agree with the code.
#include "test_support.hpp"

#include <catch2/catch.hpp>

using namespace entity_extractor;
using namespace entity_extractor::testing;

namespace {

std::vector<std::string> strings_of(const rapidjson::Value& array) {
    std::vector<std::string> strings;
    for (const rapidjson::Value& item : array.GetArray()) strings.emplace_back(item.GetString());
    return strings;
}

std::vector<std::string> all_type_names() {
    std::vector<std::string> names;
    for (EntityType type : all_entity_types()) names.emplace_back(entity_type_name(type));
    return names;
}

}  // namespace

TEST_CASE("the manifest satisfies the plugin manifest schema", "[manifest]") {
    rapidjson::Document schema = read_json_file(AGENTHOST_MANIFEST_SCHEMA_PATH);
    rapidjson::Document manifest = read_json_file(ENTITY_EXTRACTOR_MANIFEST_PATH);
    CHECK(schema_violation(schema, manifest) == "");
    CHECK(std::string(manifest["name"].GetString()) == "entity_extractor");
    CHECK(std::string(manifest["library"].GetString()) == "libentity_extractor.so");
}

TEST_CASE("the default config satisfies the config schema and keeps the built-in defaults", "[manifest]") {
    rapidjson::Document manifest = read_json_file(ENTITY_EXTRACTOR_MANIFEST_PATH);
    const rapidjson::Value& config = manifest["default_config"];
    CHECK(schema_violation(manifest["config_schema"], config) == "");
    CHECK(strings_of(config["types"]) == all_type_names());
    CHECK(config["min_name_confidence"].GetDouble() == Approx(ExtractionOptions{}.min_name_confidence));
    CHECK(std::string(config["numeric_date_order"].GetString()) == "day_first");
}

TEST_CASE("the schemas list exactly the entity types the code knows", "[manifest]") {
    rapidjson::Document manifest = read_json_file(ENTITY_EXTRACTOR_MANIFEST_PATH);
    CHECK(strings_of(manifest["input_schema"]["properties"]["types"]["items"]["enum"]) == all_type_names());
    CHECK(strings_of(manifest["config_schema"]["properties"]["types"]["items"]["enum"]) == all_type_names());
    CHECK(strings_of(manifest["output_schema"]["properties"]["entities"]["items"]["properties"]["type"]["enum"]) ==
          all_type_names());
}
