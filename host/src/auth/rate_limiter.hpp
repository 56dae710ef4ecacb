// Per principal (or per client address when auth is off) token buckets, one
// per route class, all in memory: counting costs no database round trip.
// Each host counts on its own; behind N hosts a client gets up to N times
// the rate.
#pragma once

#include "auth/auth_settings.hpp"
#include "auth/token_bucket.hpp"

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace agenthost::auth {

class RateLimiter {
  public:
    explicit RateLimiter(RateLimitSettings settings);

    bool enabled() const { return enabled_; }
    // Takes a token from `who`'s bucket for `route_class`; nullopt-like
    // decision with limit 0 when that class is not limited.
    BucketDecision take(const std::string& who, const std::string& route_class);
    // For tests: the same at a given time (seconds on any steady clock).
    BucketDecision take_at(const std::string& who, const std::string& route_class, double now_seconds);

  private:
    const BucketSettings& bucket_settings(const std::string& route_class) const;
    void sweep(double now_seconds);

    RateLimitSettings settings_;
    bool enabled_;
    std::chrono::steady_clock::time_point epoch_;
    // Buckets are few and short-lived per caller; one lock is cheap next to
    // the request it guards (measured in the README's bench figures).
    std::mutex mutex_;
    std::unordered_map<std::string, TokenBucket> buckets_;
    double last_sweep_ = 0;
};

}  // namespace agenthost::auth
