#include "characters.hpp"

namespace textkit::detail {
namespace {

bool in_range(char32_t c, char32_t first, char32_t last) { return c >= first && c <= last; }

bool is_ascii_letter(char32_t c) { return in_range(c, 'a', 'z') || in_range(c, 'A', 'Z'); }

// Non-ASCII code points that are punctuation or symbols rather than letters.
bool is_non_ascii_punctuation(char32_t c) {
    return in_range(c, 0x00A1, 0x00BF)     // Latin-1 punctuation and symbols
           || c == 0x00D7 || c == 0x00F7   // multiplication and division signs
           || in_range(c, 0x2010, 0x2027)  // dashes, quotes, bullets, ellipsis
           || in_range(c, 0x2030, 0x205E)  // per mille, primes, guillemets, ...
           || in_range(c, 0x3001, 0x3003)  // CJK comma and full stop
           || in_range(c, 0x3008, 0x3011)  // CJK brackets
           || in_range(c, 0xFF01, 0xFF0F)  // fullwidth punctuation
           || in_range(c, 0xFF1A, 0xFF20)  // fullwidth punctuation
           || c == 0xFFFD;                 // replacement for malformed bytes
}

}  // namespace

bool is_space(char32_t c) {
    return c == ' ' || in_range(c, '\t', '\r') || c == 0x00A0 || c == 0x1680 || in_range(c, 0x2000, 0x200A) ||
           c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

bool is_line_break(char32_t c) { return c == '\n' || c == 0x2029; }

bool is_word_char(char32_t c) {
    if (c < 0x80) return is_ascii_letter(c) || is_ascii_digit(c);
    return !is_space(c) && !is_non_ascii_punctuation(c);
}

bool is_ascii_digit(char32_t c) { return in_range(c, '0', '9'); }

bool is_lowercase_letter(char32_t c) { return in_range(c, 'a', 'z') || (in_range(c, 0x00DF, 0x00FF) && c != 0x00F7); }

bool is_apostrophe(char32_t c) { return c == '\'' || c == 0x2019; }

bool is_opening_punctuation(char32_t c) {
    return c == '"' || c == '\'' || c == '(' || c == '[' || c == '{' || c == 0x00AB || c == 0x2018 || c == 0x201C ||
           c == 0x2039;
}

bool is_closing_punctuation(char32_t c) {
    return c == '"' || c == '\'' || c == ')' || c == ']' || c == '}' || c == 0x00BB || c == 0x2019 || c == 0x201D ||
           c == 0x203A;
}

bool is_sentence_terminator(char32_t c) {
    return c == '.' || c == '!' || c == '?' || c == 0x2026 || c == 0x203C || in_range(c, 0x2047, 0x2049) ||
           is_fullwidth_terminator(c);
}

bool is_fullwidth_terminator(char32_t c) { return c == 0x3002 || c == 0xFF01 || c == 0xFF1F; }

}  // namespace textkit::detail
