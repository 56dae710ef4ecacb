#include "signals/aws_sigv4.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>

namespace agenthost::signals {
namespace {

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

// Trims and collapses inner runs of spaces, as the canonical headers want.
std::string canonical_value(const std::string& value) {
    std::string out;
    bool space = false;
    for (char c : value) {
        if (c == ' ' || c == '\t') {
            space = !out.empty();
            continue;
        }
        if (space) out += ' ';
        space = false;
        out += c;
    }
    return out;
}

bool unreserved(unsigned char c) { return std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~'; }

// RFC 3986 encoding of a query name or value, from its decoded form.
std::string uri_encode(const std::string& text) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (unreserved(c)) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::string uri_decode(const std::string& text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size() &&
            std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
            std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
            out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

// Parameters sorted by encoded name, then value.
std::string canonical_query(const std::string& query) {
    std::vector<std::pair<std::string, std::string>> parameters;
    size_t start = 0;
    while (!query.empty() && start <= query.size()) {
        size_t end = query.find('&', start);
        if (end == std::string::npos) end = query.size();
        std::string part = query.substr(start, end - start);
        if (!part.empty()) {
            size_t equals = part.find('=');
            std::string name = uri_encode(uri_decode(part.substr(0, equals)));
            std::string value = equals == std::string::npos ? "" : uri_encode(uri_decode(part.substr(equals + 1)));
            parameters.emplace_back(name, value);
        }
        start = end + 1;
    }
    std::sort(parameters.begin(), parameters.end());
    std::string out;
    for (const auto& [name, value] : parameters) out += (out.empty() ? "" : "&") + name + "=" + value;
    return out;
}

}  // namespace

std::string hex_of(const std::string& bytes) {
    static const char* hex = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char c : bytes) {
        out += hex[c >> 4];
        out += hex[c & 15];
    }
    return out;
}

std::string sha256_hex(const std::string& data) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
    return hex_of(std::string(reinterpret_cast<const char*>(digest), sizeof digest));
}

std::string hmac_sha256(const std::string& key, const std::string& data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
         data.size(), digest, &length);
    return std::string(reinterpret_cast<const char*>(digest), length);
}

std::string amz_date(long long epoch_ms) {
    std::time_t seconds = static_cast<std::time_t>(epoch_ms / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &utc);
    return text;
}

SigV4Result sign_v4(const SigV4Request& request, const AwsCredentials& credentials) {
    std::map<std::string, std::string> headers;
    for (const auto& [name, value] : request.headers) {
        std::string key = lower(name);
        std::string text = canonical_value(value);
        auto [it, inserted] = headers.emplace(key, text);
        if (!inserted) it->second += "," + text;
    }
    std::string canonical_headers, signed_headers;
    for (const auto& [name, value] : headers) {
        canonical_headers += name + ":" + value + "\n";
        signed_headers += (signed_headers.empty() ? "" : ";") + name;
    }
    SigV4Result result;
    result.canonical_request = request.method + "\n" + (request.path.empty() ? "/" : request.path) + "\n" +
                               canonical_query(request.query) + "\n" + canonical_headers + "\n" + signed_headers +
                               "\n" + sha256_hex(request.payload);
    std::string date = request.amz_date.substr(0, 8);
    std::string scope = date + "/" + request.region + "/" + request.service + "/aws4_request";
    result.string_to_sign =
        "AWS4-HMAC-SHA256\n" + request.amz_date + "\n" + scope + "\n" + sha256_hex(result.canonical_request);
    std::string key = hmac_sha256("AWS4" + credentials.secret_access_key, date);
    key = hmac_sha256(key, request.region);
    key = hmac_sha256(key, request.service);
    key = hmac_sha256(key, "aws4_request");
    result.signature = hex_of(hmac_sha256(key, result.string_to_sign));
    result.authorization = "AWS4-HMAC-SHA256 Credential=" + credentials.access_key_id + "/" + scope +
                           ", SignedHeaders=" + signed_headers + ", Signature=" + result.signature;
    return result;
}

}  // namespace agenthost::signals
