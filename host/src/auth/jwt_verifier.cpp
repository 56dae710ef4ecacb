#include "auth/jwt_verifier.hpp"

#include "auth/authenticator.hpp"
#include "auth/scopes.hpp"

#include <jwt.h>
#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <rapidjson/document.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

namespace agenthost::auth {
namespace {

std::string base64url_decode(const std::string& text) {
    std::string out;
    unsigned value = 0;
    int bits = 0;
    for (char c : text) {
        int digit;
        if (c >= 'A' && c <= 'Z') digit = c - 'A';
        else if (c >= 'a' && c <= 'z') digit = c - 'a' + 26;
        else if (c >= '0' && c <= '9') digit = c - '0' + 52;
        else if (c == '-' || c == '+') digit = 62;
        else if (c == '_' || c == '/') digit = 63;
        else if (c == '=') break;
        else throw std::runtime_error("not base64url");
        value = (value << 6) | static_cast<unsigned>(digit);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((value >> bits) & 0xff);
        }
    }
    return out;
}

std::string string_member(const rapidjson::Value& object, const char* name) {
    auto found = object.FindMember(name);
    return found != object.MemberEnd() && found->value.IsString() ? found->value.GetString() : "";
}

struct PkeyDeleter {
    void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};

std::string pem_of(EVP_PKEY* key) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
    if (!bio || PEM_write_bio_PUBKEY(bio.get(), key) != 1) throw std::runtime_error("cannot write a public key");
    char* data = nullptr;
    long size = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<size_t>(size));
}

// A public key from OpenSSL parameters ("RSA" or "EC").
std::string pem_from_params(const char* type, OSSL_PARAM_BLD* build) {
    OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(build);
    std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> context(
        EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr), EVP_PKEY_CTX_free);
    EVP_PKEY* raw = nullptr;
    bool ok = params != nullptr && context && EVP_PKEY_fromdata_init(context.get()) == 1 &&
              EVP_PKEY_fromdata(context.get(), &raw, EVP_PKEY_PUBLIC_KEY, params) == 1;
    OSSL_PARAM_free(params);
    std::unique_ptr<EVP_PKEY, PkeyDeleter> key(raw);
    if (!ok) throw std::runtime_error(std::string("invalid ") + type + " key");
    return pem_of(key.get());
}

std::string rsa_pem(const std::string& n, const std::string& e) {
    std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> build(OSSL_PARAM_BLD_new(), OSSL_PARAM_BLD_free);
    std::unique_ptr<BIGNUM, decltype(&BN_free)> modulus(
        BN_bin2bn(reinterpret_cast<const unsigned char*>(n.data()), static_cast<int>(n.size()), nullptr), BN_free);
    std::unique_ptr<BIGNUM, decltype(&BN_free)> exponent(
        BN_bin2bn(reinterpret_cast<const unsigned char*>(e.data()), static_cast<int>(e.size()), nullptr), BN_free);
    if (!build || !modulus || !exponent ||
        OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_N, modulus.get()) != 1 ||
        OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_E, exponent.get()) != 1)
        throw std::runtime_error("invalid RSA key");
    return pem_from_params("RSA", build.get());
}

std::string p256_pem(const std::string& x, const std::string& y) {
    if (x.size() != 32 || y.size() != 32) throw std::runtime_error("invalid P-256 key");
    std::string point = "\x04" + x + y;  // uncompressed
    std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> build(OSSL_PARAM_BLD_new(), OSSL_PARAM_BLD_free);
    if (!build || OSSL_PARAM_BLD_push_utf8_string(build.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) != 1 ||
        OSSL_PARAM_BLD_push_octet_string(build.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) != 1)
        throw std::runtime_error("invalid P-256 key");
    return pem_from_params("EC", build.get());
}

struct JwtDeleter {
    void operator()(jwt_t* jwt) const { jwt_free(jwt); }
};
using JwtPtr = std::unique_ptr<jwt_t, JwtDeleter>;

// A grant's JSON (string, number, array...), or "" when absent.
std::string grant_json(jwt_t* jwt, const char* name) {
    char* text = jwt_get_grants_json(jwt, name);
    if (text == nullptr) return "";
    std::string json(text);
    free(text);
    return json;
}

// The names a claim holds: a space-separated string or an array of strings.
std::vector<std::string> names_in(const std::string& json) {
    std::vector<std::string> names;
    if (json.empty()) return names;
    rapidjson::Document value;
    value.Parse(json.c_str());
    if (value.HasParseError()) return names;
    auto add_words = [&names](const std::string& text) {
        std::istringstream words(text);
        for (std::string word; words >> word;) names.push_back(word);
    };
    if (value.IsString()) add_words(value.GetString());
    if (value.IsArray())
        for (const auto& item : value.GetArray())
            if (item.IsString()) names.emplace_back(item.GetString());
    return names;
}

bool has_number(const std::string& json) {
    rapidjson::Document value;
    value.Parse(json.c_str());
    return !value.HasParseError() && value.IsNumber();
}

}  // namespace

std::map<std::string, std::pair<std::string, std::string>> jwks_to_pem(const std::string& jwks_json) {
    rapidjson::Document document;
    document.Parse(jwks_json.c_str());
    if (document.HasParseError() || !document.IsObject() || !document.HasMember("keys") || !document["keys"].IsArray())
        throw std::runtime_error("not a JWKS document (an object with a \"keys\" array)");
    std::map<std::string, std::pair<std::string, std::string>> keys;
    for (const auto& jwk : document["keys"].GetArray()) {
        if (!jwk.IsObject()) continue;
        std::string kid = string_member(jwk, "kid");
        std::string kty = string_member(jwk, "kty");
        std::string use = string_member(jwk, "use");
        if (use == "enc") continue;
        try {
            if (kty == "RSA") {
                keys[kid] = {"RS256", rsa_pem(base64url_decode(string_member(jwk, "n")),
                                              base64url_decode(string_member(jwk, "e")))};
            } else if (kty == "EC" && string_member(jwk, "crv") == "P-256") {
                keys[kid] = {"ES256", p256_pem(base64url_decode(string_member(jwk, "x")),
                                               base64url_decode(string_member(jwk, "y")))};
            }
        } catch (const std::exception& e) {
            throw std::runtime_error("JWKS key '" + kid + "': " + e.what());
        }
    }
    return keys;
}

JwtVerifier::~JwtVerifier() = default;

JwtVerifier::JwtVerifier(JwtSettings settings, JwksSource::Fetch fetch) : settings_(std::move(settings)) {
    for (const auto& [claim, scopes] : settings_.scope_map) {
        try {
            parse_scopes(scopes);
        } catch (const std::invalid_argument& e) {
            throw std::runtime_error("auth.jwt.scope_map[\"" + claim + "\"]: " + e.what());
        }
    }
    if (!settings_.jwks_url.empty()) {
        auto period = [](double seconds) {
            return std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
        };
        url_keys_ = std::make_unique<JwksSource>(settings_.jwks_url, period(settings_.jwks_refresh_seconds),
                                                 period(settings_.jwks_refetch_seconds), std::move(fetch));
        url_keys_->start();
    }
    if (settings_.jwks_file.empty()) return;
    std::ifstream in(settings_.jwks_file);
    if (!in) throw std::runtime_error("cannot read auth.jwt.jwks_file " + settings_.jwks_file);
    std::stringstream content;
    content << in.rdbuf();
    try {
        for (auto& [kid, key] : jwks_to_pem(content.str())) keys_[kid] = {key.first, key.second};
    } catch (const std::exception& e) {
        throw std::runtime_error("auth.jwt.jwks_file " + settings_.jwks_file + ": " + e.what());
    }
}

Principal JwtVerifier::verify(const std::string& token) const {
    using std::chrono::system_clock;
    long long now = std::chrono::duration_cast<std::chrono::seconds>(system_clock::now().time_since_epoch()).count();
    return verify_at(token, now);
}

Principal JwtVerifier::verify_at(const std::string& token, long long now) const {
    // The header says which key the token claims; read it before libjwt so
    // the algorithm is chosen by configuration, not by the token.
    size_t dot = token.find('.');
    rapidjson::Document header;
    try {
        std::string text = base64url_decode(token.substr(0, dot));
        header.Parse(text.c_str());
    } catch (const std::exception&) {
        header.SetNull();
    }
    if (dot == std::string::npos || header.HasParseError() || !header.IsObject())
        throw AuthFailure("malformed JWT: the header is not base64url JSON");
    std::string alg = string_member(header, "alg");
    std::string kid = string_member(header, "kid");
    if (alg.empty() || alg == "none" || alg == "None" || alg == "NONE")
        throw AuthFailure("JWT refused: unsigned tokens (alg none) are not accepted");
    std::string key;
    jwt_alg_t expected = JWT_ALG_INVAL;
    if (alg == "HS256") {
        if (settings_.hs256_secret.empty()) throw AuthFailure("JWT refused: unexpected algorithm HS256");
        key = settings_.hs256_secret;
        expected = JWT_ALG_HS256;
    } else if (alg == "RS256" || alg == "ES256") {
        if (keys_.empty() && !url_keys_) throw AuthFailure("JWT refused: unexpected algorithm " + alg);
        std::string key_alg;
        if (auto found = keys_.find(kid); found != keys_.end()) {
            key_alg = found->second.alg;
            key = found->second.pem;
        } else if (url_keys_) {
            auto fetched = url_keys_->keys();
            if (fetched->count(kid) == 0) fetched = url_keys_->refetch_for(kid);
            if (auto found = fetched->find(kid); found != fetched->end()) {
                key_alg = found->second.alg;
                key = found->second.pem;
            }
        }
        if (key_alg.empty()) throw AuthFailure("JWT refused: key id '" + kid + "' is not in the JWKS");
        if (key_alg != alg) throw AuthFailure("JWT refused: unexpected algorithm " + alg + " for key '" + kid + "'");
        expected = alg == "RS256" ? JWT_ALG_RS256 : JWT_ALG_ES256;
    } else {
        throw AuthFailure("JWT refused: unexpected algorithm " + alg);
    }

    jwt_t* raw = nullptr;
    int failed = jwt_decode(&raw, token.c_str(), reinterpret_cast<const unsigned char*>(key.data()),
                            static_cast<int>(key.size()));
    JwtPtr jwt(raw);
    if (failed != 0 || !jwt) throw AuthFailure("JWT refused: bad signature");
    if (jwt_get_alg(jwt.get()) != expected) throw AuthFailure("JWT refused: unexpected algorithm");

    long long leeway = static_cast<long long>(settings_.leeway_seconds);
    std::string exp_json = grant_json(jwt.get(), "exp");
    if (exp_json.empty() || !has_number(exp_json)) throw AuthFailure("JWT refused: it has no expiry (exp)");
    if (now > jwt_get_grant_int(jwt.get(), "exp") + leeway) throw AuthFailure("JWT refused: expired");
    std::string nbf_json = grant_json(jwt.get(), "nbf");
    if (!nbf_json.empty() && has_number(nbf_json) && now + leeway < jwt_get_grant_int(jwt.get(), "nbf"))
        throw AuthFailure("JWT refused: not valid yet (nbf)");
    if (!settings_.issuer.empty()) {
        const char* issuer = jwt_get_grant(jwt.get(), "iss");
        if (issuer == nullptr || settings_.issuer != issuer) throw AuthFailure("JWT refused: wrong issuer");
    }
    if (!settings_.audience.empty()) {
        bool matched = false;
        for (const auto& audience : names_in(grant_json(jwt.get(), "aud")))
            matched = matched || audience == settings_.audience;
        if (!matched) throw AuthFailure("JWT refused: wrong audience");
    }

    Principal principal;
    principal.kind = Principal::Kind::jwt;
    const char* subject = jwt_get_grant(jwt.get(), "sub");
    principal.id = subject != nullptr ? subject : "";
    if (principal.id.empty()) throw AuthFailure("JWT refused: it names no subject (sub)");
    principal.name = principal.id;
    if (!settings_.tenant_claim.empty()) {
        const char* tenant = jwt_get_grant(jwt.get(), settings_.tenant_claim.c_str());
        principal.tenant = tenant != nullptr ? tenant : "";
    }
    principal.scopes = kNoScope;
    std::vector<std::string> names = names_in(grant_json(jwt.get(), settings_.scopes_claim.c_str()));
    for (const auto& role : names_in(grant_json(jwt.get(), "role"))) names.push_back(role);
    for (const auto& name : names) {
        auto mapped = settings_.scope_map.find(name);
        if (mapped != settings_.scope_map.end()) {
            try {
                principal.scopes |= parse_scopes(mapped->second);
            } catch (const std::invalid_argument&) {
            }
        } else if (auto scope = scope_named(name)) {
            principal.scopes |= *scope;
        }
    }
    return principal;
}

}  // namespace agenthost::auth
