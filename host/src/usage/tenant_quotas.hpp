// Quotas per tenant (auth.quotas): runs per UTC day and LLM tokens per UTC
// month. Checked in memory on every run-creating request, never with a
// database round trip: the counts are seeded from the usage rollups and
// read again every refresh_seconds, and runs this host admits in between are
// counted locally. Several hosts sharing one database therefore agree only
// approximately: each sees the others' runs at its next refresh (and tokens
// once the runs that used them end), so a tenant can overshoot by what the
// other hosts admit within one refresh interval.
#pragma once

#include "auth/auth_settings.hpp"
#include "store/store.hpp"

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace agenthost::usage {

struct QuotaDecision {
    bool allowed = true;
    std::string quota;  // runs_per_day | tokens_per_month, when refused
    long long limit = 0;
    long long used = 0;
    long long resets_at_ms = 0;
};

class TenantQuotas {
  public:
    TenantQuotas(auth::QuotaSettings settings, store::Store& store);
    ~TenantQuotas();
    TenantQuotas(const TenantQuotas&) = delete;
    TenantQuotas& operator=(const TenantQuotas&) = delete;

    bool enabled() const { return enabled_; }
    // Reads the counts once, then keeps reading them every refresh_seconds.
    void start();
    void stop();

    // A run-creating request of `tenant` at `now_ms`: refused when a quota
    // is used up, else counted as one run.
    QuotaDecision admit(const std::string& tenant, long long now_ms);
    // Reads the counts from the rollups now (start and the refresher do).
    void refresh(long long now_ms);

  private:
    struct Counts {
        std::string day;           // the UTC day `runs` counts
        long long runs = 0;        // from the store at the last refresh
        long long local_runs = 0;  // admitted here since
        // When this host admitted its latest runs (the last kCommitGraceMs):
        // a refresh may read the store before their inserts commit.
        std::deque<long long> recent;
        std::string month;         // YYYY-MM-01 of `tokens`
        long long tokens = 0;
    };

    const auth::QuotaSettings settings_;
    const bool enabled_;
    store::Store& store_;
    std::mutex mutex_;
    std::map<std::string, Counts> counts_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread refresher_;
};

}  // namespace agenthost::usage
