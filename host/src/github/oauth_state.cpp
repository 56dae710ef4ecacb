#include "github/oauth_state.hpp"

#include <sodium.h>

#include <cstring>
#include <stdexcept>
#include <vector>

namespace agenthost::github {
namespace {

std::vector<std::string> split_dots(const std::string& text) {
    std::vector<std::string> parts;
    size_t start = 0;
    while (true) {
        size_t dot = text.find('.', start);
        parts.push_back(text.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
        if (dot == std::string::npos) return parts;
        start = dot + 1;
    }
}

long long seconds_of(OAuthStates::Clock::time_point time) {
    return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

}  // namespace

OAuthStates::OAuthStates(const Key& key, std::chrono::seconds lifetime) : key_(key), lifetime_(lifetime) {
    if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
}

std::string OAuthStates::mac_of(const std::string& signed_part) const {
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256(mac, reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size(),
                           key_.data());
    std::string encoded(sodium_base64_ENCODED_LEN(sizeof mac, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
    sodium_bin2base64(encoded.data(), encoded.size(), mac, sizeof mac, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    encoded.resize(std::strlen(encoded.c_str()));
    return encoded;
}

std::string OAuthStates::issue(Clock::time_point now) {
    unsigned char nonce[16];
    randombytes_buf(nonce, sizeof nonce);
    std::string nonce_hex(sizeof nonce * 2 + 1, '\0');
    sodium_bin2hex(nonce_hex.data(), nonce_hex.size(), nonce, sizeof nonce);
    nonce_hex.pop_back();
    std::string signed_part = "v1." + std::to_string(seconds_of(now + lifetime_)) + "." + nonce_hex;
    return signed_part + "." + mac_of(signed_part);
}

std::string OAuthStates::accept(const std::string& state, Clock::time_point now) {
    if (state.empty()) return "the callback carries no state: start the flow at GET /github/app/install";
    std::vector<std::string> parts = signed_parts(state);
    if (parts.empty()) return "the state is not one this host issued";
    long long expiry = 0;
    try {
        expiry = std::stoll(parts[1]);
    } catch (const std::exception&) {
        return "the state is not one this host issued";
    }
    const long long current = seconds_of(now);
    if (current > expiry) return "the state has expired: start the flow again at GET /github/app/install";
    std::lock_guard lock(mutex_);
    for (auto it = used_.begin(); it != used_.end();) it = it->second < current ? used_.erase(it) : std::next(it);
    if (!used_.emplace(parts[2], expiry).second) return "the state was already used";
    return "";
}

void OAuthStates::release(const std::string& state) {
    // Only what accept() took: a signed state of this host.
    std::vector<std::string> parts = signed_parts(state);
    if (parts.empty()) return;
    std::lock_guard lock(mutex_);
    used_.erase(parts[2]);
}

std::vector<std::string> OAuthStates::signed_parts(const std::string& state) const {
    if (state.size() > 200) return {};
    std::vector<std::string> parts = split_dots(state);
    if (parts.size() != 4 || parts[0] != "v1") return {};
    std::string expected = mac_of(parts[0] + "." + parts[1] + "." + parts[2]);
    if (expected.size() != parts[3].size() || sodium_memcmp(expected.data(), parts[3].data(), expected.size()) != 0)
        return {};
    return parts;
}

}  // namespace agenthost::github
