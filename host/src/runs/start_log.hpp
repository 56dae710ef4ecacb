// Which claimed runs really reached their plugin, kept where a killed
// process leaves it behind.
//
// A run's attempt is committed when it is claimed (or handed off as it is
// accepted), in batches, so that no worker waits for a commit before
// calling a plugin. A run claimed ahead of a free worker may never start
// when the host dies; recovery (SQLite: the next start of this host) reads
// this log to give such runs their attempt back instead of failing them as
// abandoned. One write(2) per started run, no fsync: the page cache
// survives a killed process, which is all this needs (after a power loss
// the log may be short, and the runs it misses are charged, as before).
#pragma once

#include <mutex>
#include <set>
#include <string>

namespace agenthost::runs {

class StartLog {
  public:
    // "" disables the log (PostgreSQL: another host takes the runs over and
    // cannot read this file).
    explicit StartLog(std::string path);
    ~StartLog();
    StartLog(const StartLog&) = delete;
    StartLog& operator=(const StartLog&) = delete;

    bool enabled() const { return fd_ >= 0; }
    // Before the run's plugin code is called.
    void record(const std::string& run_id);
    // Past a size, starts the file again with only `still_running` in it:
    // only runs that may still be running matter to recovery.
    void compact_if_large(const std::set<std::string>& still_running);

    // The run ids in the log (empty when there is none).
    std::set<std::string> read() const;
    // Empties the log once recovery has applied it.
    void clear();

  private:
    std::string path_;
    int fd_ = -1;
    std::mutex mutex_;
    size_t bytes_ = 0;
};

}  // namespace agenthost::runs
