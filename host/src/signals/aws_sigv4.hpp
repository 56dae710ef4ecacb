// AWS Signature Version 4 for the CloudWatch Logs source: the canonical
// request, the string to sign, the derived key and the Authorization
// header, as AWS documents them (checked in tests against AWS's published
// example vectors). Only what a JSON POST or a GET with a query needs: no
// chunked payload signing, no presigned URLs.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace agenthost::signals {

struct AwsCredentials {
    std::string access_key_id;
    std::string secret_access_key;
    std::string session_token;  // "" for long-term keys
};

struct SigV4Request {
    std::string method = "POST";
    std::string path = "/";   // already URI-encoded as sent
    std::string query;        // as sent ("a=1&b=2"); sorted and encoded for signing
    // Every header to sign, names in any case; must include host and
    // x-amz-date (and x-amz-security-token with a session token).
    std::vector<std::pair<std::string, std::string>> headers;
    std::string payload;
    std::string region;
    std::string service;
    std::string amz_date;  // "20150830T123600Z"
};

struct SigV4Result {
    std::string canonical_request;
    std::string string_to_sign;
    std::string signature;      // hex
    std::string authorization;  // the Authorization header's value
};

SigV4Result sign_v4(const SigV4Request& request, const AwsCredentials& credentials);

// "20150830T123600Z" for a time in milliseconds since the epoch.
std::string amz_date(long long epoch_ms);

// Hex of SHA-256 and of HMAC-SHA256 (lower case).
std::string sha256_hex(const std::string& data);
std::string hex_of(const std::string& bytes);
std::string hmac_sha256(const std::string& key, const std::string& data);

}  // namespace agenthost::signals
