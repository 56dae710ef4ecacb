#include "usage/tenant_quotas.hpp"

#include "util/utc_calendar.hpp"
#include "util/log.hpp"

#include <algorithm>
#include <chrono>

namespace agenthost::usage {
namespace {

// A run admitted this recently may still be on its way into the store (its
// insert waits for a group commit), so a refresh that reads the store keeps
// counting it here unless the store has it already.
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
    // whose inserts may not have committed yet (admitted within the grace).
    // Of those, the store says how many are in already (its runs of the
    // tenant created since the oldest of them: a run is created after its
    // admission); the rest stay counted here, as do runs admitted while the
    // read runs. So a run is counted once, not twice for the grace.
    struct Before {
        long long settled = 0;      // admitted before the grace: in the store
        long long recent = 0;       // admitted within it
        long long oldest_ms = 0;    // the earliest of those
        long long in_store = 0;     // of those, how many the store has
    };
    std::map<std::string, Before> before;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        for (auto& [tenant, counts] : counts_) {
            if (counts.day != day) continue;
            forget_older(counts.recent, now_ms);
            Before& b = before[tenant];
            b.recent = static_cast<long long>(counts.recent.size());
            b.settled = counts.local_runs - b.recent;
            if (!counts.recent.empty()) b.oldest_ms = counts.recent.front();
        }
    }
    auto [runs, tokens] = store_.read([&](soci::session& session) {
        for (auto& [tenant, b] : before)
            if (b.recent > 0) b.in_store = std::min(b.recent, store_.usage().runs_created_since(session, tenant, b.oldest_ms));
        return std::make_pair(store_.usage().runs_per_tenant(session, day, midnight),
                              store_.usage().tokens_per_tenant(session, month));
    });
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& [tenant, counts] : counts_) {
        auto found = before.find(tenant);
        if (counts.day == day && found != before.end()) {
            const Before& b = found->second;
            counts.local_runs = std::max(0LL, counts.local_runs - b.settled - b.in_store);
            // The oldest admissions are the ones the store has.
            for (long long i = 0; i < b.in_store && !counts.recent.empty(); ++i) counts.recent.pop_front();
        } else if (counts.day != day) {
            counts.local_runs = 0;
            counts.recent.clear();
        }
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
