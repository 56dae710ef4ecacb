#include "webhooks/signature.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <climits>
#include <stdexcept>

namespace agenthost::webhooks {

namespace {

constexpr std::string_view kStandardSecretPrefix = "whsec_";

// OpenSSL may treat a null pointer as "no key" or "no data" even with a zero
// length, and an empty string_view may carry one: hand it a real address.
const unsigned char* bytes_of(std::string_view text) {
    static const unsigned char kEmpty = 0;
    return text.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(text.data());
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
    if (key.size() > INT_MAX) throw std::length_error("HMAC key too long");
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (HMAC(EVP_sha256(), bytes_of(key), static_cast<int>(key.size()), bytes_of(data), data.size(), digest,
             &length) == nullptr) {
        throw std::runtime_error("HMAC-SHA256 failed");
    }
    return std::string(reinterpret_cast<const char*>(digest), length);
}

bool is_base64_alphabet(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

}  // namespace

std::string hmac_sha256_hex(std::string_view secret, std::string_view body) {
    static const char kHex[] = "0123456789abcdef";
    std::string digest = hmac_sha256(secret, body);
    std::string text;
    text.reserve(digest.size() * 2);
    for (unsigned char byte : digest) {
        text += kHex[byte >> 4];
        text += kHex[byte & 0x0f];
    }
    return text;
}

std::optional<std::string> standard_signing_key(std::string_view secret) {
    if (secret.substr(0, kStandardSecretPrefix.size()) != kStandardSecretPrefix) {
        if (secret.empty()) return std::nullopt;
        return std::string(secret);
    }
    // The prefix promises base64; falling back to the raw text would sign with
    // a key the receiver (which decodes it) never uses.
    auto key = base64_decode(secret.substr(kStandardSecretPrefix.size()));
    if (!key || key->empty()) return std::nullopt;
    return key;
}

bool is_valid_secret(std::string_view secret) { return standard_signing_key(secret).has_value(); }

std::string standard_signature(std::string_view secret, std::string_view id, long long timestamp,
                               std::string_view body) {
    auto key = standard_signing_key(secret);
    if (!key) throw std::invalid_argument("webhook secret is empty or a whsec_ secret that is not valid base64");
    std::string content;
    content.reserve(id.size() + body.size() + 24);
    content.append(id).append(".").append(std::to_string(timestamp)).append(".").append(body);
    return "v1," + base64_encode(hmac_sha256(*key, content));
}

bool constant_time_equal(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    return CRYPTO_memcmp(bytes_of(a), bytes_of(b), a.size()) == 0;
}

std::string base64_encode(std::string_view bytes) {
    if (bytes.size() > INT_MAX / 4 * 3) throw std::length_error("base64 input too long");
    // EVP_EncodeBlock writes 4 characters per 3 bytes (padded) plus a NUL.
    std::string text((bytes.size() + 2) / 3 * 4 + 1, '\0');
    int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(text.data()), bytes_of(bytes),
                                  static_cast<int>(bytes.size()));
    text.resize(static_cast<size_t>(written));
    return text;
}

std::optional<std::string> base64_decode(std::string_view text) {
    // EVP_DecodeBlock alone is too lenient for secrets: it skips surrounding
    // whitespace and decodes '=' as zero bits anywhere. Validate first.
    if (text.size() % 4 != 0 || text.size() > INT_MAX) return std::nullopt;
    if (text.empty()) return std::string();
    size_t padding = 0;
    if (text.back() == '=') padding = text[text.size() - 2] == '=' ? 2 : 1;
    for (size_t i = 0; i < text.size() - padding; ++i) {
        if (!is_base64_alphabet(text[i])) return std::nullopt;
    }
    std::string bytes(text.size() / 4 * 3, '\0');
    int written = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(bytes.data()), bytes_of(text),
                                  static_cast<int>(text.size()));
    if (written < 0 || static_cast<size_t>(written) != bytes.size()) return std::nullopt;
    // EVP_DecodeBlock counts the padding as decoded zero bytes; drop them.
    bytes.resize(bytes.size() - padding);
    return bytes;
}

}  // namespace agenthost::webhooks
