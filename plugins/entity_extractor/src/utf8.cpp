#include "utf8.hpp"

namespace entity_extractor::utf8 {

namespace {

bool is_continuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

// Latin Extended-A pairs most letters as (upper, lower) at (even, odd), but
// two runs are shifted by one and a few letters have no pair.
bool latin_extended_a_is_upper(char32_t c) {
    if (c == 0x138 || c == 0x149 || c == 0x17F) return false;  // kra, 'n, long s: lower-case only
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) return c % 2 == 1;
    return c % 2 == 0;
}

}  // namespace

DecodedChar decode(std::string_view text, std::size_t pos) {
    if (pos >= text.size()) return {0, 0};
    auto lead = static_cast<unsigned char>(text[pos]);
    if (lead < 0x80) return {lead, 1};
    std::size_t length = lead >= 0xF0 && lead < 0xF5 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 && lead < 0xE0 ? 2 : 0;
    if (length == 0 || lead >= 0xF5 || pos + length > text.size()) return {replacement_character, 1};
    char32_t code_point = lead & (0x7F >> length);
    for (std::size_t i = 1; i < length; ++i) {
        auto byte = static_cast<unsigned char>(text[pos + i]);
        if (!is_continuation(byte)) return {replacement_character, 1};
        code_point = (code_point << 6) | (byte & 0x3F);
    }
    return {code_point, length};
}

DecodedChar decode_before(std::string_view text, std::size_t pos) {
    if (pos == 0 || pos > text.size()) return {0, 0};
    std::size_t start = pos - 1;
    while (start > 0 && pos - start < 4 && is_continuation(static_cast<unsigned char>(text[start]))) --start;
    DecodedChar decoded = decode(text, start);
    if (start + decoded.length == pos) return decoded;
    return {replacement_character, 1};
}

bool is_upper(char32_t c) {
    if (c < 0x80) return c >= 'A' && c <= 'Z';
    if (c >= 0xC0 && c <= 0xDE) return c != 0xD7;
    if (c >= 0x100 && c <= 0x17F) return latin_extended_a_is_upper(c);
    if (c >= 0x391 && c <= 0x3AB) return c != 0x3A2;
    if (c >= 0x400 && c <= 0x42F) return true;
    return false;
}

bool is_lower(char32_t c) {
    if (c < 0x80) return c >= 'a' && c <= 'z';
    if (c >= 0xDF && c <= 0xFF) return c != 0xF7;
    if (c >= 0x100 && c <= 0x17F) return !latin_extended_a_is_upper(c);
    if (c >= 0x3AC && c <= 0x3CE) return true;
    if (c >= 0x430 && c <= 0x45F) return true;
    return false;
}

bool is_letter(char32_t c) {
    if (is_upper(c) || is_lower(c)) return true;
    if (c == 0xAA || c == 0xBA) return true;
    // Latin Extended-B and the rest of Greek/Cyrillic, then letters of
    // scripts without case (CJK, Arabic, Hebrew, ...): never capitalised,
    // but they still glue to neighbouring characters as word characters.
    return (c >= 0x180 && c <= 0x24F) || (c >= 0x370 && c <= 0x52F) || (c >= 0x590 && c <= 0x6FF) ||
           (c >= 0x3040 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF);
}

bool is_digit(char32_t c) { return c >= '0' && c <= '9'; }

bool is_inline_space(char32_t c) { return c == ' ' || c == '\t' || c == 0xA0 || c == 0x2009 || c == 0x202F; }

bool is_space(char32_t c) { return is_inline_space(c) || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

char32_t to_lower(char32_t c) {
    if (!is_upper(c)) return c;
    if (c < 0x80 || (c >= 0xC0 && c <= 0xDE)) return c + 0x20;
    if (c >= 0x100 && c <= 0x17F) return c + 1;
    if (c >= 0x391 && c <= 0x3AB) return c + 0x20;
    if (c >= 0x410 && c <= 0x42F) return c + 0x20;
    if (c >= 0x400 && c <= 0x40F) return c + 0x50;
    return c;
}

void append(std::string& out, char32_t c) {
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xC0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (c >> 18));
        out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    }
}

std::string fold_case(std::string_view text) {
    std::string folded;
    folded.reserve(text.size());
    for (std::size_t pos = 0; pos < text.size();) {
        DecodedChar decoded = decode(text, pos);
        if (decoded.code_point == replacement_character) {
            folded.append(text.substr(pos, decoded.length));  // keep malformed bytes as they are
        } else {
            append(folded, to_lower(decoded.code_point));
        }
        pos += decoded.length;
    }
    return folded;
}

std::size_t count_code_points(std::string_view text) {
    std::size_t count = 0;
    for (std::size_t pos = 0; pos < text.size(); pos += decode(text, pos).length) ++count;
    return count;
}

}  // namespace entity_extractor::utf8
