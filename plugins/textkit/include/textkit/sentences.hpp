// Sentence splitting for English prose, UTF-8 aware.
#ifndef TEXTKIT_SENTENCES_HPP
#define TEXTKIT_SENTENCES_HPP

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace textkit {

struct Sentence {
    // The sentence as written, without surrounding whitespace or list marker.
    std::string text;
    // Half-open span [start, end) of `text` in the input, counted in Unicode
    // code points (not bytes), so callers in any language can slice with it.
    std::size_t start = 0;
    std::size_t end = 0;
};

// Splits text into sentences, in order. A sentence ends at ".", "!", "?",
// an ellipsis ("..." or U+2026) or CJK full stops, together with any closing
// quotes and brackets that follow; at a blank line (paragraph break); and
// before a line that starts with a list marker ("- ", "* ", "1. ", ...).
// A single line break inside a paragraph is taken as wrapping, not a break.
//
// A period does not end a sentence inside numbers ("3.5") or words
// ("example.com"), after titles ("Mr.", "Dr."), "e.g.", "i.e.", "vs.",
// before a number after "No.", "Fig.", "Jan." and the like, or when the next
// word starts in lower case. After initialisms and abbreviations that may
// close a sentence ("U.S.", "a.m.", "etc.", "Inc.") it ends one only when the
// next word commonly starts a sentence ("The", "It", "We", ...).
//
// Spans without any letter or digit (stray punctuation) are dropped.
std::vector<Sentence> split_sentences(std::string_view text);

}  // namespace textkit

#endif  // TEXTKIT_SENTENCES_HPP
