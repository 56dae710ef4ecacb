// Light English stemming.
#ifndef TEXTKIT_STEM_HPP
#define TEXTKIT_STEM_HPP

#include <string>
#include <string_view>

namespace textkit {

// Folds English plurals onto a common stem with Harman's "S" stemmer
// ("outages" -> "outage", "queries" -> "query", "users" -> "user"). It only
// ever strips plural endings, so unlike aggressive stemmers it never merges
// unrelated words; the price is that some plurals keep a stray letter
// ("boxes" -> "boxe"). A possessive "'s" is dropped too ("customer's" ->
// "customer"). Words of three letters or fewer are left alone.
// Expects the word lower-cased, as in Word::lower.
std::string light_stem(std::string_view lower_word);

}  // namespace textkit

#endif  // TEXTKIT_STEM_HPP
