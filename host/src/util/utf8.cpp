#include "util/utf8.hpp"

#include <cstdint>
#include <cstring>

namespace agenthost {
namespace {

// The length of the well-formed sequence at text[i], or 0 with `consumed`
// set to the bytes of its maximal ill-formed subpart (at least 1).
size_t sequence_length(const unsigned char* text, size_t size, size_t i, size_t& consumed) {
    unsigned char lead = text[i];
    if (lead < 0x80) return 1;
    size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;  // the second byte's range
    if (lead >= 0xC2 && lead <= 0xDF) length = 2;
    else if (lead == 0xE0) length = 3, low = 0xA0;                   // no overlong forms
    else if ((lead >= 0xE1 && lead <= 0xEC) || lead == 0xEE || lead == 0xEF) length = 3;
    else if (lead == 0xED) length = 3, high = 0x9F;                  // no surrogates
    else if (lead == 0xF0) length = 4, low = 0x90;                   // no overlong forms
    else if (lead >= 0xF1 && lead <= 0xF3) length = 4;
    else if (lead == 0xF4) length = 4, high = 0x8F;                  // nothing past U+10FFFF
    consumed = 1;
    if (length == 0) return 0;
    for (size_t k = 1; k < length; ++k) {
        if (i + k >= size) return 0;
        unsigned char next = text[i + k];
        if (next < (k == 1 ? low : 0x80) || next > (k == 1 ? high : 0xBF)) return 0;
        consumed = k + 1;
    }
    return length;
}

// Index of the first byte that is not ASCII, eight bytes at a time: most
// bodies are ASCII throughout.
size_t ascii_prefix(const unsigned char* text, size_t size) {
    size_t i = 0;
    for (; i + 8 <= size; i += 8) {
        std::uint64_t word;
        std::memcpy(&word, text + i, 8);
        if (word & 0x8080808080808080ull) break;
    }
    while (i < size && text[i] < 0x80) ++i;
    return i;
}

}  // namespace

bool is_valid_utf8(std::string_view text) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
    size_t size = text.size();
    for (size_t i = ascii_prefix(bytes, size); i < size;) {
        size_t consumed = 0;
        size_t length = sequence_length(bytes, size, i, consumed);
        if (length == 0) return false;
        i += length;
        if (length == 1) i += ascii_prefix(bytes + i, size - i);
    }
    return true;
}

std::string with_invalid_utf8_replaced(std::string_view text) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
    size_t size = text.size();
    std::string out;
    out.reserve(size + 8);
    for (size_t i = 0; i < size;) {
        size_t consumed = 0;
        size_t length = sequence_length(bytes, size, i, consumed);
        if (length == 0) {
            out += "\xEF\xBF\xBD";
            i += consumed;
        } else {
            out.append(text.data() + i, length);
            i += length;
        }
    }
    return out;
}

}  // namespace agenthost
