#include "runs/event_feed.hpp"

#include "util/log.hpp"

namespace agenthost::runs {

EventFeed::EventFeed(store::Store& store, std::chrono::milliseconds poll_interval)
    : store_(store), poll_interval_(poll_interval), thread_([this] { loop(); }) {}

EventFeed::~EventFeed() { stop(); }

void EventFeed::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (stopping_) return;
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

bool EventFeed::is_final(const std::string& type) {
    return type == "run.succeeded" || type == "run.failed" || type == "run.cancelled";
}

uint64_t EventFeed::follow(const std::string& run_id, long long after_seq, Listener listener,
                           std::optional<Clock::time_point> deadline) {
    uint64_t id;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        id = next_id_++;
        subscriptions_[id] = {run_id, after_seq, std::move(listener), deadline};
        by_run_[run_id].insert(id);
        notified_.insert(run_id);  // deliver what is already there at once
    }
    wake_.notify_all();
    return id;
}

void EventFeed::unfollow(uint64_t subscription) {
    std::lock_guard<std::mutex> lock(mutex_);
    erase_locked(subscription);
}

void EventFeed::erase_locked(uint64_t subscription) {
    auto found = subscriptions_.find(subscription);
    if (found == subscriptions_.end()) return;
    auto run = by_run_.find(found->second.run_id);
    if (run != by_run_.end()) {
        run->second.erase(subscription);
        if (run->second.empty()) by_run_.erase(run);
    }
    subscriptions_.erase(found);
}

void EventFeed::notify(const std::string& run_id) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (by_run_.count(run_id) == 0) return;
        notified_.insert(run_id);
    }
    wake_.notify_all();
}

size_t EventFeed::followers() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return subscriptions_.size();
}

void EventFeed::loop() {
    auto next_poll = Clock::now() + poll_interval_;
    for (;;) {
        std::set<std::string> runs;
        {
            std::unique_lock<std::mutex> lock(mutex_);
            auto wake_at = next_poll;
            for (const auto& [id, subscription] : subscriptions_)
                if (subscription.deadline && *subscription.deadline < wake_at) wake_at = *subscription.deadline;
            wake_.wait_until(lock, wake_at, [this] { return stopping_ || !notified_.empty(); });
            if (stopping_) return;
            runs.swap(notified_);
            if (Clock::now() >= next_poll) {
                // Another host may have written: look at every followed run.
                for (const auto& [run_id, ids] : by_run_) runs.insert(run_id);
                next_poll = Clock::now() + poll_interval_;
            }
        }
        for (const std::string& run_id : runs) check(run_id);

        // Long polls whose time is up.
        std::vector<Listener> expired;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            auto now = Clock::now();
            std::vector<uint64_t> due;
            for (auto& [id, subscription] : subscriptions_)
                if (subscription.deadline && *subscription.deadline <= now) due.push_back(id);
            for (uint64_t id : due) {
                expired.push_back(std::move(subscriptions_[id].listener));
                erase_locked(id);
            }
        }
        for (auto& listener : expired) listener({}, false, true);
    }
}

void EventFeed::check(const std::string& run_id) {
    struct Due {
        uint64_t id;
        long long after_seq;
        bool fresh;
    };
    std::vector<Due> due;
    long long from = -1;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        auto followers = by_run_.find(run_id);
        if (followers == by_run_.end()) return;
        for (uint64_t id : followers->second) {
            const Subscription& subscription = subscriptions_.at(id);
            due.push_back({id, subscription.after_seq, subscription.fresh});
            from = from < 0 ? subscription.after_seq : std::min(from, subscription.after_seq);
        }
    }
    if (due.empty()) return;
    const store::RunRepository& repository = store_.runs();
    std::vector<store::RunEvent> events;
    bool already_over = false;
    try {
        events = store_.read([&](soci::session& session) { return repository.events(session, run_id, from, 10000); });
        bool any_fresh_idle = false;
        for (const Due& d : due) any_fresh_idle = any_fresh_idle || (d.fresh && (events.empty() || events.back().seq <= d.after_seq));
        if (any_fresh_idle) {
            // Resumed after the last event of a finished run: nothing will
            // come, so say it is over now.
            auto run = store_.read([&](soci::session& session) { return repository.find(session, run_id); });
            already_over = run && store::run_status::is_terminal(run->status);
            // It may have finished after the events were read; its final
            // events commit with its status, so read again to include them.
            if (already_over)
                events = store_.read([&](soci::session& session) { return repository.events(session, run_id, from, 10000); });
        }
    } catch (const std::exception& e) {
        log::debug("event feed read failed", {{"run_id", run_id}, {"error", e.what()}});
        return;  // the next poll tries again
    }
    for (const Due& d : due) {
        std::vector<store::RunEvent> mine;
        bool finished = false;
        for (const auto& event : events) {
            if (event.seq <= d.after_seq) continue;
            mine.push_back(event);
            finished = finished || is_final(event.type);
        }
        if (mine.empty() && !(d.fresh && already_over)) {
            std::lock_guard<std::mutex> lock(mutex_);
            auto found = subscriptions_.find(d.id);
            if (found != subscriptions_.end()) found->second.fresh = false;
            continue;
        }
        if (mine.empty()) finished = true;
        Listener listener;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            auto found = subscriptions_.find(d.id);
            if (found == subscriptions_.end()) continue;  // unfollowed meanwhile
            found->second.fresh = false;
            if (!mine.empty()) found->second.after_seq = mine.back().seq;
            listener = found->second.listener;
        }
        bool keep = listener(mine, finished, false) && !finished;
        if (!keep) unfollow(d.id);
    }
}

}  // namespace agenthost::runs
