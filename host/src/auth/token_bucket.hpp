// One token bucket: `rate` tokens a second up to `burst`. Time is passed in,
// so tests need no sleeping.
#pragma once

#include <algorithm>
#include <cmath>

namespace agenthost::auth {

struct BucketDecision {
    bool allowed = false;
    long long limit = 0;      // the burst
    long long remaining = 0;  // whole tokens left after this request
    double reset_seconds = 0;        // until the bucket is full again
    double retry_after_seconds = 0;  // until one token is back (when refused)
};

class TokenBucket {
  public:
    TokenBucket(double rate, double burst, double now_seconds)
        : rate_(rate), burst_(burst), tokens_(burst), at_(now_seconds) {}

    BucketDecision take(double now_seconds) {
        if (now_seconds > at_) {
            tokens_ = std::min(burst_, tokens_ + (now_seconds - at_) * rate_);
            at_ = now_seconds;
        }
        BucketDecision decision;
        decision.limit = static_cast<long long>(burst_);
        decision.allowed = tokens_ >= 1;
        if (decision.allowed) tokens_ -= 1;
        else decision.retry_after_seconds = (1 - tokens_) / rate_;
        decision.remaining = static_cast<long long>(std::floor(tokens_));
        decision.reset_seconds = (burst_ - tokens_) / rate_;
        return decision;
    }

    // Full for long enough that forgetting it changes nothing.
    bool idle(double now_seconds) const { return tokens_ + (now_seconds - at_) * rate_ >= burst_; }

  private:
    double rate_;
    double burst_;
    double tokens_;
    double at_;
};

}  // namespace agenthost::auth
