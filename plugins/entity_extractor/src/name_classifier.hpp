// Decides whether a capitalised span is a person, an organisation or a place
// by adding up evidence from the words themselves (gazetteers, suffixes,
// titles, first names) and from their neighbours ("in Paris", "Smith said",
// "spokeswoman Maria Lopez"), then lets confident names vouch for their
// short forms elsewhere in the text ("Jane Smith" ... "Smith").
#ifndef ENTITY_EXTRACTOR_NAME_CLASSIFIER_HPP
#define ENTITY_EXTRACTOR_NAME_CLASSIFIER_HPP

#include "entity.hpp"
#include "name_spans.hpp"
#include "name_tokens.hpp"

#include <vector>

namespace entity_extractor {

// Returns the spans classified with a confidence of at least
// `min_confidence` (0..1), as candidates in byte offsets.
std::vector<Candidate> classify_names(const std::vector<Token>& tokens, const std::vector<NameSpan>& spans,
                                      double min_confidence);

}  // namespace entity_extractor

#endif
