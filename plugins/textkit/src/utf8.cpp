#include "utf8.hpp"

namespace textkit::detail {
namespace {

constexpr char32_t replacement_character = 0xFFFD;

bool is_continuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

// Decodes the sequence starting at `at`; returns its value and length, or
// {U+FFFD, 1} when it is truncated, overlong, a surrogate or out of range.
CodePoint decode_one(std::string_view text, std::size_t at) {
    const auto lead = static_cast<unsigned char>(text[at]);
    if (lead < 0x80) return {lead, at, 1};

    std::size_t length = 0;
    char32_t value = 0;
    char32_t smallest = 0;  // below this the sequence is overlong
    if ((lead & 0xE0) == 0xC0) {
        length = 2, value = lead & 0x1F, smallest = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
        length = 3, value = lead & 0x0F, smallest = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
        length = 4, value = lead & 0x07, smallest = 0x10000;
    } else {
        return {replacement_character, at, 1};
    }
    if (at + length > text.size()) return {replacement_character, at, 1};
    for (std::size_t i = 1; i < length; ++i) {
        const auto byte = static_cast<unsigned char>(text[at + i]);
        if (!is_continuation(byte)) return {replacement_character, at, 1};
        value = (value << 6) | (byte & 0x3F);
    }
    const bool surrogate = value >= 0xD800 && value <= 0xDFFF;
    if (value < smallest || surrogate || value > 0x10FFFF) return {replacement_character, at, 1};
    return {value, at, length};
}

}  // namespace

std::vector<CodePoint> decode_utf8(std::string_view text) {
    std::vector<CodePoint> code_points;
    code_points.reserve(text.size());
    for (std::size_t at = 0; at < text.size();) {
        code_points.push_back(decode_one(text, at));
        at += code_points.back().byte_length;
    }
    return code_points;
}

std::string_view slice(std::string_view text, const std::vector<CodePoint>& code_points, std::size_t begin,
                       std::size_t end) {
    if (begin >= end) return {};
    const std::size_t first_byte = code_points[begin].byte_offset;
    const std::size_t end_byte = code_points[end - 1].byte_offset + code_points[end - 1].byte_length;
    return text.substr(first_byte, end_byte - first_byte);
}

}  // namespace textkit::detail
