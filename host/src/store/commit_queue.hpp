// Group commit: one writer thread owns the write session and applies queued
// writes in batched transactions, so a thousand runs accepted in the same
// millisecond cost one commit (and one fsync), not a thousand. Each write's
// callback runs after its transaction committed, or with the error if it
// could not be, on a second thread in the order of the writes: the writer,
// which every write waits for, goes on to the next batch meanwhile instead of
// answering clients and waking workers.
#pragma once

#include "store/database.hpp"
#include "store/wal_guard.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace agenthost::store {

// Starts the error of a write the database refused for what it held (a
// constraint, a value it cannot store) rather than for an outage.
inline constexpr const char* kRefusedByDatabase = "the database refused the write: ";

class CommitQueue {
  public:
    using Write = std::function<void(soci::session&)>;
    // Called on the writer thread once the write's fate is known: an empty
    // string after commit, else the reason it failed.
    using Done = std::function<void(const std::string& error)>;

    // Told of each batch's transaction: `begin` when it starts (also before
    // a failed batch's writes are retried one by one), `before_commit` once
    // its writes ran, to add what they add up to (usage rollups) in the same
    // transaction and with one statement per batch rather than per write.
    // `flush` writes what appends-only writes left queued for the batch's
    // multi-row statements (RunRepository::queue_insert): before every other
    // write, which may read them, and before `before_commit`.
    struct TransactionHooks {
        std::function<void(soci::session&)> begin;
        std::function<void(soci::session&)> before_commit;
        std::function<void(soci::session&)> flush;
    };

    // An appends-only write only adds rows and reads nothing that another
    // write of its batch may have added, so the rows it queues need not be
    // written before it runs.
    enum class Kind { any, appends_only };

    // `before_close` is told of the write session before it is closed or
    // replaced (statements prepared on it must go first).
    CommitQueue(DatabaseSettings settings, std::unique_ptr<soci::session> session,
                std::function<void(const soci::session*)> before_close, size_t max_batch = 512,
                TransactionHooks hooks = {});
    ~CommitQueue();
    CommitQueue(const CommitQueue&) = delete;
    CommitQueue& operator=(const CommitQueue&) = delete;

    void submit(Write write, Done done = nullptr, Kind kind = Kind::any);
    // Submits and waits for the commit; throws StoreUnavailable on failure.
    void run(Write write, Kind kind = Kind::any);

    // Finishes what was queued, then stops the writer.
    void stop();
    // False while the database is unreachable (writes fail fast, 503).
    bool healthy() const { return healthy_.load(); }
    // Why writes fail although the database answers (a full disk, an I/O
    // error, a read-only file), or "" once a commit succeeds again.
    std::string write_problem() const;

  private:
    struct Item {
        Write write;
        Done done;
        Kind kind = Kind::any;
    };
    void loop();
    void apply(std::deque<Item>& batch);
    // Hands `done` its outcome on the notifier thread.
    void notify(Done done, std::string error);
    // The same for every write of a batch, with one wake of the notifier.
    void notify_all_of(std::deque<Item>& batch, const std::string& error);
    void notify_loop();
    bool ensure_connected();
    bool still_connected();

    DatabaseSettings settings_;
    std::unique_ptr<soci::session> session_;
    std::function<void(const soci::session*)> before_close_;
    const size_t max_batch_;
    TransactionHooks hooks_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Item> queue_;
    bool stopping_ = false;
    std::atomic<bool> healthy_{true};
    mutable std::mutex problem_mutex_;
    std::string write_problem_;
    std::atomic<bool> has_write_problem_{false};
    std::chrono::steady_clock::time_point last_reconnect_{};
    WalGuard wal_guard_;
    std::mutex notify_mutex_;
    std::condition_variable notify_wake_;
    std::deque<std::pair<Done, std::string>> outcomes_;  // guarded by notify_mutex_
    bool notify_stopping_ = false;                        // guarded by notify_mutex_
    std::thread notifier_;
    std::thread writer_;
};

}  // namespace agenthost::store
