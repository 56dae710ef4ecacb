#include "llm_names.hpp"

#include <algorithm>
#include <stdexcept>

namespace entity_extractor {
namespace {

std::size_t code_points(std::string_view text) {
    return static_cast<std::size_t>(
        std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool overlaps(const std::vector<Entity>& entities, std::size_t start, std::size_t end) {
    return std::any_of(entities.begin(), entities.end(),
                       [&](const Entity& e) { return start < e.end && e.start < end; });
}

}  // namespace

const char* const kLlmNamesShape =
    "{\"entities\": [{\"type\": one of the types, \"text\": the name exactly as it appears in the text}]}";

std::string llm_names_prompt(const EntityTypeSet& types) {
    std::string wanted;
    for (EntityType type : all_entity_types()) {
        if (!is_name_type(type) || !types.contains(type)) continue;
        if (!wanted.empty()) wanted += ", ";
        wanted += std::string(entity_type_name(type));
    }
    return "You find named entities in the user's text. Types: " + wanted +
           " (person: a human's name; organization: a company, agency or institution; location: a place). Answer "
           "with one JSON object and nothing else: " + std::string(kLlmNamesShape) +
           ". List each mention in text order; do not invent or normalise names.";
}

std::vector<Entity> merge_llm_names(const rapidjson::Value& answer, std::string_view text, const EntityTypeSet& types,
                                    std::vector<Entity> entities) {
    if (!answer.IsObject()) throw std::runtime_error("the model's answer is not a JSON object");
    auto list = answer.FindMember("entities");
    if (list == answer.MemberEnd() || !list->value.IsArray())
        throw std::runtime_error("the model's answer has no \"entities\" list");
    // Where to look for the next mention of a name, so repeated mentions
    // map to successive occurrences.
    std::vector<std::pair<std::string, std::size_t>> search_from;
    for (const auto& item : list->value.GetArray()) {
        if (!item.IsObject() || !item.HasMember("type") || !item["type"].IsString() || !item.HasMember("text") ||
            !item["text"].IsString())
            throw std::runtime_error("an entity in the model's answer is not {\"type\", \"text\"}");
        auto type = entity_type_from_name(item["type"].GetString());
        std::string name(item["text"].GetString(), item["text"].GetStringLength());
        if (!type || !is_name_type(*type) || !types.contains(*type) || name.empty()) continue;
        auto from = std::find_if(search_from.begin(), search_from.end(), [&](const auto& p) { return p.first == name; });
        std::size_t at = text.find(name, from == search_from.end() ? 0 : from->second);
        while (at != std::string_view::npos) {
            std::size_t start = code_points(text.substr(0, at));
            std::size_t end = start + code_points(name);
            if (!overlaps(entities, start, end)) {
                entities.push_back(Entity{*type, name, start, end, "", std::nullopt});
                break;
            }
            at = text.find(name, at + 1);
        }
        std::size_t next = at == std::string_view::npos ? text.size() : at + name.size();
        if (from == search_from.end()) search_from.emplace_back(name, next);
        else from->second = next;
    }
    std::sort(entities.begin(), entities.end(), [](const Entity& a, const Entity& b) { return a.start < b.start; });
    return entities;
}

}  // namespace entity_extractor
