// Signatures on webhook deliveries, so a receiver can tell a delivery came
// from this host and was not altered: the host's own X-Webhook-Signature
// (hex HMAC-SHA256 of the body) and the Standard Webhooks scheme
// (https://www.standardwebhooks.com: webhook-id, webhook-timestamp,
// webhook-signature headers).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace agenthost::webhooks {

// Lower-case hex HMAC-SHA256 of `body` keyed with the raw bytes of `secret`.
// Byte for byte what Python's
//   hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
// gives, which is how receivers check X-Webhook-Signature.
std::string hmac_sha256_hex(std::string_view secret, std::string_view body);

// The HMAC key a Standard Webhooks secret stands for: the base64-decoded rest
// of a "whsec_..." secret, or the raw bytes of any other secret. nullopt for
// a secret no receiver could use: empty, "whsec_" with nothing after it, or
// "whsec_" followed by something that is not padded standard base64.
std::optional<std::string> standard_signing_key(std::string_view secret);

// True when `secret` can sign deliveries (standard_signing_key has a value).
// Check it when the secret is given, so a bad one is refused in that request
// and not discovered at delivery time.
bool is_valid_secret(std::string_view secret);

// The Standard Webhooks webhook-signature header value:
//   "v1," + base64(HMAC-SHA256(key, id + "." + timestamp + "." + body))
// with key = standard_signing_key(secret). Throws std::invalid_argument when
// !is_valid_secret(secret): signing with a guessed key would only produce
// deliveries every receiver rejects.
std::string standard_signature(std::string_view secret, std::string_view id, long long timestamp,
                               std::string_view body);

// Equality whose running time does not depend on where `a` and `b` differ, so
// comparing a received signature does not leak how much of it was right.
// (The length is not secret: signatures have a fixed length.)
bool constant_time_equal(std::string_view a, std::string_view b);

// Standard base64 (RFC 4648 section 4) with '=' padding.
std::string base64_encode(std::string_view bytes);

// Decodes standard base64. Strict: the length must be a multiple of 4, padding
// only at the end, no whitespace or URL-safe characters; nullopt otherwise.
// "" decodes to "".
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace agenthost::webhooks
