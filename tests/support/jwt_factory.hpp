// Signed JWTs and key pairs made at test time (libjwt and OpenSSL), for the
// JWT tests: HS256 with a secret, RS256 and ES256 with fresh keys published
// in a JWKS document.
#pragma once

#include <jwt.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>

namespace agenthost::testing {

inline std::string b64url(const std::string& bytes) {
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    unsigned value = 0;
    int bits = 0;
    for (unsigned char c : bytes) {
        value = (value << 8) | c;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out += alphabet[(value >> bits) & 63];
        }
    }
    if (bits > 0) out += alphabet[(value << (6 - bits)) & 63];
    return out;
}

inline long long epoch_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// A key pair: its private PEM (to sign) and its public JWK (to verify).
struct SigningKey {
    std::string private_pem;
    std::string jwk;  // one JSON object for a JWKS "keys" array
};

inline std::string private_pem_of(EVP_PKEY* key) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
    PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    long size = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<size_t>(size));
}

inline std::string bn_param(EVP_PKEY* key, const char* name) {
    BIGNUM* number = nullptr;
    if (EVP_PKEY_get_bn_param(key, name, &number) != 1) throw std::runtime_error("no key parameter");
    std::string bytes(static_cast<size_t>(BN_num_bytes(number)), '\0');
    BN_bn2bin(number, reinterpret_cast<unsigned char*>(bytes.data()));
    BN_free(number);
    return bytes;
}

inline SigningKey rsa_key(const std::string& kid) {
    EVP_PKEY* key = EVP_RSA_gen(2048);
    if (key == nullptr) throw std::runtime_error("RSA key generation failed");
    SigningKey made;
    made.private_pem = private_pem_of(key);
    made.jwk = R"({"kty":"RSA","use":"sig","alg":"RS256","kid":")" + kid + R"(","n":")" +
               b64url(bn_param(key, OSSL_PKEY_PARAM_RSA_N)) + R"(","e":")" +
               b64url(bn_param(key, OSSL_PKEY_PARAM_RSA_E)) + R"("})";
    EVP_PKEY_free(key);
    return made;
}

inline SigningKey p256_key(const std::string& kid) {
    EVP_PKEY* key = EVP_EC_gen("P-256");
    if (key == nullptr) throw std::runtime_error("EC key generation failed");
    unsigned char point[65];
    size_t size = 0;
    EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point, &size);
    if (size != 65) throw std::runtime_error("unexpected EC point");
    SigningKey made;
    made.private_pem = private_pem_of(key);
    made.jwk = R"({"kty":"EC","crv":"P-256","kid":")" + kid + R"(","x":")" +
               b64url(std::string(reinterpret_cast<char*>(point + 1), 32)) + R"(","y":")" +
               b64url(std::string(reinterpret_cast<char*>(point + 33), 32)) + R"("})";
    EVP_PKEY_free(key);
    return made;
}

// A token with `claims_json` (a JSON object), signed with `alg` and `key`
// (a secret for HS*, a private PEM otherwise), `kid` in its header if set.
inline std::string sign_jwt(jwt_alg_t alg, const std::string& key, const std::string& claims_json,
                            const std::string& kid = "") {
    jwt_t* jwt = nullptr;
    jwt_new(&jwt);
    jwt_add_grants_json(jwt, claims_json.c_str());
    if (!kid.empty()) jwt_add_header(jwt, "kid", kid.c_str());
    if (jwt_set_alg(jwt, alg, reinterpret_cast<const unsigned char*>(key.data()), static_cast<int>(key.size())) != 0) {
        jwt_free(jwt);
        throw std::runtime_error("jwt_set_alg failed");
    }
    char* encoded = jwt_encode_str(jwt);
    std::string token = encoded != nullptr ? encoded : "";
    free(encoded);
    jwt_free(jwt);
    if (token.empty()) throw std::runtime_error("jwt_encode_str failed");
    return token;
}

// An unsigned token ("alg":"none"), as an attacker would send it.
inline std::string unsigned_jwt(const std::string& claims_json) {
    return b64url(R"({"alg":"none","typ":"JWT"})") + "." + b64url(claims_json) + ".";
}

}  // namespace agenthost::testing
