#include "webhooks/signature.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>

using namespace agenthost::webhooks;

// Expected values below come from outside this code: RFC 4231, and Python's
// hmac/hashlib/base64 (what seed 004's receivers run), e.g.
//   python3 -c 'import hmac,hashlib; print(hmac.new(b"s3cret", b"...", hashlib.sha256).hexdigest())'

TEST_CASE("hmac_sha256_hex matches RFC 4231 and Python's hexdigest") {
    // RFC 4231 test case 2.
    CHECK(hmac_sha256_hex("Jefe", "what do ya want for nothing?") ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    CHECK(hmac_sha256_hex("s3cret", R"({"run_id":"r1","status":"succeeded"})") ==
          "401f1cf6fc8a8082d8f3f20065be1d033be8eb3548f7295326699113d2bbaddd");
    // Empty key and body: OpenSSL must not take an empty key as "no key".
    CHECK(hmac_sha256_hex("", "") == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST_CASE("standard_signature matches the Standard Webhooks scheme") {
    const std::string id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const long long timestamp = 1614265330;
    const std::string body = R"({"test": 2432232314})";
    // whsec_ secret: the key is the base64-decoded rest. (Same value as the
    // example in the standard-webhooks reference libraries' tests.)
    CHECK(standard_signature("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", id, timestamp, body) ==
          "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    // Any other secret: its raw bytes are the key.
    CHECK(standard_signature("plain-secret", id, timestamp, body) == "v1,3Iu+JbC8cHey9rJURLZfxQoX30vMfLebm9Kn1ePn6f4=");
}

TEST_CASE("a whsec_ secret that is not base64 is invalid and refused, not signed with a guessed key") {
    CHECK(is_valid_secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
    CHECK(is_valid_secret("plain-secret"));
    CHECK_FALSE(is_valid_secret(""));
    CHECK_FALSE(is_valid_secret("whsec_"));
    CHECK_FALSE(is_valid_secret("whsec_not base64!"));
    CHECK_FALSE(is_valid_secret("whsec_abc"));        // length not a multiple of 4
    CHECK_FALSE(is_valid_secret("whsec_ab-_"));       // URL-safe alphabet
    CHECK_FALSE(is_valid_secret("whsec_===="));
    CHECK(standard_signing_key("whsec_Zm9vYg==") == std::optional<std::string>("foob"));
    CHECK(standard_signing_key("whsec_%%%%") == std::nullopt);
    // Only the exact lower-case prefix means base64.
    CHECK(standard_signing_key("WHSEC_%%%%") == std::optional<std::string>("WHSEC_%%%%"));
    CHECK_THROWS_AS(standard_signature("whsec_%%%%", "id", 1, "{}"), std::invalid_argument);
    CHECK_THROWS_AS(standard_signature("", "id", 1, "{}"), std::invalid_argument);
}

TEST_CASE("constant_time_equal compares length first, then every byte") {
    std::string signature = hmac_sha256_hex("k", "body");
    CHECK(constant_time_equal(signature, hmac_sha256_hex("k", "body")));
    CHECK_FALSE(constant_time_equal(signature, hmac_sha256_hex("k", "bodY")));
    CHECK_FALSE(constant_time_equal(signature, signature.substr(0, 63)));
    CHECK_FALSE(constant_time_equal("abc", "abd"));
    CHECK_FALSE(constant_time_equal("", "a"));
    CHECK(constant_time_equal("", ""));
    CHECK(constant_time_equal(std::string("a\0b", 3), std::string("a\0b", 3)));
    CHECK_FALSE(constant_time_equal(std::string("a\0b", 3), std::string("a\0c", 3)));
}

TEST_CASE("base64 encodes with padding and decodes strictly") {
    CHECK(base64_encode("") == "");
    CHECK(base64_encode("f") == "Zg==");
    CHECK(base64_encode("fo") == "Zm8=");
    CHECK(base64_encode("foo") == "Zm9v");
    CHECK(base64_encode("foob") == "Zm9vYg==");
    CHECK(base64_decode("") == std::optional<std::string>(""));
    CHECK(base64_decode("Zg==") == std::optional<std::string>("f"));
    CHECK(base64_decode("Zm8=") == std::optional<std::string>("fo"));
    CHECK(base64_decode("Zm9v") == std::optional<std::string>("foo"));
    CHECK(base64_decode("Zm9vYg==") == std::optional<std::string>("foob"));

    std::string all_bytes;
    for (int i = 0; i < 256; ++i) all_bytes += static_cast<char>(i);
    for (size_t length = 0; length <= all_bytes.size(); ++length) {
        std::string bytes = all_bytes.substr(0, length);
        REQUIRE(base64_decode(base64_encode(bytes)) == std::optional<std::string>(bytes));
    }

    CHECK(base64_decode("Zg") == std::nullopt);         // unpadded
    CHECK(base64_decode("Zg=") == std::nullopt);
    CHECK(base64_decode("Z===") == std::nullopt);       // too much padding
    CHECK(base64_decode("Zg==Zg==") == std::nullopt);   // padding in the middle
    CHECK(base64_decode("=Zg=") == std::nullopt);
    CHECK(base64_decode(" Zg==") == std::nullopt);      // EVP_DecodeBlock alone would skip this
    CHECK(base64_decode("Zg==\n") == std::nullopt);
    CHECK(base64_decode("Zm9-") == std::nullopt);       // URL-safe alphabet
    CHECK(base64_decode(std::string("Zm\0v", 4)) == std::nullopt);
}
