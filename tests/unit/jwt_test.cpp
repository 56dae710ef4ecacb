// JWT verification: HS256, RS256 and ES256 tokens made at test time, and
// each way a token is refused (alg none, unexpected algorithm, bad
// signature, wrong issuer or audience, expired, not yet valid, unknown kid).
#include "auth/authenticator.hpp"
#include "auth/jwt_verifier.hpp"
#include "jwt_factory.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>

using namespace agenthost;
using namespace agenthost::auth;
using namespace agenthost::testing;
using Catch::Matchers::Contains;

namespace {

const std::string kSecret = "a-shared-secret-of-enough-length";

std::string claims(long long exp_offset = 600, const std::string& extra = "") {
    long long now = epoch_seconds();
    return R"({"sub":"user-42","iss":"https://idp.example","aud":"agenthost","org_id":"acme",)"
           R"("scope":"read invoke","role":"authenticated","exp":)" +
           std::to_string(now + exp_offset) + R"(,"iat":)" + std::to_string(now) + extra + "}";
}

JwtSettings base_settings() {
    JwtSettings settings;
    settings.issuer = "https://idp.example";
    settings.audience = "agenthost";
    settings.leeway_seconds = 30;
    settings.tenant_claim = "org_id";
    return settings;
}

std::string refusal(const JwtVerifier& verifier, const std::string& token) {
    try {
        verifier.verify(token);
    } catch (const AuthFailure& failure) {
        return failure.what();
    }
    return "(accepted)";
}

// A JWKS file with `jwks` written for the verifier; removed on destruction.
struct JwksFile {
    explicit JwksFile(const std::string& jwks) {
        char name[] = "/tmp/agenthost-jwks-XXXXXX";
        int fd = mkstemp(name);
        close(fd);
        path = name;
        std::ofstream(path) << jwks;
    }
    ~JwksFile() { std::remove(path.c_str()); }
    std::string path;
};

}  // namespace

TEST_CASE("HS256: a valid token is a principal with sub, tenant and mapped scopes", "[auth][jwt]") {
    JwtSettings settings = base_settings();
    settings.hs256_secret = kSecret;
    settings.scope_map["authenticated"] = "read";
    JwtVerifier verifier(settings);
    Principal principal = verifier.verify(sign_jwt(JWT_ALG_HS256, kSecret, claims()));
    CHECK(principal.kind == Principal::Kind::jwt);
    CHECK(principal.name == "user-42");
    CHECK(principal.tenant == "acme");
    CHECK(principal.has(kRead));
    CHECK(principal.has(kInvoke));
    CHECK_FALSE(principal.has(kAdmin));

    CHECK_THAT(refusal(verifier, sign_jwt(JWT_ALG_HS256, "another-secret-of-enough-length", claims())),
               Contains("bad signature"));
    CHECK_THAT(refusal(verifier, sign_jwt(JWT_ALG_HS256, kSecret, claims(-120))), Contains("expired"));
    // Within the leeway an expired token still passes.
    CHECK(refusal(verifier, sign_jwt(JWT_ALG_HS256, kSecret, claims(-10))) == "(accepted)");
    CHECK_THAT(refusal(verifier, sign_jwt(JWT_ALG_HS256, kSecret,
                                          claims(600, ",\"nbf\":" + std::to_string(epoch_seconds() + 600)))),
               Contains("not valid yet"));
    std::string wrong_issuer = sign_jwt(JWT_ALG_HS256, kSecret,
                                        R"({"sub":"u","iss":"https://evil.example","aud":"agenthost","exp":)" +
                                            std::to_string(epoch_seconds() + 600) + "}");
    CHECK_THAT(refusal(verifier, wrong_issuer), Contains("wrong issuer"));
    std::string wrong_audience = sign_jwt(JWT_ALG_HS256, kSecret,
                                          R"({"sub":"u","iss":"https://idp.example","aud":["other"],"exp":)" +
                                              std::to_string(epoch_seconds() + 600) + "}");
    CHECK_THAT(refusal(verifier, wrong_audience), Contains("wrong audience"));
    std::string audience_list = sign_jwt(JWT_ALG_HS256, kSecret,
                                         R"({"sub":"u","iss":"https://idp.example","aud":["other","agenthost"],"exp":)" +
                                             std::to_string(epoch_seconds() + 600) + "}");
    CHECK(refusal(verifier, audience_list) == "(accepted)");
    CHECK_THAT(refusal(verifier, unsigned_jwt(claims())), Contains("alg none"));
    CHECK_THAT(refusal(verifier, sign_jwt(JWT_ALG_HS384, kSecret, claims())), Contains("unexpected algorithm HS384"));
    CHECK_THAT(refusal(verifier, "not-base64!.x.y"), Contains("malformed JWT"));
    std::string no_expiry = sign_jwt(JWT_ALG_HS256, kSecret, R"({"sub":"u","iss":"https://idp.example","aud":"agenthost"})");
    CHECK_THAT(refusal(verifier, no_expiry), Contains("no expiry"));
}

TEST_CASE("RS256 and ES256: keys from a JWKS file, chosen by kid", "[auth][jwt]") {
    SigningKey rsa = rsa_key("rsa-1");
    SigningKey ec = p256_key("ec-1");
    SigningKey stranger = rsa_key("rsa-1");  // same kid, a key not in the JWKS
    JwksFile jwks(R"({"keys":[)" + rsa.jwk + "," + ec.jwk + "]}");
    JwtSettings settings = base_settings();
    settings.jwks_file = jwks.path;
    JwtVerifier verifier(settings);

    Principal principal = verifier.verify(sign_jwt(JWT_ALG_RS256, rsa.private_pem, claims(), "rsa-1"));
    CHECK(principal.name == "user-42");
    CHECK(principal.has(kInvoke));
    CHECK(verifier.verify(sign_jwt(JWT_ALG_ES256, ec.private_pem, claims(), "ec-1")).name == "user-42");

    CHECK_THAT(refusal(verifier, sign_jwt(JWT_ALG_RS256, stranger.private_pem, claims(), "rsa-1")),
               Contains("bad signature"));
    CHECK_THAT(refusal(verifier, sign_jwt(JWT_ALG_RS256, rsa.private_pem, claims(), "rsa-9")),
               Contains("key id 'rsa-9' is not in the JWKS"));
    // RS256 key, token claiming ES256 with that kid: refused before any check.
    CHECK_THAT(refusal(verifier, sign_jwt(JWT_ALG_ES256, ec.private_pem, claims(), "rsa-1")),
               Contains("unexpected algorithm"));
    // No HS256 secret configured: an HS256 token (say, signed with the
    // public key as secret) is refused outright.
    CHECK_THAT(refusal(verifier, sign_jwt(JWT_ALG_HS256, kSecret, claims(), "rsa-1")),
               Contains("unexpected algorithm HS256"));
    CHECK_THAT(refusal(verifier, unsigned_jwt(claims())), Contains("alg none"));
    CHECK_THAT(refusal(verifier, sign_jwt(JWT_ALG_RS256, rsa.private_pem, claims(-600), "rsa-1")), Contains("expired"));
}

TEST_CASE("a JWKS file that is not one, and a scope map naming no scope, stop the host", "[auth][jwt]") {
    JwksFile bad(R"({"nokeys":true})");
    JwtSettings settings = base_settings();
    settings.jwks_file = bad.path;
    CHECK_THROWS_WITH(JwtVerifier(settings), Contains("not a JWKS document"));
    JwtSettings mapped = base_settings();
    mapped.hs256_secret = kSecret;
    mapped.scope_map["member"] = "read,root";
    CHECK_THROWS_WITH(JwtVerifier(mapped), Contains("unknown scope 'root'"));
}
