// Scanners work in byte offsets; callers (Python, JS via Array.from) slice by
// code point. Entities come out sorted and non-overlapping, so one forward
// walk converts all their offsets in linear time.
#ifndef ENTITY_EXTRACTOR_CODE_POINT_OFFSETS_HPP
#define ENTITY_EXTRACTOR_CODE_POINT_OFFSETS_HPP

#include <cstddef>
#include <string_view>

namespace entity_extractor {

class ForwardOffsetConverter {
  public:
    explicit ForwardOffsetConverter(std::string_view text) : text_(text) {}

    // Byte offset -> code-point offset. Offsets must be passed in
    // non-decreasing order and lie on character boundaries.
    std::size_t to_code_points(std::size_t byte_offset);

  private:
    std::string_view text_;
    std::size_t byte_offset_ = 0;
    std::size_t code_point_offset_ = 0;
};

}  // namespace entity_extractor

#endif
