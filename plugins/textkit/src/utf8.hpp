// UTF-8 decoding into code points that remember where they came from.
#ifndef TEXTKIT_UTF8_HPP
#define TEXTKIT_UTF8_HPP

#include <cstddef>
#include <string_view>
#include <vector>

namespace textkit::detail {

struct CodePoint {
    char32_t value;
    std::size_t byte_offset;
    std::size_t byte_length;
};

// Decodes the whole text. Malformed bytes decode to U+FFFD one byte at a time,
// so every byte belongs to exactly one code point and offsets never drift.
std::vector<CodePoint> decode_utf8(std::string_view text);

// The bytes of code points [begin, end) of `text`, decoded as `code_points`.
std::string_view slice(std::string_view text, const std::vector<CodePoint>& code_points, std::size_t begin,
                       std::size_t end);

}  // namespace textkit::detail

#endif  // TEXTKIT_UTF8_HPP
