#include "runs/run_waiters.hpp"

namespace agenthost::runs {

void RunWaiters::add(const std::string& run_id, std::chrono::steady_clock::time_point deadline, Callback callback) {
    std::lock_guard<std::mutex> lock(mutex_);
    waiters_.emplace(run_id, Waiter{deadline, std::move(callback)});
}

void RunWaiters::finished(const store::RunRecord& run) {
    std::vector<Callback> due;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        auto [first, last] = waiters_.equal_range(run.id);
        for (auto it = first; it != last; ++it) due.push_back(std::move(it->second.callback));
        waiters_.erase(first, last);
    }
    for (auto& callback : due) callback(run, false);
}

std::vector<std::string> RunWaiters::pending() const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<std::string> ids;
    for (auto it = waiters_.begin(); it != waiters_.end(); it = waiters_.upper_bound(it->first)) ids.push_back(it->first);
    return ids;
}

void RunWaiters::expire(const std::function<store::RunRecord(const std::string&)>& latest) {
    auto now = std::chrono::steady_clock::now();
    std::vector<std::pair<std::string, Callback>> due;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        for (auto it = waiters_.begin(); it != waiters_.end();) {
            if (it->second.deadline <= now) {
                due.emplace_back(it->first, std::move(it->second.callback));
                it = waiters_.erase(it);
            } else {
                ++it;
            }
        }
    }
    for (auto& [id, callback] : due) callback(latest(id), true);
}

void RunWaiters::forget(const std::string& run_id) {
    std::lock_guard<std::mutex> lock(mutex_);
    waiters_.erase(run_id);
}

void RunWaiters::abandon_all() {
    std::multimap<std::string, Waiter> all;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        all.swap(waiters_);
    }
    for (auto& [id, waiter] : all) {
        store::RunRecord run;
        run.id = id;
        waiter.callback(run, true);
    }
}

}  // namespace agenthost::runs
