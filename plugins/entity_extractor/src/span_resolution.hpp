// Settles overlapping candidates: the longest span wins, so a URL keeps the
// digits a phone scanner saw inside it and "March 15, 2024" beats "15".
#ifndef ENTITY_EXTRACTOR_SPAN_RESOLUTION_HPP
#define ENTITY_EXTRACTOR_SPAN_RESOLUTION_HPP

#include "entity.hpp"

#include <string_view>
#include <vector>

namespace entity_extractor {

// Returns non-overlapping candidates sorted by start. Length is measured in
// code points; ties go to the type listed first in EntityType, then to the
// earlier span.
std::vector<Candidate> resolve_overlaps(std::string_view text, std::vector<Candidate> candidates);

}  // namespace entity_extractor

#endif
