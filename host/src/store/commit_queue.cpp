#include "store/commit_queue.hpp"

#include "metrics/host_metrics.hpp"
#include "telemetry/host_spans.hpp"
#include "util/log.hpp"

#include <chrono>

namespace agenthost::store {

CommitQueue::CommitQueue(DatabaseSettings settings, std::unique_ptr<soci::session> session,
                         std::function<void(const soci::session*)> before_close, size_t max_batch,
                         TransactionHooks hooks)
    : settings_(std::move(settings)),
      session_(std::move(session)),
      before_close_(std::move(before_close)),
      max_batch_(max_batch),
      hooks_(std::move(hooks)),
      wal_guard_(settings_.dialect == Dialect::sqlite ? settings_.sqlite_path : std::string(), settings_.wal_limit_bytes),
      notifier_([this] { notify_loop(); }),
      writer_([this] { loop(); }) {}

CommitQueue::~CommitQueue() {
    stop();
    if (session_ && before_close_) before_close_(session_.get());
}

void CommitQueue::submit(Write write, Done done, Kind kind) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (stopping_) {
            if (done) done("the store is shutting down");
            return;
        }
        queue_.push_back({std::move(write), std::move(done), kind});
    }
    wake_.notify_one();
}

void CommitQueue::run(Write write, Kind kind) {
    auto promise = std::make_shared<std::promise<std::string>>();
    auto result = promise->get_future();
    submit(std::move(write), [promise](const std::string& error) { promise->set_value(error); }, kind);
    std::string error = result.get();
    if (!error.empty()) throw StoreUnavailable(error);
}

void CommitQueue::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (writer_.joinable()) writer_.join();
    // Every outcome the writer decided is told before stop returns.
    {
        std::lock_guard<std::mutex> lock(notify_mutex_);
        notify_stopping_ = true;
    }
    notify_wake_.notify_all();
    if (notifier_.joinable()) notifier_.join();
}

void CommitQueue::notify(Done done, std::string error) {
    if (!done) return;
    {
        std::lock_guard<std::mutex> lock(notify_mutex_);
        outcomes_.emplace_back(std::move(done), std::move(error));
    }
    notify_wake_.notify_one();
}

void CommitQueue::notify_all_of(std::deque<Item>& batch, const std::string& error) {
    bool any = false;
    {
        std::lock_guard<std::mutex> lock(notify_mutex_);
        for (Item& item : batch) {
            if (!item.done) continue;
            outcomes_.emplace_back(std::move(item.done), error);
            any = true;
        }
    }
    if (any) notify_wake_.notify_one();
}

void CommitQueue::notify_loop() {
    for (;;) {
        std::deque<std::pair<Done, std::string>> outcomes;
        {
            std::unique_lock<std::mutex> lock(notify_mutex_);
            notify_wake_.wait(lock, [this] { return notify_stopping_ || !outcomes_.empty(); });
            if (outcomes_.empty()) return;
            outcomes.swap(outcomes_);
        }
        for (auto& [done, error] : outcomes) {
            try {
                done(error);
            } catch (const std::exception& e) {
                log::error("commit callback threw", {{"error", e.what()}});
            }
        }
    }
}

std::string CommitQueue::write_problem() const {
    if (!has_write_problem_.load()) return "";
    std::lock_guard<std::mutex> lock(problem_mutex_);
    return write_problem_;
}

bool CommitQueue::ensure_connected() {
    if (session_ && healthy_.load()) return true;
    // While the database is down every write fails fast; reconnecting is
    // tried at most once a second, not once per write.
    auto now = std::chrono::steady_clock::now();
    if (now - last_reconnect_ < std::chrono::seconds(1)) return false;
    last_reconnect_ = now;
    try {
        if (session_ && before_close_) before_close_(session_.get());
        session_.reset();
        session_ = open_session(settings_);
        if (!healthy_.exchange(true)) log::info("database reachable again", {{"database", settings_.display}});
        return true;
    } catch (const std::exception& e) {
        healthy_ = false;
        log::debug("database still unreachable", {{"error", e.what()}});
        return false;
    }
}

bool CommitQueue::still_connected() {
    try {
        int one = 0;
        *session_ << "SELECT 1", soci::into(one);
        return one == 1;
    } catch (const std::exception&) {
        return false;
    }
}

void CommitQueue::loop() {
    for (;;) {
        std::deque<Item> batch;
        {
            std::unique_lock<std::mutex> lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) return;
            // Everything queued while the last commit ran goes in this one.
            while (!queue_.empty() && batch.size() < max_batch_) {
                batch.push_back(std::move(queue_.front()));
                queue_.pop_front();
            }
        }
        apply(batch);
    }
}

void CommitQueue::apply(std::deque<Item>& batch) {
    auto finish = [this](Item& item, const std::string& error) { notify(std::move(item.done), error); };
    if (!ensure_connected()) {
        notify_all_of(batch, "the database is unreachable (" + settings_.display + ")");
        return;
    }
    try {
        auto started = std::chrono::steady_clock::now();
        soci::transaction transaction(*session_);
        if (hooks_.begin) hooks_.begin(*session_);
        for (Item& item : batch) {
            if (item.kind != Kind::appends_only && hooks_.flush) hooks_.flush(*session_);
            item.write(*session_);
        }
        if (hooks_.flush) hooks_.flush(*session_);
        if (hooks_.before_commit) hooks_.before_commit(*session_);
        transaction.commit();
        metrics::HostMetrics& m = metrics::host_metrics();
        m.db_batch_size.observe({}, static_cast<double>(batch.size()));
        m.db_commit.observe({}, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
        telemetry::record_db_batch(settings_.dialect == Dialect::postgresql ? "postgresql" : "sqlite", batch.size(), started, true);
        if (has_write_problem_.load()) {
            std::lock_guard<std::mutex> lock(problem_mutex_);
            log::info("database writes succeed again", {{"database", settings_.display}});
            write_problem_.clear();
            has_write_problem_ = false;
        }
        notify_all_of(batch, "");
        wal_guard_.after_commit(*session_);
        return;
    } catch (const std::exception& e) {
        metrics::host_metrics().db_failed_batches.add({});
        if (batch.size() == 1) {
            std::string reason = describe_error(e);
            log::warn("write failed", {{"error", reason}});
            // A dropped connection still reports itself connected until used:
            // ask it something trivial, and reconnect next time if that fails.
            bool connected = still_connected();
            if (!connected) healthy_ = false;
            if (connected && is_storage_outage(e)) {
                std::lock_guard<std::mutex> lock(problem_mutex_);
                write_problem_ = reason;
                has_write_problem_ = true;
            }
            // Only an outage is worth retrying; a write the database refuses
            // for its data would be refused again.
            bool outage = !connected || is_storage_outage(e);
            finish(batch.front(), outage ? reason : std::string(kRefusedByDatabase) + reason);
            return;
        }
    }
    // One bad write must not fail the others in its batch: retry each alone.
    for (Item& item : batch) {
        std::deque<Item> single;
        single.push_back(std::move(item));
        apply(single);
    }
}

}  // namespace agenthost::store
