#include "signals/log_puller.hpp"

#include "signals/line_signals.hpp"
#include "util/log.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <future>

namespace agenthost::signals {
namespace {

// The lease outlives the slowest pull: CloudWatch reads up to five pages.
long long lease_ms(const PullSettings& settings) {
    return static_cast<long long>(settings.timeout_seconds * 1000) * 6 + 60000;
}

long long backoff_ms(const LogSourceConfig& source, long long failures, const PullSettings& settings) {
    double wait = static_cast<double>(source.interval_ms) * std::pow(2.0, static_cast<double>(std::min(failures, 20LL)));
    return static_cast<long long>(std::min(wait, settings.max_backoff_seconds * 1000));
}

// Thrown inside the commit when the cursor cannot move: nothing is stored.
struct LeaseLost : std::runtime_error {
    LeaseLost() : std::runtime_error("the pull's lease was lost (another host took it, or the source was deleted)") {}
};

PullBatch read_source(const LogSourceConfig& source, const std::string& cursor, const PullSettings& settings,
                      long long now) {
    if (source.type == "file") return pull_file(source, cursor, settings);
    if (source.type == "url") return pull_url(source, cursor, settings);
    if (source.type == "loki") return pull_loki(source, cursor, settings, now);
    return pull_cloudwatch(source, cursor, settings, now);
}

}  // namespace

LogPuller::LogPuller(IncidentService& incidents, PullSettings settings, std::string owner)
    : incidents_(incidents), settings_(std::move(settings)), owner_(std::move(owner)) {}

LogPuller::~LogPuller() { stop(); }

void LogPuller::start() {
    std::lock_guard lock(mutex_);
    if (scheduler_.joinable() || stopping_) return;
    scheduler_ = std::thread([this] { schedule_loop(); });
    for (int i = 0; i < std::max(1, settings_.workers); ++i) workers_.emplace_back([this] { work_loop(); });
}

void LogPuller::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        queue_.clear();
    }
    wake_.notify_all();
    if (scheduler_.joinable()) scheduler_.join();
    for (auto& worker : workers_)
        if (worker.joinable()) worker.join();
    workers_.clear();
}

std::vector<LogSourceConfig> LogPuller::sources() {
    std::vector<LogSourceConfig> out;
    for (const auto& item : incidents_.integrations("log_source", nullptr)) {
        std::string error;
        auto source = read_log_source(item, error);
        if (!source) {
            std::lock_guard lock(mutex_);
            if (reported_.insert(item.id).second)
                log::warn("log source not pulled", {{"source", item.id}, {"error", error}});
            continue;
        }
        out.push_back(std::move(*source));
    }
    return out;
}

void LogPuller::schedule_loop() {
    while (true) {
        std::vector<LogSourceConfig> due;
        try {
            due = sources();
        } catch (const std::exception& e) {
            log::warn("log sources not listed", {{"error", e.what()}});
        }
        long long now = store::now_ms();
        {
            std::unique_lock lock(mutex_);
            if (stopping_) return;
            std::set<std::string> present;
            for (auto& source : due) {
                present.insert(source.id);
                if (!source.enabled || busy_.count(source.id) != 0) continue;
                auto next = not_before_.find(source.id);
                if (next != not_before_.end() && next->second > now) continue;
                busy_.insert(source.id);
                queue_.push_back(std::move(source));
            }
            // Deleted sources are forgotten.
            for (auto it = not_before_.begin(); it != not_before_.end();)
                it = present.count(it->first) == 0 ? not_before_.erase(it) : std::next(it);
            wake_.notify_all();
            wake_.wait_for(lock, std::chrono::milliseconds(std::max(50LL, settings_.poll_ms)),
                           [this] { return stopping_; });
            if (stopping_) return;
        }
    }
}

void LogPuller::work_loop() {
    while (true) {
        LogSourceConfig source;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (stopping_) return;
            source = std::move(queue_.front());
            queue_.pop_front();
        }
        try {
            pull(source);
        } catch (const std::exception& e) {
            // The store was unreachable: try again after the interval.
            log::warn("log source pull failed", {{"source", source.id}, {"error", e.what()}});
            std::lock_guard lock(mutex_);
            not_before_[source.id] = store::now_ms() + source.interval_ms;
        }
        std::lock_guard lock(mutex_);
        busy_.erase(source.id);
    }
}

bool LogPuller::pull(const LogSourceConfig& source) {
    store::Store& store = incidents_.store();
    const store::LogCursorRepository& cursors = incidents_.log_cursors();
    long long now = store::now_ms();
    std::optional<store::LogCursor> claimed;
    store.writes().run([&](soci::session& session) {
        claimed = cursors.claim(session, source.id, source.tenant, owner_, now, now + lease_ms(settings_));
    });
    if (!claimed) {
        // Not due: look again when it is. Another host pulling it: after an
        // interval, when that pull has long moved next_pull_at (or, if that
        // host died, to claim it once its lease runs out).
        auto row = store.read([&](soci::session& session) { return cursors.find(session, source.id); });
        long long again = now + source.interval_ms;
        if (row && row->lease_owner.empty()) again = std::min(row->next_pull_at_ms, again);
        std::lock_guard lock(mutex_);
        not_before_[source.id] = std::max(again, now + 200);
        return false;
    }
    long long token = claimed->fencing_token;
    PullBatch batch;
    std::string failure;
    std::vector<IncomingSignal> signals;
    try {
        LineFilter filter(source.filter);
        batch = read_source(source, claimed->cursor_json, settings_, now);
        for (const LogLine& line : batch.lines)
            if (auto signal = filter.signal_of(source, line)) signals.push_back(std::move(*signal));
    } catch (const std::regex_error& e) {
        failure = std::string("the filter is not a regular expression: ") + e.what();
    } catch (const std::exception& e) {
        failure = e.what();
    }
    long long done_at = store::now_ms();
    if (!failure.empty()) {
        long long next = done_at + backoff_ms(source, claimed->failures, settings_);
        store.writes().run([&](soci::session& session) {
            cursors.fail(session, source.id, owner_, token, failure, done_at, next);
        });
        log::warn("log source pull failed",
                  {{"source", source.id}, {"name", source.name}, {"type", source.type}, {"error", failure}});
        std::lock_guard lock(mutex_);
        not_before_[source.id] = next;
        return true;
    }
    store::PullProgress progress;
    progress.cursor_json = batch.cursor_json;
    progress.lines_read = static_cast<long long>(batch.lines.size());
    progress.signals_sent = static_cast<long long>(signals.size());
    progress.now_ms = done_at;
    progress.next_pull_at_ms = batch.more ? done_at : done_at + source.interval_ms;
    std::string owner = owner_;
    std::string source_id = source.id;
    std::promise<std::string> stored;
    incidents_.ingest(
        source.tenant, std::move(signals),
        [&stored](const IngestResult&, const std::string& error) { stored.set_value(error); },
        [&cursors, source_id, owner, token, progress](soci::session& session) {
            if (!cursors.advance(session, source_id, owner, token, progress)) throw LeaseLost();
        });
    std::string error = stored.get_future().get();
    if (!error.empty()) {
        // Nothing was stored and the cursor did not move: the same lines
        // come again at the next pull.
        log::warn("pulled log lines not stored", {{"source", source.id}, {"error", error}});
        long long next = done_at + backoff_ms(source, claimed->failures, settings_);
        try {
            store.writes().run([&](soci::session& session) {
                cursors.fail(session, source.id, owner_, token, "the lines read were not stored: " + error, done_at, next);
            });
        } catch (const std::exception&) {
            // The store is down: the lease runs out and the pull comes again.
        }
        std::lock_guard lock(mutex_);
        not_before_[source.id] = next;
        return true;
    }
    std::lock_guard lock(mutex_);
    not_before_[source.id] = progress.next_pull_at_ms;
    return true;
}

}  // namespace agenthost::signals
