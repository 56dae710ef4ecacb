// Retries: which failures are retried, backoff with jitter and its cap,
// Retry-After in both forms, and the shared provider call loop against a
// fake provider on loopback (429 then success, 500s until retries run out,
// connection refused, keys kept out of messages).
#include "llm/openai_provider.hpp"
#include "llm/provider_call.hpp"
#include "llm/retry_policy.hpp"

#include "fake_llm_server.hpp"
#include "host_process.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <functional>
#include <vector>

using namespace agenthost::llm;
using agenthost::testing::FakeLlmServer;
using Catch::Matchers::Contains;

TEST_CASE("429, 5xx and connection errors are retried; other statuses are not", "[llm][retry]") {
    CHECK(RetryPolicy::retryable(429, false));
    CHECK(RetryPolicy::retryable(500, false));
    CHECK(RetryPolicy::retryable(503, false));
    CHECK(RetryPolicy::retryable(0, true));
    CHECK_FALSE(RetryPolicy::retryable(400, false));
    CHECK_FALSE(RetryPolicy::retryable(401, false));
    CHECK_FALSE(RetryPolicy::retryable(404, false));
    CHECK_FALSE(RetryPolicy::retryable(200, false));
}

TEST_CASE("backoff doubles per retry with jitter in [ceiling/2, ceiling], capped", "[llm][retry]") {
    RetryPolicy policy{5, 100, 1000};
    std::mt19937_64 random(42);
    for (int round = 0; round < 200; ++round) {
        auto first = policy.delay(1, std::nullopt, random).count();
        auto second = policy.delay(2, std::nullopt, random).count();
        auto third = policy.delay(3, std::nullopt, random).count();
        auto tenth = policy.delay(10, std::nullopt, random).count();
        CHECK((first >= 50 && first <= 100));
        CHECK((second >= 100 && second <= 200));
        CHECK((third >= 200 && third <= 400));
        CHECK((tenth >= 500 && tenth <= 1000));
    }
    // Jitter: not every delay is the same.
    std::vector<long long> seen;
    for (int i = 0; i < 20; ++i) seen.push_back(policy.delay(3, std::nullopt, random).count());
    CHECK(std::adjacent_find(seen.begin(), seen.end(), std::not_equal_to<>()) != seen.end());
}

TEST_CASE("Retry-After wins over backoff and is capped too", "[llm][retry]") {
    RetryPolicy policy{3, 100, 5000};
    std::mt19937_64 random(1);
    CHECK(policy.delay(1, 2000, random).count() == 2000);
    CHECK(policy.delay(3, 0, random).count() == 0);
    CHECK(policy.delay(1, 60000, random).count() == 5000);
}

TEST_CASE("Retry-After parses delay-seconds and HTTP dates and refuses junk", "[llm][retry]") {
    CHECK(parse_retry_after("3") == 3000);
    CHECK(parse_retry_after(" 1.5 ") == 1500);
    CHECK(parse_retry_after("0") == 0);
    auto now = std::chrono::system_clock::from_time_t(1445412480);  // Wed, 21 Oct 2015 07:28:00 GMT
    CHECK(parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now) == 30000);
    CHECK(parse_retry_after("Wed, 21 Oct 2015 07:27:00 GMT", now) == 0);  // in the past: at once
    CHECK_FALSE(parse_retry_after("soon"));
    CHECK_FALSE(parse_retry_after("-1"));
    CHECK_FALSE(parse_retry_after("3 seconds"));
    CHECK_FALSE(parse_retry_after(""));
}

namespace {

ProviderCall call_to(const FakeLlmServer& server, std::vector<std::chrono::milliseconds>& waits, int retries = 2) {
    ProviderCall call;
    call.provider = "openai";
    call.policy = {retries, 10, 1000};
    call.secret = "sk-unit-secret-123";
    call.post.url = server.url("/v1/chat/completions");
    call.post.body = "{}";
    call.post.connect_timeout_ms = 2000;
    call.post.timeout_ms = 5000;
    call.parse_body = openai::parse_response;
    call.sleep = [&waits](std::chrono::milliseconds wait) { waits.push_back(wait); };
    return call;
}

}  // namespace

TEST_CASE("a 429 with Retry-After is waited out and then succeeds", "[llm][retry]") {
    FakeLlmServer server;
    server.script({agenthost::testing::error_reply(429, {"Retry-After: 1"}),
                   agenthost::testing::openai_reply("fine", 3, 1)});
    std::vector<std::chrono::milliseconds> waits;
    CompletionResponse response = run_provider_call(call_to(server, waits));
    CHECK(response.content == "fine");
    CHECK(server.count() == 2);
    REQUIRE(waits.size() == 1);
    CHECK(waits[0].count() == 1000);
}

TEST_CASE("500s until the retries run out fail naming the provider, attempts and last status", "[llm][retry]") {
    FakeLlmServer server;
    server.set_responder([](const agenthost::testing::FakeLlmRequest&) {
        // An error body that echoes the key must not carry it into the message.
        auto reply = agenthost::testing::error_reply(500);
        reply.body = R"({"error":{"message":"bad key sk-unit-secret-123"}})";
        return reply;
    });
    std::vector<std::chrono::milliseconds> waits;
    try {
        run_provider_call(call_to(server, waits, 2));
        FAIL("expected a ProviderError");
    } catch (const ProviderError& e) {
        std::string message = e.what();
        CHECK_THAT(message, Contains("openai"));
        CHECK_THAT(message, Contains("3 attempts"));
        CHECK_THAT(message, Contains("HTTP 500"));
        CHECK_THAT(message, !Contains("sk-unit-secret-123"));
        CHECK(e.last_status == 500);
        CHECK(e.reached);
    }
    CHECK(server.count() == 3);
    CHECK(waits.size() == 2);
}

TEST_CASE("a 400 is not retried", "[llm][retry]") {
    FakeLlmServer server;
    server.script({agenthost::testing::error_reply(400)});
    std::vector<std::chrono::milliseconds> waits;
    CHECK_THROWS_WITH(run_provider_call(call_to(server, waits)), Contains("HTTP 400"));
    CHECK(server.count() == 1);
    CHECK(waits.empty());
}

TEST_CASE("connection refused is retried and reported as unreachable", "[llm][retry]") {
    FakeLlmServer server;
    std::vector<std::chrono::milliseconds> waits;
    ProviderCall call = call_to(server, waits, 1);
    call.post.url = "http://127.0.0.1:" + std::to_string(agenthost::testing::free_port()) + "/v1/chat/completions";
    try {
        run_provider_call(call);
        FAIL("expected a ProviderError");
    } catch (const ProviderError& e) {
        CHECK_THAT(std::string(e.what()), Contains("gave up after 2 attempts"));
        CHECK_FALSE(e.reached);
    }
    CHECK(waits.size() == 1);
}

TEST_CASE("redact removes every copy of the secret and bounds the text", "[llm][retry]") {
    CHECK(redact("a KEY b KEY", "KEY") == "a [redacted] b [redacted]");
    CHECK(redact(std::string(1000, 'x'), "", 10) == "xxxxxxxxxx...");
    CHECK(redact("line\nbreak", "") == "line break");
}
