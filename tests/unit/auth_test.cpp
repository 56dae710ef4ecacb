// Identity and access, below HTTP: the key format and hash, scopes, the
// route table, the authenticator's answers and cache, token buckets, CORS
// and the listen policy.
#include "auth/api_key.hpp"
#include "auth/authenticator.hpp"
#include "auth/cors_policy.hpp"
#include "auth/key_service.hpp"
#include "auth/listen_policy.hpp"
#include "auth/rate_limiter.hpp"
#include "auth/route_access.hpp"
#include "auth/scopes.hpp"
#include "http/router.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <set>

using namespace agenthost;
using namespace agenthost::auth;
using Catch::Matchers::Contains;

namespace {

long long wall_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Keys held in memory, counting reads so caching shows.
class FakeKeys : public KeySource {
  public:
    std::optional<store::ApiKeyRecord> find_key(const std::string& id) override {
        ++reads;
        auto found = keys.find(id);
        if (found == keys.end()) return std::nullopt;
        return found->second;
    }
    void key_used(const std::string& id, long long) override { used.insert(id); }

    // Adds a key; returns its text.
    std::string add(const std::string& name, const std::string& scopes, const std::string& tenant = "",
                    long long expires_at_ms = 0, long long revoked_at_ms = 0) {
        NewKey key = generate_api_key();
        store::ApiKeyRecord record;
        record.id = key.id;
        record.name = name;
        record.secret_sha256 = hash_secret(key.secret);
        record.scopes = scopes;
        record.tenant = tenant;
        record.expires_at_ms = expires_at_ms;
        record.revoked_at_ms = revoked_at_ms;
        keys[key.id] = record;
        return key.text;
    }

    std::map<std::string, store::ApiKeyRecord> keys;
    std::set<std::string> used;
    int reads = 0;
};

AuthSettings required() {
    AuthSettings settings;
    settings.mode = AuthSettings::Mode::required;
    return settings;
}

std::string refusal(const Authenticator& authenticator, const std::string& authorization,
                    const std::string& api_key = "") {
    try {
        authenticator.authenticate(authorization, api_key);
    } catch (const AuthFailure& failure) {
        return failure.what();
    }
    return "(accepted)";
}

}  // namespace

TEST_CASE("API keys: ah_<id>_<secret>, random, parsed back, only a hash kept", "[auth]") {
    NewKey a = generate_api_key();
    NewKey b = generate_api_key();
    CHECK(a.text != b.text);
    CHECK(a.text.rfind("ah_" + a.id + "_", 0) == 0);
    CHECK(a.secret.size() == 43);  // 32 bytes, base64url without padding
    auto parts = parse_api_key(a.text);
    REQUIRE(parts);
    CHECK(parts->id == a.id);
    CHECK(parts->secret == a.secret);
    CHECK_FALSE(parse_api_key(""));
    CHECK_FALSE(parse_api_key("ah_" + a.id));
    CHECK_FALSE(parse_api_key("xx_" + a.text.substr(3)));
    CHECK_FALSE(parse_api_key(a.text + "A"));
    CHECK_FALSE(parse_api_key("ah_" + std::string(16, 'G') + "_" + a.secret));  // id is hex
    // A secret containing '_' still parses: the lengths are fixed.
    std::string underscored = "ah_0123456789abcdef_" + std::string(20, '_') + std::string(23, 'x');
    REQUIRE(parse_api_key(underscored));
    CHECK(parse_api_key(underscored)->secret.size() == 43);

    CHECK(hash_secret("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(constant_time_equal(hash_secret(a.secret), hash_secret(a.secret)));
    CHECK_FALSE(constant_time_equal(hash_secret(a.secret), hash_secret(b.secret)));
    CHECK_FALSE(constant_time_equal("abc", "abcd"));
    unsigned char bytes[] = {0xfb, 0xff, 0x00};
    CHECK(base64url(bytes, 3) == "-_8A");
    CHECK(base64url(bytes, 2) == "-_8");
}

TEST_CASE("scopes parse from lists and render in one order", "[auth]") {
    CHECK(parse_scopes("invoke,read") == (kInvoke | kRead));
    CHECK(parse_scopes("admin approve  cancel") == (kAdmin | kApprove | kCancel));
    CHECK(scopes_text(kAdmin | kRead) == "read,admin");
    CHECK_THROWS_WITH(parse_scopes("read,root"), Contains("unknown scope 'root'"));
    CHECK(parse_duration_ms("30d") == 30LL * 24 * 3600 * 1000);
    CHECK(parse_duration_ms("90m") == 90LL * 60 * 1000);
    CHECK_THROWS(parse_duration_ms("30"));
    CHECK_THROWS(parse_duration_ms("-1d"));
    CHECK_THROWS(parse_duration_ms("1w"));
}

TEST_CASE("the route table maps every endpoint class to its scope", "[auth]") {
    auto scope_of = [](const std::string& method, const std::string& path) {
        RouteAccess access = route_access(method, http::split_path(path));
        return access.open ? std::string("open") : std::string(scope_name(access.scope));
    };
    CHECK(scope_of("GET", "/health") == "open");
    CHECK(scope_of("GET", "/ready") == "open");
    CHECK(scope_of("POST", "/webhook/receive") == "open");
    CHECK(scope_of("POST", "/webhook/callback/test") == "invoke");
    for (const char* path : {"/agents", "/agents/echo", "/runs", "/runs/x", "/runs/x/events", "/runs/x/stream",
                             "/threads/t", "/workflow/status/t", "/api/v1/results/x", "/api/v1/results",
                             "/api/v1/webhook-logs/x", "/runs/x/audit", "/workflows/x", "/pipelines/x"})
        CHECK(scope_of("GET", path) == "read");
    for (const char* path : {"/agent/invoke", "/runs", "/agent/stream", "/api/v1/process", "/agents/orchestrate",
                             "/workflows", "/pipelines", "/api/v1/webhook/retry/x", "/unknown/write"})
        CHECK(scope_of("POST", path) == "invoke");
    CHECK(scope_of("GET", "/agent/stream") == "invoke");  // starts a run
    CHECK(scope_of("POST", "/runs/wait") == "invoke");
    CHECK(scope_of("POST", "/runs/cancel") == "cancel");
    CHECK(scope_of("DELETE", "/runs/x") == "cancel");
    CHECK(scope_of("POST", "/agent-run/x/stop") == "cancel");
    CHECK(scope_of("POST", "/thread/t/agent/start") == "invoke");
    CHECK(scope_of("GET", "/metrics") == "read");
    // Threads: searching and history are reads sent as POST; deleting one
    // deletes its runs.
    CHECK(scope_of("POST", "/threads/search") == "read");
    CHECK(scope_of("POST", "/threads/t/history") == "read");
    CHECK(scope_of("GET", "/threads/t/state") == "read");
    CHECK(scope_of("POST", "/threads") == "invoke");
    CHECK(scope_of("POST", "/threads/t/state") == "invoke");
    CHECK(scope_of("POST", "/threads/t/copy") == "invoke");
    CHECK(scope_of("DELETE", "/threads/t") == "cancel");
    CHECK(scope_of("POST", "/runs/x/cancel") == "cancel");
    CHECK(scope_of("POST", "/runs/x/%63ancel") == "cancel");  // decoded as the router decodes
    CHECK(scope_of("POST", "/workflow/approve/t") == "approve");
    CHECK(scope_of("POST", "//workflow//approve/t/") == "approve");
    // Answering an interrupt is a person's decision too; streams that create
    // a run need invoke.
    CHECK(scope_of("POST", "/threads/t/runs/r/resume") == "approve");
    CHECK(scope_of("POST", "/runs/stream") == "invoke");
    CHECK(scope_of("POST", "/threads/t/runs/stream") == "invoke");
    // The console's page and files load before a key is entered; its API
    // calls carry the key like any other client's.
    CHECK(scope_of("GET", "/console") == "open");
    CHECK(scope_of("GET", "/console/console.js") == "open");
    CHECK(scope_of("GET", "/console/a/b") == "read");
    CHECK(scope_of("POST", "/console") == "invoke");
    CHECK(scope_of("GET", "/plugins") == "admin");
    CHECK(scope_of("POST", "/plugins/sentiment/reload") == "admin");
    CHECK(scope_of("GET", "/admin/keys") == "admin");
    CHECK(scope_of("POST", "/admin/keys") == "admin");
    CHECK(scope_of("DELETE", "/admin/keys/abc") == "admin");
    CHECK(std::string(route_access("POST", http::split_path("/runs")).rate_class) == "invoke");
    CHECK(std::string(route_access("GET", http::split_path("/runs")).rate_class) == "read");
}

TEST_CASE("the authenticator says why a credential is refused, never echoing it", "[auth]") {
    FakeKeys keys;
    std::string good = keys.add("ci", "invoke,read", "acme");
    std::string revoked = keys.add("old", "read", "", 0, wall_ms() - 1000);
    std::string expired = keys.add("temp", "read", "", wall_ms() - 1000);
    AuthSettings settings = required();
    settings.admin_key = "an-admin-key-of-at-least-thirty-two-chars";
    Authenticator authenticator(settings, keys);

    Principal ci = authenticator.authenticate("Bearer " + good, "");
    CHECK(ci.kind == Principal::Kind::api_key);
    CHECK(ci.name == "ci");
    CHECK(ci.tenant == "acme");
    CHECK(ci.has(kInvoke));
    CHECK_FALSE(ci.has(kCancel));
    CHECK_FALSE(ci.sees_all_tenants());
    CHECK(ci.may_see("acme"));
    CHECK_FALSE(ci.may_see("globex"));
    CHECK(authenticator.authenticate("", good).name == "ci");            // X-API-Key
    CHECK(authenticator.authenticate("bearer  " + good, "").name == "ci");  // scheme is case-insensitive
    CHECK(keys.used.count(parse_api_key(good)->id) == 1);                 // last_used recorded (lazily)

    CHECK_THAT(refusal(authenticator, ""), Contains("missing credential"));
    CHECK_THAT(refusal(authenticator, "Basic abc"), Contains("malformed credential"));
    CHECK_THAT(refusal(authenticator, "Bearer ah_nope"), Contains("malformed API key"));
    CHECK_THAT(refusal(authenticator, "Bearer whatever"), Contains("malformed credential"));
    CHECK_THAT(refusal(authenticator, "Bearer a.b.c"), Contains("accepts no JWTs"));
    std::string unknown = "ah_0123456789abcdef_" + std::string(43, 'Q');
    CHECK(refusal(authenticator, "Bearer " + unknown) == "unknown API key");
    std::string wrong_secret = good.substr(0, good.size() - 1) + (good.back() == 'A' ? "B" : "A");
    CHECK(refusal(authenticator, "Bearer " + wrong_secret) == "unknown API key");
    CHECK_THAT(refusal(authenticator, "Bearer " + revoked), Contains("is revoked"));
    CHECK_THAT(refusal(authenticator, "Bearer " + expired), Contains("expired at"));
    for (const auto& key : {good, revoked, expired})
        CHECK_THAT(refusal(authenticator, "Bearer " + key + "x"), !Contains(parse_api_key(key)->secret));

    Principal admin = authenticator.authenticate("", settings.admin_key);
    CHECK(admin.has(kAdmin));
    CHECK(admin.sees_all_tenants());
}

TEST_CASE("verified keys are cached; forgetting one reads it again", "[auth]") {
    FakeKeys keys;
    std::string good = keys.add("ci", "read");
    Authenticator authenticator(required(), keys);
    for (int i = 0; i < 100; ++i) authenticator.authenticate("Bearer " + good, "");
    CHECK(keys.reads == 1);
    // Revoked in the store and forgotten here: refused at once.
    keys.keys.begin()->second.revoked_at_ms = wall_ms();
    authenticator.forget(keys.keys.begin()->first);
    CHECK_THAT(refusal(authenticator, "Bearer " + good), Contains("is revoked"));
    CHECK(keys.reads == 2);
}

TEST_CASE("with auth off every caller is anonymous and sees everything", "[auth]") {
    FakeKeys keys;
    Authenticator authenticator(AuthSettings{}, keys);
    Principal anyone = authenticator.authenticate("", "");
    CHECK_FALSE(anyone.authenticated());
    CHECK(anyone.sees_all_tenants());
    CHECK(anyone.has(kAdmin));
    CHECK(keys.reads == 0);
}

TEST_CASE("a token bucket allows the burst, refuses beyond it and refills at the rate", "[auth][ratelimit]") {
    TokenBucket bucket(2, 3, 0);
    CHECK(bucket.take(0).remaining == 2);
    CHECK(bucket.take(0).allowed);
    BucketDecision last = bucket.take(0);
    CHECK(last.allowed);
    CHECK(last.remaining == 0);
    BucketDecision refused = bucket.take(0);
    CHECK_FALSE(refused.allowed);
    CHECK(refused.limit == 3);
    CHECK(refused.retry_after_seconds == Approx(0.5));
    CHECK(refused.reset_seconds == Approx(1.5));
    CHECK_FALSE(bucket.take(0.4).allowed);
    CHECK(bucket.take(0.6).allowed);
    CHECK(bucket.take(10).remaining == 2);  // never more than the burst
}

TEST_CASE("the rate limiter keeps a bucket per caller and per overridden class", "[auth][ratelimit]") {
    RateLimitSettings settings;
    settings.all = {10, 2};
    settings.classes["invoke"] = {1, 1};
    RateLimiter limiter(settings);
    REQUIRE(limiter.enabled());
    CHECK(limiter.take_at("alice", "invoke", 0).allowed);
    CHECK_FALSE(limiter.take_at("alice", "invoke", 0).allowed);
    CHECK(limiter.take_at("bob", "invoke", 0).allowed);  // each caller has its own
    CHECK(limiter.take_at("alice", "read", 0).allowed);  // reads are counted apart
    CHECK(limiter.take_at("alice", "cancel", 0).allowed);  // shares the default bucket with read
    CHECK_FALSE(limiter.take_at("alice", "read", 0).allowed);
    CHECK(limiter.take_at("alice", "invoke", 1).allowed);
    CHECK_FALSE(RateLimiter(RateLimitSettings{}).enabled());
}

TEST_CASE("CORS: origins from JSON or a list; headers only for allowed origins", "[auth][cors]") {
    CHECK(parse_origin_list(R"(["http://a.example", "http://b.example:8080"])") ==
          std::vector<std::string>{"http://a.example", "http://b.example:8080"});
    CHECK(parse_origin_list("http://a.example, http://b.example") ==
          std::vector<std::string>{"http://a.example", "http://b.example"});
    CHECK_THROWS(parse_origin_list("[1, 2]"));
    CorsPolicy policy(CorsSettings{{"http://a.example"}});
    CHECK(policy.allows("http://a.example"));
    CHECK_FALSE(policy.allows("http://a.example.evil"));
    CHECK_FALSE(policy.allows(""));
    CHECK(policy.response_headers("http://evil.example") == Headers{{"Vary", "Origin"}});
    CHECK(policy.response_headers("").empty());
    auto headers = policy.response_headers("http://a.example");
    REQUIRE_FALSE(headers.empty());
    CHECK(headers[0].second == "http://a.example");
    CHECK_FALSE(policy.preflight_headers("http://a.example", "POST").empty());
    CHECK(policy.preflight_headers("http://a.example", "PATCH").empty());  // no route takes it
    // PUT /store/items from a page, with a retry-safe key.
    auto put = policy.preflight_headers("http://a.example", "PUT");
    REQUIRE_FALSE(put.empty());
    bool key_allowed = false;
    for (const auto& [name, value] : put)
        if (name == "Access-Control-Allow-Headers") key_allowed = value.find("Idempotency-Key") != std::string::npos;
    CHECK(key_allowed);
    CHECK_FALSE(CorsPolicy(CorsSettings{}).enabled());
}

TEST_CASE("without auth only loopback addresses may be listened on", "[auth]") {
    CHECK(is_loopback_host("127.0.0.1"));
    CHECK(is_loopback_host("127.5.5.5"));
    CHECK(is_loopback_host("localhost"));
    CHECK(is_loopback_host("::1"));
    CHECK_FALSE(is_loopback_host("0.0.0.0"));
    CHECK_FALSE(is_loopback_host("10.0.0.1"));
    AuthSettings off;
    CHECK(listen_problem("127.0.0.1", off).empty());
    CHECK_THAT(listen_problem("0.0.0.0", off), Contains("--insecure-no-auth"));
    off.insecure_no_auth = true;
    CHECK(listen_problem("0.0.0.0", off).empty());
    CHECK(listen_problem("0.0.0.0", required()).empty());
}

// Not run by default (hidden tag): the per-request cost of the access
// checks, for the README's bench section. build/bin/host_unit_tests "[bench]"
TEST_CASE("cost of authenticating a cached key and classifying the route", "[.][bench]") {
    FakeKeys keys;
    std::string key = keys.add("bench", "read,invoke", "acme");
    Authenticator authenticator(required(), keys);
    std::string header = "Bearer " + key;
    constexpr int kRounds = 200000;
    auto started = std::chrono::steady_clock::now();
    size_t sink = 0;
    for (int i = 0; i < kRounds; ++i) {
        RouteAccess access = route_access("GET", http::split_path("/runs/3025e3c1-b8d5-43d6-b311-8d4f3213f3e2"));
        Principal principal = authenticator.authenticate(header, "");
        sink += principal.has(access.scope) ? principal.name.size() : 0;
    }
    double ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - started).count() / kRounds;
    WARN("authenticate + route_access: " << ns << " ns per request (" << sink << ")");
    CHECK(keys.reads == 1);
}
