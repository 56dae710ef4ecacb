// Following a run's durable event log as it grows: the one source for SSE
// streams and long polls. Events committed on this host are delivered at
// once (notify); events written by other hosts sharing the database are
// picked up by polling. Listeners are called on the feed's thread.
#pragma once

#include "store/store.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace agenthost::runs {

class EventFeed {
  public:
    using Clock = std::chrono::steady_clock;
    // `events` follow the listener's last seen seq, in order; `finished`
    // once the run's final event has been delivered (it was among `events`,
    // or had been seen before); `timed_out` when the deadline passed with
    // nothing new. Return false to stop following.
    using Listener = std::function<bool(const std::vector<store::RunEvent>& events, bool finished, bool timed_out)>;

    EventFeed(store::Store& store, std::chrono::milliseconds poll_interval);
    ~EventFeed();
    EventFeed(const EventFeed&) = delete;
    EventFeed& operator=(const EventFeed&) = delete;

    // Delivers the run's events after `after_seq`, now and as they come.
    uint64_t follow(const std::string& run_id, long long after_seq, Listener listener,
                    std::optional<Clock::time_point> deadline = std::nullopt);
    void unfollow(uint64_t subscription);
    // Events of `run_id` were just committed by this host.
    void notify(const std::string& run_id);
    size_t followers() const;
    void stop();

    static bool is_final(const std::string& event_type);

  private:
    struct Subscription {
        std::string run_id;
        long long after_seq;
        Listener listener;
        std::optional<Clock::time_point> deadline;
        bool fresh = true;  // not yet read: an already finished run ends it
    };
    void loop();
    void check(const std::string& run_id);
    // Removes a subscription; caller holds mutex_.
    void erase_locked(uint64_t subscription);

    store::Store& store_;
    const std::chrono::milliseconds poll_interval_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::map<uint64_t, Subscription> subscriptions_;
    // Subscriptions by run, so a notification costs a lookup, not a scan.
    std::map<std::string, std::set<uint64_t>> by_run_;
    std::set<std::string> notified_;
    uint64_t next_id_ = 1;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace agenthost::runs
