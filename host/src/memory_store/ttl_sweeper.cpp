#include "memory_store/ttl_sweeper.hpp"

#include "util/log.hpp"

namespace agenthost::memory_store {

void TtlSweeper::start() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (thread_.joinable()) return;
    stopping_ = false;
    thread_ = std::thread([this] { loop(); });
}

void TtlSweeper::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

long long TtlSweeper::sweep_once() {
    long long total = 0;
    for (;;) {
        long long swept = store_.sweep_expired(kBatch);
        total += swept;
        if (swept < kBatch) return total;
        std::lock_guard<std::mutex> lock(mutex_);
        if (stopping_) return total;
    }
}

void TtlSweeper::loop() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!stopping_) {
        wake_.wait_for(lock, interval_, [this] { return stopping_; });
        if (stopping_) return;
        lock.unlock();
        try {
            long long swept = sweep_once();
            if (swept > 0) log::info("expired store items deleted", {{"items", swept}});
        } catch (const std::exception& e) {
            // The database is down or refuses writes: the next pass tries
            // again, and reads hide the expired items meanwhile.
            log::warn("sweeping expired store items failed", {{"error", e.what()}});
        }
        lock.lock();
    }
}

}  // namespace agenthost::memory_store
