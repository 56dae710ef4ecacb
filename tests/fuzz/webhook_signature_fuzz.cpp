// Webhook signing and its checks: secrets, base64 and the comparison.
#include "webhooks/signature.hpp"

#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    size_t split = text.find('\n');
    std::string_view secret = text.substr(0, split);
    std::string_view body = split == std::string_view::npos ? std::string_view() : text.substr(split + 1);
    agenthost::webhooks::is_valid_secret(secret);
    agenthost::webhooks::standard_signing_key(secret);
    std::string hex = agenthost::webhooks::hmac_sha256_hex(secret, body);
    if (!agenthost::webhooks::constant_time_equal(hex, agenthost::webhooks::hmac_sha256_hex(secret, body)))
        __builtin_trap();
    agenthost::webhooks::constant_time_equal(hex, body);
    if (auto decoded = agenthost::webhooks::base64_decode(body)) {
        if (agenthost::webhooks::base64_encode(*decoded).size() % 4 != 0) __builtin_trap();
    }
    // Callers check a secret before signing with it (the API refuses bad
    // ones with 422); signing promises an exception only for those.
    if (agenthost::webhooks::is_valid_secret(secret))
        agenthost::webhooks::standard_signature(secret, body, 1700000000, body);
    return 0;
}
