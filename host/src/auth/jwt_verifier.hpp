// Verifies JWTs from an identity provider (Supabase, Clerk, ...): HS256 with
// a shared secret, RS256/ES256 with the public keys of a JWKS file and/or a
// JWKS URL (by kid; see jwks_source.hpp).
// The algorithm is decided here from what is configured, never trusted
// from the token: "none" and unexpected algorithms are refused before any
// signature is looked at. libjwt checks the signature; the claims (exp,
// nbf, iss, aud) are checked here with the configured leeway.
#pragma once

#include "auth/auth_settings.hpp"
#include "auth/jwks_source.hpp"
#include "auth/principal.hpp"

#include <map>
#include <memory>
#include <string>

namespace agenthost::auth {

class JwtVerifier {
  public:
    // Reads the JWKS file and fetches the JWKS URL (through `fetch` when
    // given, for tests); throws std::runtime_error naming what is wrong with
    // the file. A URL that cannot be fetched is logged, and retried.
    explicit JwtVerifier(JwtSettings settings, JwksSource::Fetch fetch = nullptr);
    ~JwtVerifier();

    // The token's principal; throws AuthFailure saying which check failed.
    Principal verify(const std::string& token) const;

    // For tests: `now` in seconds since the epoch.
    Principal verify_at(const std::string& token, long long now) const;

  private:
    struct PublicKey {
        std::string alg;  // RS256 | ES256
        std::string pem;
    };
    JwtSettings settings_;
    std::map<std::string, PublicKey> keys_;  // by kid, from the file
    std::unique_ptr<JwksSource> url_keys_;   // when jwks_url is set
};

// A JWKS document's RSA and P-256 keys as PEM, by kid; throws
// std::runtime_error for a malformed document.
std::map<std::string, std::pair<std::string, std::string>> jwks_to_pem(const std::string& jwks_json);

}  // namespace agenthost::auth
