// Callers waiting for runs to finish (synchronous invoke): told at once when
// this host finishes the run, and by a periodic look at the store when
// another host did.
#pragma once

#include "store/records.hpp"

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace agenthost::runs {

class RunWaiters {
  public:
    using Callback = std::function<void(const store::RunRecord& run, bool timed_out)>;

    void add(const std::string& run_id, std::chrono::steady_clock::time_point deadline, Callback callback);
    // The run finished: every waiter on it is called (outside the lock).
    void finished(const store::RunRecord& run);
    // Ids still waited for, to check in the store.
    std::vector<std::string> pending() const;
    // Calls back waiters whose deadline passed, with timed_out = true and the
    // run as `latest` says it is now.
    void expire(const std::function<store::RunRecord(const std::string&)>& latest);
    // Drops the waiters of a run that was never stored, without calling them.
    void forget(const std::string& run_id);
    // Fails every waiter (shutdown).
    void abandon_all();

  private:
    struct Waiter {
        std::chrono::steady_clock::time_point deadline;
        Callback callback;
    };
    mutable std::mutex mutex_;
    std::multimap<std::string, Waiter> waiters_;
};

}  // namespace agenthost::runs
