// The extraction pipeline: patterned entities first (they own their
// characters), then capitalised names in what is left, then code-point
// offsets for the caller.
#ifndef ENTITY_EXTRACTOR_ENTITY_EXTRACTOR_HPP
#define ENTITY_EXTRACTOR_ENTITY_EXTRACTOR_HPP

#include "entity.hpp"
#include "pattern_scanners.hpp"

#include <functional>
#include <string_view>
#include <vector>

namespace entity_extractor {

struct ExtractionOptions {
    EntityTypeSet types = EntityTypeSet::all();
    // Names (person, organization, location) scoring below this are dropped.
    double min_name_confidence = 0.5;
    NumericDateOrder numeric_date_order = NumericDateOrder::day_first;
};

enum class ExtractionStage { patterns_found, names_classified };

// Called after each stage with the number of entities found so far (before
// filtering by type); may throw to abandon the extraction (cancellation).
using StageCallback = std::function<void(ExtractionStage stage, std::size_t found)>;

// Entities sorted by start, without overlaps, limited to options.types.
std::vector<Entity> extract_entities(std::string_view text, const ExtractionOptions& options,
                                     const StageCallback& on_stage = {});

}  // namespace entity_extractor

#endif
