// The GitHub App's OAuth state: issued by /github/app/install, accepted once
// by the callback within its lifetime, refused when forged or foreign.
#include "github/oauth_state.hpp"
#include "store/secret_box.hpp"

#include <catch2/catch.hpp>

using agenthost::github::OAuthStates;
using Catch::Matchers::Contains;

namespace {

OAuthStates::Key key_of(unsigned char fill) {
    OAuthStates::Key key;
    key.fill(fill);
    return key;
}

}  // namespace

TEST_CASE("OAuth state: an issued state is accepted once", "[github][oauth]") {
    OAuthStates states(key_of(1));
    std::string state = states.issue();
    CHECK(states.accept(state).empty());
    CHECK_THAT(states.accept(state), Contains("already used"));
    CHECK(states.accept(states.issue()).empty());
}

TEST_CASE("OAuth state: a released state is accepted again, a forged one releases nothing", "[github][oauth]") {
    // The callback releases the state when GitHub could not be reached (the
    // code was not spent): the user's retry got 403 "already used".
    OAuthStates states(key_of(1));
    std::string state = states.issue();
    REQUIRE(states.accept(state).empty());
    states.release(state);
    CHECK(states.accept(state).empty());
    CHECK_THAT(states.accept(state), Contains("already used"));
    // The same nonce under a forged signature releases nothing.
    std::string forged = state.substr(0, state.size() - 2) + (state.substr(state.size() - 2) == "00" ? "11" : "00");
    states.release(forged);
    CHECK_THAT(states.accept(state), Contains("already used"));
}

TEST_CASE("OAuth state: missing, forged, foreign and expired states are refused", "[github][oauth]") {
    OAuthStates states(key_of(1), std::chrono::seconds(600));
    CHECK_THAT(states.accept(""), Contains("no state"));
    CHECK_THAT(states.accept("xyz"), Contains("not one this host issued"));
    std::string state = states.issue();
    std::string tampered = state;
    tampered[3] = tampered[3] == '9' ? '8' : '9';  // a later expiry, same MAC
    CHECK_THAT(states.accept(tampered), Contains("not one this host issued"));
    OAuthStates other(key_of(2));
    CHECK_THAT(other.accept(state), Contains("not one this host issued"));
    CHECK_THAT(states.accept(state + "x"), Contains("not one this host issued"));
    CHECK_THAT(states.accept(std::string(300, 'a')), Contains("not one this host issued"));
    auto now = OAuthStates::Clock::now();
    std::string old = states.issue(now - std::chrono::seconds(601));
    CHECK_THAT(states.accept(old, now), Contains("expired"));
}

TEST_CASE("OAuth state: hosts sharing the secret key accept each other's states", "[github][oauth]") {
    agenthost::store::SecretBox box(key_of(7));
    OAuthStates first(box.derive_key("agenthost github oauth state"));
    OAuthStates second(box.derive_key("agenthost github oauth state"));
    CHECK(second.accept(first.issue()).empty());
    // The derived key is not the sealing key, and differs per purpose.
    CHECK(box.derive_key("a") != box.derive_key("b"));
    CHECK(box.derive_key("a") != key_of(7));
}
