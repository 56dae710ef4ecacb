// Checking that a signal really comes from GitHub or Slack: GitHub's
// X-Hub-Signature-256 ("sha256=" + hex HMAC-SHA256 of the body) and Slack's
// v0 scheme ("v0=" + hex HMAC-SHA256 of "v0:{timestamp}:{body}", with the
// timestamp inside a replay window). Both compare in constant time, with
// the HMAC code outbound webhooks sign with.
#pragma once

#include <string>

namespace agenthost::signals {

// "" when the signature is right, else why it is refused.
std::string check_github_signature(const std::string& secret, const std::string& header, const std::string& body);
std::string check_slack_signature(const std::string& secret, const std::string& signature_header,
                                  const std::string& timestamp_header, const std::string& body, long long now_seconds,
                                  long long max_skew_seconds);

}  // namespace agenthost::signals
