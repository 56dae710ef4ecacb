#include "scan_helpers.hpp"

#include "utf8.hpp"

namespace entity_extractor {

namespace {
bool is_word_char(char32_t c) { return utf8::is_letter(c) || utf8::is_digit(c); }
}  // namespace

bool word_char_before(std::string_view text, std::size_t pos) {
    return pos > 0 && is_word_char(utf8::decode_before(text, pos).code_point);
}

bool word_char_at(std::string_view text, std::size_t pos) {
    return pos < text.size() && is_word_char(utf8::decode(text, pos).code_point);
}

std::size_t digits_end(std::string_view text, std::size_t pos) {
    while (digit_at(text, pos)) ++pos;
    return pos;
}

std::size_t skip_inline_spaces(std::string_view text, std::size_t pos) {
    while (pos < text.size()) {
        utf8::DecodedChar decoded = utf8::decode(text, pos);
        if (!utf8::is_inline_space(decoded.code_point)) break;
        pos += decoded.length;
    }
    return pos;
}

bool prefix_at_ignore_case(std::string_view text, std::size_t pos, std::string_view lower_prefix) {
    if (pos + lower_prefix.size() > text.size()) return false;
    for (std::size_t i = 0; i < lower_prefix.size(); ++i)
        if (ascii_lower(text[pos + i]) != lower_prefix[i]) return false;
    return true;
}

bool word_at(std::string_view text, std::size_t pos, std::string_view word) {
    return prefix_at_ignore_case(text, pos, word) && !word_char_at(text, pos + word.size());
}

}  // namespace entity_extractor
