// The API key format, ah_<id>_<secret>, and what is stored of it: the id
// in clear (to find the key) and the SHA-256 of the secret. The secret is
// 32 random bytes from the OS, so a plain hash is enough (no salt or
// stretching: there is nothing to guess).
#pragma once

#include <optional>
#include <string>

namespace agenthost::auth {

struct KeyParts {
    std::string id;      // lower-case hex, no '_'
    std::string secret;  // base64url, may contain '_' and '-'
};

struct NewKey {
    std::string id;
    std::string secret;
    std::string text;  // what the client sends: ah_<id>_<secret>
};

// Nullopt when `text` is not of the form ah_<id>_<secret>.
std::optional<KeyParts> parse_api_key(const std::string& text);

// A fresh key from the OS's random source; throws std::runtime_error when
// that source fails.
NewKey generate_api_key();

// Lower-case hex SHA-256 of `secret`.
std::string hash_secret(const std::string& secret);

// Equality whose duration does not depend on where the inputs differ.
bool constant_time_equal(const std::string& a, const std::string& b);

// Unpadded base64url (RFC 4648 §5).
std::string base64url(const unsigned char* data, size_t size);

}  // namespace agenthost::auth
