// Finds the stretches of capitalised words that may be names, and cuts them
// to the name itself: "Yesterday Dr. Jane Smith" -> "Jane Smith" (with the
// title remembered as evidence), "Apple CEO Tim Cook" -> "Apple", "Tim Cook".
#ifndef ENTITY_EXTRACTOR_NAME_SPANS_HPP
#define ENTITY_EXTRACTOR_NAME_SPANS_HPP

#include "name_tokens.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace entity_extractor {

struct NameSpan {
    std::size_t first_token;
    std::size_t last_token;  // inclusive; may be the dot of "Inc."
    bool had_title = false;  // a personal title was cut from the front
};

std::vector<NameSpan> find_name_spans(const std::vector<Token>& tokens);

// The gazetteer key of the whole span ("St. Louis" -> "st louis").
std::string span_key(const std::vector<Token>& tokens, const NameSpan& span);

// Capitalised words of the span, leaving out particles, "of", '&' and dots.
std::vector<std::size_t> name_word_indices(const std::vector<Token>& tokens, const NameSpan& span);

}  // namespace entity_extractor

#endif
