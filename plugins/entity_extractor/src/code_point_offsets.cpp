#include "code_point_offsets.hpp"

#include "utf8.hpp"

#include <stdexcept>

namespace entity_extractor {

std::size_t ForwardOffsetConverter::to_code_points(std::size_t byte_offset) {
    if (byte_offset < byte_offset_ || byte_offset > text_.size())
        throw std::logic_error("code point offsets must be converted in increasing order");
    while (byte_offset_ < byte_offset) {
        byte_offset_ += utf8::decode(text_, byte_offset_).length;
        ++code_point_offset_;
    }
    return code_point_offset_;
}

}  // namespace entity_extractor
