// The entity extractor's LLM path covers what rules do least well: people,
// organisations and locations. Patterned entities (emails, URLs, dates,
// money, percentages, phones) still come from the scanners, exact and
// normalised. The model answers {"entities": [{"type", "text"}]}; a name is
// kept only where its text occurs verbatim in the input without overlapping
// an entity already placed, so offsets are always true and nothing the model
// invents survives.
#ifndef ENTITY_EXTRACTOR_LLM_NAMES_HPP
#define ENTITY_EXTRACTOR_LLM_NAMES_HPP

#include "entity.hpp"

#include <rapidjson/document.h>

#include <string>
#include <string_view>
#include <vector>

namespace entity_extractor {

// The JSON object the model is asked for.
extern const char* const kLlmNamesShape;

// The system prompt asking for the name types in `types`.
std::string llm_names_prompt(const EntityTypeSet& types);

// Adds the model's names (of types in `types`) to `entities`, which must
// hold code-point offsets into `text`; returns them all sorted by start.
// Throws std::runtime_error when the answer is not of the asked shape.
std::vector<Entity> merge_llm_names(const rapidjson::Value& answer, std::string_view text, const EntityTypeSet& types,
                                    std::vector<Entity> entities);

}  // namespace entity_extractor

#endif
