#include "auth/rate_limiter.hpp"

namespace agenthost::auth {
namespace {

constexpr double kSweepIntervalSeconds = 60;
constexpr size_t kSweepAboveBuckets = 4096;

}  // namespace

RateLimiter::RateLimiter(RateLimitSettings settings)
    : settings_(std::move(settings)), enabled_(settings_.enabled()), epoch_(std::chrono::steady_clock::now()) {}

const BucketSettings& RateLimiter::bucket_settings(const std::string& route_class) const {
    auto found = settings_.classes.find(route_class);
    return found != settings_.classes.end() ? found->second : settings_.all;
}

BucketDecision RateLimiter::take(const std::string& who, const std::string& route_class) {
    double now = std::chrono::duration<double>(std::chrono::steady_clock::now() - epoch_).count();
    return take_at(who, route_class, now);
}

BucketDecision RateLimiter::take_at(const std::string& who, const std::string& route_class, double now_seconds) {
    const BucketSettings& limits = bucket_settings(route_class);
    if (limits.rate_per_second <= 0) {
        BucketDecision unlimited;
        unlimited.allowed = true;
        return unlimited;
    }
    double burst = limits.burst > 0 ? limits.burst : std::max(1.0, limits.rate_per_second);
    // A class with its own limits has its own bucket; the rest share one.
    bool own = settings_.classes.count(route_class) > 0;
    std::string key = (own ? route_class : std::string("*")) + '\n' + who;
    std::lock_guard<std::mutex> lock(mutex_);
    if (buckets_.size() > kSweepAboveBuckets && now_seconds - last_sweep_ > kSweepIntervalSeconds) sweep(now_seconds);
    auto found = buckets_.find(key);
    if (found == buckets_.end())
        found = buckets_.emplace(key, TokenBucket(limits.rate_per_second, burst, now_seconds)).first;
    return found->second.take(now_seconds);
}

void RateLimiter::sweep(double now_seconds) {
    last_sweep_ = now_seconds;
    for (auto it = buckets_.begin(); it != buckets_.end();) {
        if (it->second.idle(now_seconds)) it = buckets_.erase(it);
        else ++it;
    }
}

}  // namespace agenthost::auth
