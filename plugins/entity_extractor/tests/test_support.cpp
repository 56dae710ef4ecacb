#include "test_support.hpp"

#include <catch2/catch.hpp>
#include <rapidjson/schema.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <fstream>
#include <sstream>

namespace entity_extractor::testing {

std::vector<Entity> extract(std::string_view text, const ExtractionOptions& options) {
    std::vector<Entity> entities = extract_entities(text, options);
    check_invariants(text, entities);
    return entities;
}

bool contains(const std::vector<Entity>& entities, EntityType type, std::string_view text) {
    for (const Entity& entity : entities)
        if (entity.type == type && entity.text == text) return true;
    return false;
}

bool contains_text(const std::vector<Entity>& entities, std::string_view text) {
    for (const Entity& entity : entities)
        if (entity.text == text) return true;
    return false;
}

Entity require(const std::vector<Entity>& entities, EntityType type, std::string_view text) {
    for (const Entity& entity : entities)
        if (entity.type == type && entity.text == text) return entity;
    std::string found;
    for (const Entity& entity : entities)
        found += "\n  " + std::string(entity_type_name(entity.type)) + " \"" + entity.text + "\"";
    FAIL("no " << entity_type_name(type) << " \"" << text << "\" among:" << found);
    return {};
}

std::vector<Entity> of_type(const std::vector<Entity>& entities, EntityType type) {
    std::vector<Entity> matching;
    for (const Entity& entity : entities)
        if (entity.type == type) matching.push_back(entity);
    return matching;
}

std::string slice_code_points(std::string_view text, std::size_t start, std::size_t end) {
    std::size_t code_point = 0;
    std::size_t start_byte = std::string_view::npos;
    std::size_t end_byte = std::string_view::npos;
    for (std::size_t byte = 0; byte <= text.size(); ++byte) {
        bool at_character_start = byte == text.size() || (static_cast<unsigned char>(text[byte]) & 0xC0) != 0x80;
        if (!at_character_start) continue;
        if (code_point == start) start_byte = byte;
        if (code_point == end) end_byte = byte;
        ++code_point;
    }
    REQUIRE(start_byte != std::string_view::npos);
    REQUIRE(end_byte != std::string_view::npos);
    return std::string(text.substr(start_byte, end_byte - start_byte));
}

void check_invariants(std::string_view text, const std::vector<Entity>& entities) {
    std::size_t previous_end = 0;
    for (const Entity& entity : entities) {
        INFO(entity_type_name(entity.type) << " \"" << entity.text << "\" at " << entity.start << ".." << entity.end);
        CHECK(entity.start >= previous_end);
        CHECK(entity.end > entity.start);
        CHECK(slice_code_points(text, entity.start, entity.end) == entity.text);
        CHECK(entity.confidence.has_value() == is_name_type(entity.type));
        previous_end = entity.end;
    }
}

std::string read_file(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    REQUIRE(file.good());
    std::ostringstream contents;
    contents << file.rdbuf();
    return contents.str();
}

rapidjson::Document read_json_file(const std::string& path) {
    rapidjson::Document document;
    document.Parse(read_file(path).c_str());
    INFO(path);
    REQUIRE_FALSE(document.HasParseError());
    return document;
}

std::string schema_violation(const rapidjson::Value& schema, const rapidjson::Value& instance) {
    rapidjson::SchemaDocument schema_document(schema);
    rapidjson::SchemaValidator validator(schema_document);
    if (instance.Accept(validator)) return {};
    rapidjson::StringBuffer where;
    validator.GetInvalidDocumentPointer().StringifyUriFragment(where);
    rapidjson::StringBuffer rule;
    validator.GetInvalidSchemaPointer().StringifyUriFragment(rule);
    return std::string("value at ") + where.GetString() + " breaks rule \"" + validator.GetInvalidSchemaKeyword() +
           "\" at " + rule.GetString();
}

}  // namespace entity_extractor::testing
