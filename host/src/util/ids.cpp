#include "util/ids.hpp"

#include <array>
#include <cstdint>
#include <random>

namespace agenthost {

std::string new_uuid() {
    // One generator per thread: no lock on the hot path, seeded from the OS.
    thread_local std::mt19937_64 generator{std::random_device{}()};
    std::array<uint8_t, 16> bytes;
    for (size_t i = 0; i < bytes.size(); i += 8) {
        uint64_t word = generator();
        for (size_t j = 0; j < 8; ++j) bytes[i + j] = static_cast<uint8_t>(word >> (8 * j));
    }
    bytes[6] = static_cast<uint8_t>((bytes[6] & 0x0f) | 0x40);
    bytes[8] = static_cast<uint8_t>((bytes[8] & 0x3f) | 0x80);
    static const char kHex[] = "0123456789abcdef";
    std::string text;
    text.reserve(36);
    for (size_t i = 0; i < bytes.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) text += '-';
        text += kHex[bytes[i] >> 4];
        text += kHex[bytes[i] & 0x0f];
    }
    return text;
}

bool is_valid_client_id(const std::string& id) {
    if (id.empty() || id.size() > 128) return false;
    for (char c : id) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                  c == ':' || c == '-';
        if (!ok) return false;
    }
    return true;
}

}  // namespace agenthost
