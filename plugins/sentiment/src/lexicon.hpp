// The sentiment lexicon: English words and how positive or negative they are.
#ifndef SENTIMENT_LEXICON_HPP
#define SENTIMENT_LEXICON_HPP

#include <optional>
#include <string_view>
#include <vector>

namespace sentiment {

struct LexiconEntry {
    std::string_view word;  // lower-case
    // On VADER's scale: -4 (extremely negative) to +4 (extremely positive).
    double valence;
};

// Every entry, in no particular order.
const std::vector<LexiconEntry>& lexicon();

// The valence of a lower-cased word, or nothing for a word without sentiment.
std::optional<double> valence_of(std::string_view lower_word);

}  // namespace sentiment

#endif  // SENTIMENT_LEXICON_HPP
