// The entity model shared by the scanners, the name classifier and the glue.
#ifndef ENTITY_EXTRACTOR_ENTITY_HPP
#define ENTITY_EXTRACTOR_ENTITY_HPP

#include <array>
#include <bitset>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace entity_extractor {

enum class EntityType { email, url, date, money, percentage, phone, person, organization, location };

constexpr std::size_t entity_type_count = 9;

// Every type in output order.
const std::array<EntityType, entity_type_count>& all_entity_types();

// The wire name ("email", "organization", ...).
std::string_view entity_type_name(EntityType type);
std::optional<EntityType> entity_type_from_name(std::string_view name);

bool is_name_type(EntityType type);

class EntityTypeSet {
  public:
    static EntityTypeSet all();

    void insert(EntityType type) { bits_.set(static_cast<std::size_t>(type)); }
    bool contains(EntityType type) const { return bits_.test(static_cast<std::size_t>(type)); }
    bool empty() const { return bits_.none(); }
    bool contains_any_name_type() const;

  private:
    std::bitset<entity_type_count> bits_;
};

// A found span in byte offsets, before conversion for the caller.
struct Candidate {
    EntityType type;
    std::size_t begin;
    std::size_t end;
    // Canonical form (ISO date, "1200.50 USD", "+14155550100"); empty when none.
    std::string normalized;
    // Only meaningful for names; patterned entities are certain by construction.
    double confidence = 1.0;
};

// What the extractor returns: offsets in Unicode code points, end exclusive.
struct Entity {
    EntityType type;
    std::string text;
    std::size_t start;
    std::size_t end;
    std::string normalized;
    std::optional<double> confidence;
};

}  // namespace entity_extractor

#endif
