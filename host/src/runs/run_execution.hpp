// The host services one executing run gives its plugin: events appended to
// the durable log (fenced by the claim's token) and thread memory in the
// store.
#pragma once

#include "plugins/run_context.hpp"
#include "runs/event_feed.hpp"
#include "store/store.hpp"

#include <rapidjson/document.h>

#include <atomic>

namespace agenthost::runs {

class StoredRunServices : public plugins::RunServices {
  public:
    StoredRunServices(store::Store& store, EventFeed& feed, const store::RunRecord& run, long long next_seq)
        : store_(store), feed_(feed), run_(run), next_seq_(next_seq) {}

    void emit_event(const std::string& type, const std::string& data_json) override;
    std::optional<std::string> memory_get(const std::string& key) override;
    void memory_put(const std::string& key, const std::string& value_json) override;

    // The sequence number the next event gets.
    long long next_seq() const { return next_seq_.load(); }
    // Reserves the next number for an event the host writes itself.
    long long take_seq() { return next_seq_.fetch_add(1); }

  private:
    store::Store& store_;
    EventFeed& feed_;
    const store::RunRecord& run_;
    std::atomic<long long> next_seq_;
};

// {"run_id","thread_id","task","context","attempt"}: what a plugin's invoke
// receives, plus the members of `extra` (iteration, remediation, ...).
std::string agent_input(const store::RunRecord& run, const rapidjson::Value* extra = nullptr);

// The run's final events: one "artifact" event per result.artifacts entry,
// then run.succeeded, run.failed or run.cancelled.
std::vector<store::RunEvent> final_events(const store::RunRecord& run, long long first_seq);

}  // namespace agenthost::runs
