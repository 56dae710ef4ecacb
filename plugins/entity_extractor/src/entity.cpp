#include "entity.hpp"

namespace entity_extractor {

namespace {
constexpr std::array<std::string_view, entity_type_count> type_names = {
    "email", "url", "date", "money", "percentage", "phone", "person", "organization", "location"};
}

const std::array<EntityType, entity_type_count>& all_entity_types() {
    static const std::array<EntityType, entity_type_count> types = {
        EntityType::email,  EntityType::url,    EntityType::date,         EntityType::money,    EntityType::percentage,
        EntityType::phone,  EntityType::person, EntityType::organization, EntityType::location,
    };
    return types;
}

std::string_view entity_type_name(EntityType type) { return type_names[static_cast<std::size_t>(type)]; }

std::optional<EntityType> entity_type_from_name(std::string_view name) {
    for (EntityType type : all_entity_types())
        if (entity_type_name(type) == name) return type;
    return std::nullopt;
}

bool is_name_type(EntityType type) {
    return type == EntityType::person || type == EntityType::organization || type == EntityType::location;
}

EntityTypeSet EntityTypeSet::all() {
    EntityTypeSet set;
    set.bits_.set();
    return set;
}

bool EntityTypeSet::contains_any_name_type() const {
    return contains(EntityType::person) || contains(EntityType::organization) || contains(EntityType::location);
}

}  // namespace entity_extractor
