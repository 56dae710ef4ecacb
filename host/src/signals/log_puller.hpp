// The scheduler that pulls registered log sources (seed 002) into the same
// path as POST /api/signals/logs: every enabled source, each at its own
// interval, is read from its stored cursor by a small pool of workers; the
// lines that look like errors become signals (fingerprint, incident, the SRE
// agent's run, full-text index) and the cursor moves in the transaction
// that stores them. Each pull is claimed through a lease in the database,
// so of several hosts on one PostgreSQL database one pulls a source at a
// time. A failing source records its error and backs off exponentially;
// nothing a source does stops the host or the other sources.
#pragma once

#include "signals/incident_service.hpp"
#include "signals/log_source.hpp"
#include "signals/pull_settings.hpp"

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace agenthost::signals {

class LogPuller {
  public:
    // `owner` names this host in leases.
    LogPuller(IncidentService& incidents, PullSettings settings, std::string owner);
    ~LogPuller();
    LogPuller(const LogPuller&) = delete;
    LogPuller& operator=(const LogPuller&) = delete;

    void start();
    // Lets running pulls finish (their cursor moves or not, never half).
    void stop();

    // Claims and pulls `source` now if it is due and free; true when pulled
    // (successfully or not). Called by the workers.
    bool pull(const LogSourceConfig& source);

  private:
    void schedule_loop();
    void work_loop();
    // Sources of every tenant, enabled or not; unreadable ones logged once.
    std::vector<LogSourceConfig> sources();

    IncidentService& incidents_;
    PullSettings settings_;
    std::string owner_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::deque<LogSourceConfig> queue_;
    std::set<std::string> busy_;                  // queued or being pulled
    std::map<std::string, long long> not_before_;  // source id -> when to look again
    std::set<std::string> reported_;              // unreadable sources already logged
    std::thread scheduler_;
    std::vector<std::thread> workers_;
};

}  // namespace agenthost::signals
