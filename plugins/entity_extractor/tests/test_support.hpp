// Helpers shared by the entity_extractor tests.
#ifndef ENTITY_EXTRACTOR_TEST_SUPPORT_HPP
#define ENTITY_EXTRACTOR_TEST_SUPPORT_HPP

#include "entity_extractor.hpp"

#include <rapidjson/document.h>

#include <string>
#include <string_view>
#include <vector>

namespace entity_extractor::testing {

std::vector<Entity> extract(std::string_view text, const ExtractionOptions& options = {});

// The entity of this type with exactly this text; fails the test when absent.
Entity require(const std::vector<Entity>& entities, EntityType type, std::string_view text);

bool contains(const std::vector<Entity>& entities, EntityType type, std::string_view text);
// Whether any entity, of any type, has this text.
bool contains_text(const std::vector<Entity>& entities, std::string_view text);

std::vector<Entity> of_type(const std::vector<Entity>& entities, EntityType type);

// Slices `text` by code-point offsets, the way Python's text[start:end] does.
// Written independently of the extractor's own UTF-8 code.
std::string slice_code_points(std::string_view text, std::size_t start, std::size_t end);

// Checks what every result must satisfy: sorted, no overlaps, and each
// entity's offsets slice exactly its text out of the input.
void check_invariants(std::string_view text, const std::vector<Entity>& entities);

std::string read_file(const std::string& path);
rapidjson::Document read_json_file(const std::string& path);

// Validates `instance` against a draft-04 JSON Schema; returns a description
// of the first violation, or an empty string when it is valid.
std::string schema_violation(const rapidjson::Value& schema, const rapidjson::Value& instance);

}  // namespace entity_extractor::testing

#endif
