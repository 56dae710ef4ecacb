// English stopwords: function words that carry no topic.
#ifndef TEXTKIT_STOPWORDS_HPP
#define TEXTKIT_STOPWORDS_HPP

#include <string_view>

namespace textkit {

// True for an English stopword ("the", "and", "is", "don't", ...).
// Expects the word lower-cased, as in Word::lower.
bool is_stopword(std::string_view lower_word);

}  // namespace textkit

#endif  // TEXTKIT_STOPWORDS_HPP
