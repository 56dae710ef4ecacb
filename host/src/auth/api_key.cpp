#include "auth/api_key.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <sys/random.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <stdexcept>

namespace agenthost::auth {
namespace {

constexpr size_t kIdBytes = 8;       // 16 hex characters
constexpr size_t kSecretBytes = 32;  // 43 base64url characters
constexpr size_t kIdLength = kIdBytes * 2;
constexpr size_t kSecretLength = 43;

void random_bytes(unsigned char* out, size_t size) {
    size_t filled = 0;
    while (filled < size) {
        ssize_t got = getrandom(out + filled, size - filled, 0);
        if (got < 0) {
            if (errno == EINTR) continue;
            throw std::runtime_error(std::string("getrandom failed: ") + std::strerror(errno));
        }
        filled += static_cast<size_t>(got);
    }
}

std::string hex(const unsigned char* data, size_t size) {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(size * 2);
    for (size_t i = 0; i < size; ++i) {
        out += digits[data[i] >> 4];
        out += digits[data[i] & 0x0f];
    }
    return out;
}

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }
bool is_base64url(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

}  // namespace

std::string base64url(const unsigned char* data, size_t size) {
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    size_t i = 0;
    for (; i + 2 < size; i += 3) {
        unsigned value = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
        out += alphabet[(value >> 18) & 63];
        out += alphabet[(value >> 12) & 63];
        out += alphabet[(value >> 6) & 63];
        out += alphabet[value & 63];
    }
    if (size - i == 1) {
        unsigned value = data[i] << 16;
        out += alphabet[(value >> 18) & 63];
        out += alphabet[(value >> 12) & 63];
    } else if (size - i == 2) {
        unsigned value = (data[i] << 16) | (data[i + 1] << 8);
        out += alphabet[(value >> 18) & 63];
        out += alphabet[(value >> 12) & 63];
        out += alphabet[(value >> 6) & 63];
    }
    return out;
}

std::optional<KeyParts> parse_api_key(const std::string& text) {
    // The lengths are fixed, so the secret may contain '_' without ambiguity.
    if (text.size() != 3 + kIdLength + 1 + kSecretLength || text.compare(0, 3, "ah_") != 0) return std::nullopt;
    KeyParts parts{text.substr(3, kIdLength), text.substr(3 + kIdLength + 1)};
    if (text[3 + kIdLength] != '_') return std::nullopt;
    for (char c : parts.id)
        if (!is_hex(c)) return std::nullopt;
    for (char c : parts.secret)
        if (!is_base64url(c)) return std::nullopt;
    return parts;
}

NewKey generate_api_key() {
    unsigned char id[kIdBytes];
    unsigned char secret[kSecretBytes];
    random_bytes(id, sizeof id);
    random_bytes(secret, sizeof secret);
    NewKey key;
    key.id = hex(id, sizeof id);
    key.secret = base64url(secret, sizeof secret);
    key.text = "ah_" + key.id + "_" + key.secret;
    OPENSSL_cleanse(secret, sizeof secret);
    return key;
}

std::string hash_secret(const std::string& secret) {
    // Every authenticated request hashes its key. OpenSSL 3's one-shot
    // SHA256() looks the algorithm up in the provider store on each call,
    // under a lock all request threads share; fetched once and with a
    // context per thread, hashing costs a fifth and takes no lock.
    static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    thread_local std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    unsigned char digest[SHA256_DIGEST_LENGTH];
    unsigned int length = 0;
    if (sha256 == nullptr || !context || EVP_DigestInit_ex(context.get(), sha256, nullptr) != 1 ||
        EVP_DigestUpdate(context.get(), secret.data(), secret.size()) != 1 ||
        EVP_DigestFinal_ex(context.get(), digest, &length) != 1 || length != sizeof digest)
        SHA256(reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), digest);
    return hex(digest, sizeof digest);
}

bool constant_time_equal(const std::string& a, const std::string& b) {
    // Hashes have one length; a different length says nothing secret.
    if (a.size() != b.size()) return false;
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace agenthost::auth
