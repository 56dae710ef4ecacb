// Words that change the sentiment of the words around them.
#ifndef SENTIMENT_MODIFIERS_HPP
#define SENTIMENT_MODIFIERS_HPP

#include <optional>
#include <string_view>

namespace sentiment {

// How far before a sentiment word negators and boosters still reach.
constexpr int modifier_window = 3;

enum class Negation {
    none,
    full,     // "not", "never", "no", "without", "n't": flips the sentiment
    partial,  // "hardly", "scarcely", "rarely", "seldom": flips, but weakly
};

// What a lower-cased word negates. Any word ending in "n't" ("don't",
// "wasn't") negates fully, as do the same words written without the
// apostrophe ("dont", "wasnt").
Negation negation_of(std::string_view lower_word);

// How much an intensifier ("very", "extremely": > 0) or a dampener
// ("slightly", "somewhat", "barely": < 0) moves the next sentiment words
// away from or towards zero; nothing for other words. Never a lexicon word.
std::optional<double> booster_of(std::string_view lower_word);

// "but", "however": the clause after outweighs the clause before.
bool is_contrast(std::string_view lower_word);

}  // namespace sentiment

#endif  // SENTIMENT_MODIFIERS_HPP
