// Crons: schedules that create a run at each tick. The business side of
// api/crons_api.cpp (create, find, search, delete) and the ticker every
// host runs: it reads the crons that are due, and for each claims the tick
// and inserts its run in one transaction (store::CronRepository::claim_tick),
// so a tick fires once however many hosts share the database.
//
// Missed ticks: a tick is missed when it is more than kMissedAfterMs late
// or a later tick has also come due (every host was down, or busy). The
// cron's on_missed says what then happens: once (the default) fires one run
// for all the ticks missed, skip fires none; either way the next tick is
// the first one after now. A cron on a thread that has been deleted is
// deleted at its next tick (no run brings the thread back).
#pragma once

#include "crons/cron_schedule.hpp"
#include "runs/run_service.hpp"
#include "store/cron_repository.hpp"
#include "store/store.hpp"

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace agenthost::crons {

// What a client asks for; validated by CronService::create.
struct CronRequest {
    std::string agent_name;
    std::string task;
    std::string context_json = "{}";
    std::string thread_id;  // "": a new thread per firing
    std::string schedule;
    std::string timezone = "UTC";
    std::string on_missed = "once";
    long long end_time_ms = 0;  // 0: none
    std::string multitask_strategy = "enqueue";
    std::string on_completion = "keep";
    std::string metadata_json = "{}";
    std::string tenant;
    std::string key_id;
};

// A request the schedule, time zone or end time of which is wrong:
// `field` is the body member at fault.
struct CronRejection {
    std::string field;
    std::string message;
};

class CronService {
  public:
    static constexpr long long kMissedAfterMs = 60000;

    CronService(store::Store& store, runs::RunService& runs, long long poll_ms);
    ~CronService();
    CronService(const CronService&) = delete;
    CronService& operator=(const CronService&) = delete;

    // Checks schedule, time zone and end time and computes the first tick.
    // Throws CronRejection.
    store::CronRecord prepare(const CronRequest& request) const;
    // Stores a prepared cron (throws StoreUnavailable).
    void insert(const store::CronRecord& cron);
    std::optional<store::CronRecord> find(const std::string& id);
    std::vector<store::CronRecord> search(const store::CronFilter& filter);
    bool remove(const std::string& id);

    // The tenant's quota, asked before a tick inserts its run (a cron is a
    // run-creating request made by the schedule instead of a client):
    // "" admits and counts the run, otherwise why not. A refused tick is
    // claimed without a run, like a skipped one, so it is not retried.
    using Admission = std::function<std::string(const std::string& tenant, long long now_ms)>;
    void set_admission(Admission admission) { admission_ = std::move(admission); }

    // The ticker.
    void start();
    void stop();
    // Looks for due ticks once, now (the ticker calls it; so can tests).
    size_t fire_due();

  private:
    // Claims `cron`'s due tick and inserts its run (unless skipped).
    bool fire(const store::CronRecord& cron, long long now);
    void loop();

    store::Store& store_;
    runs::RunService& runs_;
    store::CronRepository crons_;
    long long poll_ms_;
    Admission admission_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread ticker_;
};

}  // namespace agenthost::crons
