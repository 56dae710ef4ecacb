// The `state` of the GitHub App's OAuth flow, which stops a forged callback
// (login CSRF: an attacker's code completed in a victim's browser). A state
// is issued by GET /github/app/install and accepted once by the callback
// within its lifetime: "v1.<expiry unix s>.<nonce hex>.<HMAC-SHA256 b64url>".
// The HMAC key is derived from the host's secret key, so every host sharing
// AGENTHOST_SECRET_KEY accepts states issued by the others; the record of
// states already used is per host (a state replayed on another host within
// its lifetime is refused by GitHub anyway: the code it carries is one-time).
#pragma once

#include <array>
#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace agenthost::github {

class OAuthStates {
  public:
    using Key = std::array<unsigned char, 32>;
    using Clock = std::chrono::system_clock;

    explicit OAuthStates(const Key& key, std::chrono::seconds lifetime = std::chrono::minutes(10));

    std::string issue(Clock::time_point now = Clock::now());
    // "" when the state is good (and now used); otherwise why it is refused.
    std::string accept(const std::string& state, Clock::time_point now = Clock::now());
    // Makes an accepted state good again: its code never reached GitHub
    // (unreachable), so the user's retry of the same callback must work.
    void release(const std::string& state);

    std::chrono::seconds lifetime() const { return lifetime_; }

  private:
    std::string mac_of(const std::string& signed_part) const;
    // "v1", expiry, nonce and MAC of a state this host signed; empty otherwise.
    std::vector<std::string> signed_parts(const std::string& state) const;

    Key key_;
    std::chrono::seconds lifetime_;
    std::mutex mutex_;
    std::unordered_map<std::string, long long> used_;  // nonce -> expiry, pruned as they expire
};

}  // namespace agenthost::github
