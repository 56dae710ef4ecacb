// Just enough UTF-8 for entity extraction: decoding, letter case for the
// scripts names are usually written in (Latin, Greek, Cyrillic), and case
// folding for dictionary look-ups. Malformed bytes decode as U+FFFD, one
// byte at a time, so scanning never stops on bad input.
#ifndef ENTITY_EXTRACTOR_UTF8_HPP
#define ENTITY_EXTRACTOR_UTF8_HPP

#include <cstddef>
#include <string>
#include <string_view>

namespace entity_extractor::utf8 {

struct DecodedChar {
    char32_t code_point;
    std::size_t length;  // bytes; 0 only at the end (or start, for decode_before) of the text
};

constexpr char32_t replacement_character = 0xFFFD;

DecodedChar decode(std::string_view text, std::size_t pos);
// The character that ends at `pos`.
DecodedChar decode_before(std::string_view text, std::size_t pos);

bool is_letter(char32_t c);
bool is_upper(char32_t c);
bool is_lower(char32_t c);
bool is_digit(char32_t c);
// Spaces that may sit between the words of one entity (not line breaks).
bool is_inline_space(char32_t c);
bool is_space(char32_t c);

char32_t to_lower(char32_t c);
// Lower-cases every character it knows the case of; used for look-up keys.
std::string fold_case(std::string_view text);

void append(std::string& out, char32_t c);

// Counts code points the way Python's len() does for valid UTF-8; a malformed
// byte counts as one (it decodes as one U+FFFD).
std::size_t count_code_points(std::string_view text);

}  // namespace entity_extractor::utf8

#endif
