// The SQL for crons: schedules that create a run per tick. A tick is
// claimed by moving next_fire_at_ms on with a conditional UPDATE (the old
// value in the WHERE), in the transaction that inserts the tick's run: on
// PostgreSQL a second host doing the same waits for the row lock, then
// finds the value moved and claims nothing, so each tick is one run.
#pragma once

#include "store/database.hpp"

#include <optional>
#include <string>
#include <vector>

namespace agenthost::store {

struct CronRecord {
    std::string id;
    std::string tenant;
    std::string key_id;     // the principal that created it: its runs count there
    std::string thread_id;  // "": a new thread per firing
    std::string agent;
    std::string task;
    std::string context_json = "{}";
    std::string schedule;
    std::string timezone = "UTC";
    std::string on_missed = "once";  // skip | once
    std::string options_json;        // {"multitask_strategy", "on_completion"}
    std::string metadata_json;       // "" reads as {}
    long long end_time_ms = 0;       // 0: none
    long long next_fire_at_ms = 0;   // 0: no further tick
    long long last_fired_at_ms = 0;
    std::string last_run_id;
    long long fired_count = 0;
    long long created_at_ms = 0;
    long long updated_at_ms = 0;
};

struct CronFilter {
    bool by_tenant = false;
    std::string tenant;
    std::string agent;
    std::string thread_id;
    size_t limit = 50;
    size_t offset = 0;
};

class CronRepository {
  public:
    explicit CronRepository(Dialect dialect) : dialect_(dialect) {}

    void insert(soci::session& session, const CronRecord& cron) const;
    std::optional<CronRecord> find(soci::session& session, const std::string& id) const;
    // Newest first.
    std::vector<CronRecord> list(soci::session& session, const CronFilter& filter) const;
    bool remove(soci::session& session, const std::string& id) const;
    // Crons whose tick at or before `now` has not been claimed, oldest tick first.
    std::vector<CronRecord> due(soci::session& session, long long now, size_t limit) const;
    // Claims the tick `due_ms` of cron `id`: moves it to `next_ms` (0: no
    // further tick) iff it is still `due_ms`. `run_id` is the run created
    // for it ("": none, a missed tick skipped). False: another host claimed
    // it first, or the cron was deleted.
    bool claim_tick(soci::session& session, const std::string& id, long long due_ms, long long next_ms,
                    long long now, const std::string& run_id) const;

    // A cron on a thread that was deleted goes with it: deleted iff its
    // tick is still `due_ms` (the claim) and the thread is gone. True when
    // it was deleted.
    bool remove_if_thread_gone(soci::session& session, const CronRecord& cron, long long due_ms) const;

  private:
    Dialect dialect_;
};

}  // namespace agenthost::store
