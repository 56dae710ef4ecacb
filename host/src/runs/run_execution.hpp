// The host services one executing run gives its plugin: events appended to
// the durable log (fenced by the claim's token) and thread memory in the
// store. The events a plugin emits in its run's first moments are held and
// written with the outcome, in the same commit: most runs end within
// milliseconds, and one write per run beats one per event. Once the run is
// older than the hold, each event is written at once (with what was held),
// and a held event of a run that has gone quiet is written by flush_held().
#pragma once

#include "plugins/run_context.hpp"
#include "runs/event_feed.hpp"
#include "store/store.hpp"

#include <rapidjson/document.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <vector>

namespace agenthost::runs {

class StoredRunServices : public plugins::RunServices {
  public:
    // `hold_ms`: how long into the run events are held (0: none are).
    StoredRunServices(store::Store& store, EventFeed& feed, const store::RunRecord& run, long long next_seq,
                      long long hold_ms = 0)
        : store_(store),
          feed_(feed),
          run_(run),
          next_seq_(next_seq),
          hold_ms_(hold_ms),
          started_(std::chrono::steady_clock::now()) {}

    void emit_event(const std::string& type, const std::string& data_json) override;
    // Written at once, with whatever is held before it: run.started, which
    // recovery counts against the run's attempts.
    void emit_now(const std::string& type, const std::string& data_json);
    // Writes the held events now when the hold is over (the dispatcher's
    // maintenance pass, for a run that emitted nothing since).
    void flush_held();
    // The events still held, for the outcome's commit; later events are
    // written on their own (and fenced out once the outcome is recorded).
    std::vector<store::RunEvent> take_held();
    std::optional<std::string> memory_get(const std::string& key) override;
    void memory_put(const std::string& key, const std::string& value_json) override;
    // The long-term store in the run's tenant (memory_store/plugin_store_call).
    plugins::StoreAnswer store_call(const std::string& request_json) override;

    // The sequence number the next event gets.
    long long next_seq() const { return next_seq_.load(); }
    // Reserves the next number for an event the host writes itself.
    long long take_seq() { return next_seq_.fetch_add(1); }

  private:
    // Queues `events` for the writer, fenced by the run's claim.
    void write(std::vector<store::RunEvent> events);
    bool hold_over() const;

    store::Store& store_;
    EventFeed& feed_;
    const store::RunRecord& run_;
    std::atomic<long long> next_seq_;
    const long long hold_ms_;
    const std::chrono::steady_clock::time_point started_;
    std::mutex held_mutex_;
    std::vector<store::RunEvent> held_;  // guarded by held_mutex_
    bool taken_ = false;                 // guarded by held_mutex_
};

// The memory.updated event of one write: {"key","value","checkpoint_id",
// "values" (the thread's whole memory right after it)}: what stream_mode
// values and updates send. A memory larger than kInlineSnapshotBytes is not
// copied: "values_omitted": true, and readers take the memory at
// checkpoint_id from the thread's checkpoints.
inline constexpr size_t kInlineSnapshotBytes = 64 * 1024;
std::string memory_event(const std::string& key, const std::string& value_json, long long checkpoint,
                         const store::ThreadValues& snapshot);

// {"run_id","thread_id","task","context","attempt"}: what a plugin's invoke
// receives, plus the members of `extra` (iteration, remediation, ...).
std::string agent_input(const store::RunRecord& run, const rapidjson::Value* extra = nullptr);

// The run's final events: one "artifact" event per result.artifacts entry,
// then run.succeeded, run.failed or run.cancelled.
std::vector<store::RunEvent> final_events(const store::RunRecord& run, long long first_seq);

}  // namespace agenthost::runs
