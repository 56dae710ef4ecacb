#include "signals/signal_signature.hpp"

#include "webhooks/signature.hpp"

#include <cctype>
#include <cstdlib>

namespace agenthost::signals {
namespace {

std::string lower(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

}  // namespace

std::string check_github_signature(const std::string& secret, const std::string& header, const std::string& body) {
    if (header.empty()) return "X-Hub-Signature-256 is missing";
    std::string given = lower(header);
    if (given.rfind("sha256=", 0) != 0) return "X-Hub-Signature-256 must be sha256=<hex>";
    std::string expected = "sha256=" + webhooks::hmac_sha256_hex(secret, body);
    if (!webhooks::constant_time_equal(given, expected)) return "X-Hub-Signature-256 does not match the body";
    return "";
}

std::string check_slack_signature(const std::string& secret, const std::string& signature_header,
                                  const std::string& timestamp_header, const std::string& body, long long now_seconds,
                                  long long max_skew_seconds) {
    if (timestamp_header.empty()) return "X-Slack-Request-Timestamp is missing";
    if (signature_header.empty()) return "X-Slack-Signature is missing";
    if (timestamp_header.size() > 12) return "X-Slack-Request-Timestamp is not a Unix time";
    for (char c : timestamp_header)
        if (std::isdigit(static_cast<unsigned char>(c)) == 0) return "X-Slack-Request-Timestamp is not a Unix time";
    long long timestamp = std::atoll(timestamp_header.c_str());
    // A captured request replayed later is refused (Slack's own advice: 5 minutes).
    if (timestamp < now_seconds - max_skew_seconds || timestamp > now_seconds + max_skew_seconds)
        return "X-Slack-Request-Timestamp is outside the " + std::to_string(max_skew_seconds) + " s window";
    std::string given = lower(signature_header);
    if (given.rfind("v0=", 0) != 0) return "X-Slack-Signature must be v0=<hex>";
    std::string expected = "v0=" + webhooks::hmac_sha256_hex(secret, "v0:" + timestamp_header + ":" + body);
    if (!webhooks::constant_time_equal(given, expected)) return "X-Slack-Signature does not match the body";
    return "";
}

}  // namespace agenthost::signals
