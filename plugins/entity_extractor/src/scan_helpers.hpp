// Character tests shared by the hand-written pattern scanners. They look at
// bytes where a pattern is ASCII and decode UTF-8 only where a neighbour may
// be a non-ASCII letter (so "Zürich2024" is one word, "€30" is not).
#ifndef ENTITY_EXTRACTOR_SCAN_HELPERS_HPP
#define ENTITY_EXTRACTOR_SCAN_HELPERS_HPP

#include <cstddef>
#include <string_view>

namespace entity_extractor {

inline bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline bool is_ascii_upper(char c) { return c >= 'A' && c <= 'Z'; }
inline bool is_ascii_alnum(char c) { return is_ascii_digit(c) || is_ascii_alpha(c); }
inline char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

inline bool digit_at(std::string_view text, std::size_t pos) { return pos < text.size() && is_ascii_digit(text[pos]); }
inline bool char_at(std::string_view text, std::size_t pos, char c) { return pos < text.size() && text[pos] == c; }

// Letters (any script) and digits: what an entity must not be glued to.
bool word_char_before(std::string_view text, std::size_t pos);
bool word_char_at(std::string_view text, std::size_t pos);

// End of the run of ASCII digits starting at `pos`.
std::size_t digits_end(std::string_view text, std::size_t pos);

// Skips spaces and tabs (and no-break spaces) but not line breaks.
std::size_t skip_inline_spaces(std::string_view text, std::size_t pos);

// True when `word` (ASCII, lower-case) is at `pos` in any letter case and is
// not followed by another letter or digit.
bool word_at(std::string_view text, std::size_t pos, std::string_view word);

// Like word_at but without the boundary check at the end.
bool prefix_at_ignore_case(std::string_view text, std::size_t pos, std::string_view lower_prefix);

}  // namespace entity_extractor

#endif
