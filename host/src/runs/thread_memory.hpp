// Shared run memory: JSON values by key, one namespace per thread, so agents
// chained on a thread build on each other's work. In memory for now; the
// durable store replaces it.
#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace agenthost::runs {

class ThreadMemory {
  public:
    // Bounds what one thread may hold, so a runaway agent cannot exhaust the
    // host's memory.
    explicit ThreadMemory(size_t max_bytes_per_thread = 16 * 1024 * 1024) : max_bytes_(max_bytes_per_thread) {}

    std::optional<std::string> get(const std::string& thread_id, const std::string& key) const;
    // Throws std::length_error when the thread's memory would exceed the bound.
    void put(const std::string& thread_id, const std::string& key, std::string value_json);

  private:
    struct Thread {
        std::map<std::string, std::string> values;
        size_t bytes = 0;
    };
    const size_t max_bytes_;
    mutable std::mutex mutex_;
    std::map<std::string, Thread> threads_;
};

}  // namespace agenthost::runs
