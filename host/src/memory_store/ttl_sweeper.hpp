// Deletes the long-term store's expired items in the background. Reads
// already leave them out the moment they expire; this only reclaims the
// rows, with one cheap DELETE per pass (in batches, so a pile of expired
// items never holds the writer for long). Several hosts on one PostgreSQL
// database may all sweep: the DELETE is idempotent.
#pragma once

#include "memory_store/memory_store.hpp"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace agenthost::memory_store {

class TtlSweeper {
  public:
    static constexpr long long kBatch = 5000;

    TtlSweeper(MemoryStore& store, std::chrono::milliseconds interval) : store_(store), interval_(interval) {}
    ~TtlSweeper() { stop(); }
    TtlSweeper(const TtlSweeper&) = delete;
    TtlSweeper& operator=(const TtlSweeper&) = delete;

    void start();
    void stop();
    // One pass: batches until one comes back short. How many were deleted.
    long long sweep_once();

  private:
    void loop();

    MemoryStore& store_;
    const std::chrono::milliseconds interval_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace agenthost::memory_store
