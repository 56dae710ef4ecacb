#include "usage/tenant_quotas.hpp"

#include "util/utc_calendar.hpp"
#include "util/log.hpp"

#include <chrono>

namespace agenthost::usage {
namespace {

// A run admitted this recently may still be on its way into the store (its
// insert waits for a group commit), so a refresh that reads the store keeps
// counting it here: counted twice for a moment rather than not at all.
constexpr long long kCommitGraceMs = 2000;

void forget_older(std::deque<long long>& recent, long long now_ms) {
    while (!recent.empty() && recent.front() < now_ms - kCommitGraceMs) recent.pop_front();
}

}  // namespace

TenantQuotas::TenantQuotas(auth::QuotaSettings settings, store::Store& store)
    : settings_(std::move(settings)), enabled_(settings_.enabled()), store_(store) {}

TenantQuotas::~TenantQuotas() { stop(); }

void TenantQuotas::start() {
    if (!enabled_) return;
    try {
        refresh(store::now_ms());
    } catch (const std::exception& e) {
        log::warn("reading usage for quotas failed; counting from zero until the next refresh", {{"error", e.what()}});
    }
    refresher_ = std::thread([this] {
        auto period = std::chrono::milliseconds(static_cast<long long>(settings_.refresh_seconds * 1000));
        if (period.count() < 100) period = std::chrono::milliseconds(100);
        std::unique_lock<std::mutex> lock(mutex_);
        while (!wake_.wait_for(lock, period, [this] { return stopping_; })) {
            lock.unlock();
            try {
                refresh(store::now_ms());
            } catch (const std::exception& e) {
                log::warn("refreshing quota counts failed; keeping the last ones", {{"error", e.what()}});
            }
            lock.lock();
        }
    });
}

void TenantQuotas::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (refresher_.joinable()) refresher_.join();
}

void TenantQuotas::refresh(long long now_ms) {
    std::string day = utc_day(now_ms);
    std::string month = month_start(day);
    long long midnight = next_midnight_ms(now_ms) - 86400000LL;
    // Runs admitted before the read are in what it returns, except those
    // whose inserts may not have committed yet (admitted within the grace):
    // they stay counted here, as do those admitted while the read runs.
    std::map<std::string, long long> admitted_before;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        for (auto& [tenant, counts] : counts_) {
            if (counts.day != day) continue;
            forget_older(counts.recent, now_ms);
            admitted_before[tenant] = counts.local_runs - static_cast<long long>(counts.recent.size());
        }
    }
    auto [runs, tokens] = store_.read([&](soci::session& session) {
        return std::make_pair(store_.usage().runs_per_tenant(session, day, midnight),
                              store_.usage().tokens_per_tenant(session, month));
    });
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& [tenant, counts] : counts_) {
        long long before = admitted_before.count(tenant) ? admitted_before[tenant] : 0;
        counts.local_runs = counts.day == day ? std::max(0LL, counts.local_runs - before) : 0;
        if (counts.day != day) counts.recent.clear();
        counts.day = day;
        counts.runs = 0;
        counts.month = month;
        counts.tokens = 0;
    }
    for (const auto& [tenant, count] : runs) {
        Counts& counts = counts_[tenant];
        counts.day = day;
        counts.runs = count;
    }
    for (const auto& [tenant, count] : tokens) {
        Counts& counts = counts_[tenant];
        counts.month = month;
        counts.tokens = count;
    }
}

QuotaDecision TenantQuotas::admit(const std::string& tenant, long long now_ms) {
    QuotaDecision decision;
    if (!enabled_) return decision;
    const auth::QuotaLimits& limits = settings_.for_tenant(tenant);
    if (limits.runs_per_day <= 0 && limits.tokens_per_month <= 0) return decision;
    std::string day = utc_day(now_ms);
    std::lock_guard<std::mutex> lock(mutex_);
    Counts& counts = counts_[tenant];
    // A new day (or month) starts from zero until the next refresh.
    if (counts.day != day) {
        counts.day = day;
        counts.runs = 0;
        counts.local_runs = 0;
        counts.recent.clear();
    }
    if (counts.month != month_start(day)) {
        counts.month = month_start(day);
        counts.tokens = 0;
    }
    if (limits.tokens_per_month > 0 && counts.tokens >= limits.tokens_per_month) {
        decision = {false, "tokens_per_month", limits.tokens_per_month, counts.tokens, next_month_ms(now_ms)};
        return decision;
    }
    long long runs = counts.runs + counts.local_runs;
    if (limits.runs_per_day > 0 && runs >= limits.runs_per_day) {
        decision = {false, "runs_per_day", limits.runs_per_day, runs, next_midnight_ms(now_ms)};
        return decision;
    }
    ++counts.local_runs;
    forget_older(counts.recent, now_ms);
    counts.recent.push_back(now_ms);
    return decision;
}

}  // namespace agenthost::usage
