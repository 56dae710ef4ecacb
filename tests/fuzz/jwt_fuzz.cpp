// JWT verification: any bearer token is refused with a reason or accepted,
// never a crash. A valid HS256 token in the corpus lets mutations reach the
// claim checks past the signature.
#include "auth/jwt_verifier.hpp"

#include <cstdint>
#include <exception>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const agenthost::auth::JwtVerifier verifier([] {
        agenthost::auth::JwtSettings settings;
        settings.hs256_secret = "fuzzing-secret-of-32-characters!!";
        settings.issuer = "https://issuer.example";
        settings.audience = "agenthost";
        settings.tenant_claim = "org_id";
        return settings;
    }());
    try {
        verifier.verify_at(std::string(reinterpret_cast<const char*>(data), size), 1700000000);
    } catch (const std::exception&) {
        // Refusals are exceptions carrying the reason (401 upstream).
    }
    return 0;
}
