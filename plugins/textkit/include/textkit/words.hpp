// Word tokenization, UTF-8 aware.
#ifndef TEXTKIT_WORDS_HPP
#define TEXTKIT_WORDS_HPP

#include <string>
#include <string_view>
#include <vector>

namespace textkit {

struct Word {
    // As written in the input, case kept (ALL-CAPS emphasis needs it).
    std::string text;
    // ASCII letters lower-cased and the typographic apostrophe (U+2019)
    // replaced by "'", so "Don’t" and "don't" compare equal.
    std::string lower;
};

// Splits text into words: runs of letters and digits (any non-ASCII
// character that is not whitespace or punctuation counts as a letter).
// An apostrophe between letters stays inside the word ("don't", "O'Brien"),
// and so does a "." or "," between digits ("3.5", "1,000"). Hyphens,
// punctuation and whitespace separate words and are not returned.
std::vector<Word> split_words(std::string_view text);

}  // namespace textkit

#endif  // TEXTKIT_WORDS_HPP
