// Splits text into the tokens the name finder reasons about: words (with
// their letter case and look-up key), numbers, single punctuation marks, and
// "blocked" stretches already taken by patterned entities (an email or a
// date is never part of a name).
#ifndef ENTITY_EXTRACTOR_NAME_TOKENS_HPP
#define ENTITY_EXTRACTOR_NAME_TOKENS_HPP

#include "entity.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace entity_extractor {

enum class TokenKind { word, number, punctuation, blocked };

struct Token {
    TokenKind kind;
    std::size_t begin;
    std::size_t end;
    std::string key;  // gazetteer::lookup_key of a word; the mark itself for punctuation
    bool capitalised = false;     // a word whose first letter is upper-case
    bool all_caps = false;        // a word of two or more letters, all upper-case
    bool has_digit = false;       // "Q3", "G7": codes, not names
    bool possessive = false;      // "Acme's": the "'s" is not part of the token
    bool line_break_before = false;
    bool space_before = false;
    bool sentence_start = false;  // first token of a sentence or line
};

// `blocked` must be sorted by begin and must not overlap.
std::vector<Token> tokenize_for_names(std::string_view text, const std::vector<Candidate>& blocked);

// A single capital letter, as in "John F. Kennedy".
bool is_initial(const Token& token);

}  // namespace entity_extractor

#endif
