#include "util/ids.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <random>

namespace agenthost {

namespace {

std::array<uint8_t, 16> random_bytes() {
    // One generator per thread: no lock on the hot path, seeded from the OS.
    thread_local std::mt19937_64 generator{std::random_device{}()};
    std::array<uint8_t, 16> bytes;
    for (size_t i = 0; i < bytes.size(); i += 8) {
        uint64_t word = generator();
        for (size_t j = 0; j < 8; ++j) bytes[i + j] = static_cast<uint8_t>(word >> (8 * j));
    }
    return bytes;
}

std::string uuid_text(std::array<uint8_t, 16>& bytes, uint8_t version) {
    bytes[6] = static_cast<uint8_t>((bytes[6] & 0x0f) | (version << 4));
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

}  // namespace

std::string new_uuid() {
    std::array<uint8_t, 16> bytes = random_bytes();
    return uuid_text(bytes, 4);
}

std::string new_time_ordered_uuid() {
    std::array<uint8_t, 16> bytes = random_bytes();
    auto ms = static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count());
    for (size_t i = 0; i < 6; ++i) bytes[i] = static_cast<uint8_t>(ms >> (8 * (5 - i)));
    return uuid_text(bytes, 7);
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
