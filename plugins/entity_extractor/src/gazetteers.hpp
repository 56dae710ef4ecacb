// Built-in word lists behind the name heuristics. Every look-up takes a key:
// words made by lookup_key() (case-folded, dots dropped, so "U.S.", "US" and
// "us" are one key), joined by single spaces ("st louis" for "St. Louis").
#ifndef ENTITY_EXTRACTOR_GAZETTEERS_HPP
#define ENTITY_EXTRACTOR_GAZETTEERS_HPP

#include <string>
#include <string_view>

namespace entity_extractor::gazetteer {

std::string lookup_key(std::string_view text);

// Places: countries, US states, Canadian provinces, major cities, regions.
bool is_known_location(std::string_view key);
// Last words of place names: "City", "County", "River", "Street".
bool is_location_suffix(std::string_view key);
// First words of place names that may take "of": "Gulf of", "Republic of".
bool is_location_head(std::string_view key);
// First words of natural features and settlements: "Mount", "Lake", "Fort".
bool is_location_prefix(std::string_view key);
// "North", "Northern", "Greater": prefix a known place and stay a place.
bool is_compass_prefix(std::string_view key);
// Lower-case words before a place: "in", "near"; returns evidence weight (0 for none).
double location_preposition_weight(std::string_view key);

// People.
bool is_first_name(std::string_view key);
// Honorifics and offices written before a name: "Mr", "Dr", "CEO", "President".
bool is_person_title(std::string_view key);
// Words that only build titles: "Prime" (Minister), "Vice" (President).
bool is_title_modifier(std::string_view key);
// Lower-case role nouns before a name: "spokeswoman", "analyst".
bool is_role_noun(std::string_view key);
// Verbs of attribution around a name: "said", "told".
bool is_attribution_verb(std::string_view key);
// Verbs whose subject is nearly always a person ("leads", "founded",
// "resigned"); not those companies do too ("announced", "hired").
bool is_person_action_verb(std::string_view key);
// Lower-case particles inside names: "de", "van", "von".
bool is_name_particle(std::string_view key);
// "Jr", "Sr", "II", "III".
bool is_generational_suffix(std::string_view key);

// Organisations.
bool is_known_organization(std::string_view key);
// Last words of organisation names: "Inc", "Bank", "University".
bool is_organization_suffix(std::string_view key);
// Legal forms that always end a name ("Inc", "GmbH"): a span is cut after them.
bool is_legal_form(std::string_view key);
// First words of organisation names that may take "of": "University of", "Bank of".
bool is_organization_head(std::string_view key);
// Words too generic to stand for their organisation alone ("National", "First").
bool is_generic_organization_word(std::string_view key);

// Capitalised only because they start a sentence: "The", "However", "Yesterday".
bool is_function_word(std::string_view key);
// Capitalised words that are never names on their own: months, weekdays,
// nationalities, common acronyms ("CEO", "PDF"), "I".
bool is_never_a_name(std::string_view key);

}  // namespace entity_extractor::gazetteer

#endif
