// When a failed provider call is tried again, and after how long:
// exponential backoff with full jitter, or the server's own Retry-After.
#pragma once

#include <chrono>
#include <optional>
#include <random>
#include <string>

namespace agenthost::llm {

struct RetryPolicy {
    int max_retries = 3;          // attempts after the first
    long long base_ms = 500;      // the first backoff's ceiling; doubles each time
    long long max_ms = 30000;     // no single wait is longer, Retry-After included

    // 429, 5xx, and no HTTP answer at all (connection refused, reset,
    // timeout) are worth another try; other statuses are the caller's.
    static bool retryable(int status, bool transport_error);

    // The wait before retry number `retry` (1 for the first retry): the
    // server's Retry-After when it sent one, otherwise a random duration in
    // [ceiling / 2, ceiling] with ceiling = base_ms * 2^(retry-1); both
    // capped at max_ms.
    std::chrono::milliseconds delay(int retry, std::optional<long long> retry_after_ms, std::mt19937_64& random) const;
};

// A Retry-After header's value in milliseconds: delay-seconds ("3", "1.5")
// or an HTTP-date, measured from `now`. nullopt when unparsable.
std::optional<long long> parse_retry_after(const std::string& value,
                                           std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

}  // namespace agenthost::llm
