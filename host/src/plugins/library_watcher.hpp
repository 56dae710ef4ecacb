// The plugin author's dev loop (plugins.watch, --watch): rebuild the plugin,
// and the host loads the new build for the next runs without a restart.
// Polls the libraries of loaded agents; a new build is loaded once it has
// stayed unchanged for one interval (a linker still writing it is not), and
// a build that fails to load is reported once, not retried every interval.
#pragma once

#include "plugins/agent_registry.hpp"
#include "plugins/library_file.hpp"

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace agenthost::plugins {

class LibraryWatcher {
  public:
    LibraryWatcher(AgentRegistry& registry, std::chrono::milliseconds interval);
    ~LibraryWatcher();  // stops the thread
    LibraryWatcher(const LibraryWatcher&) = delete;
    LibraryWatcher& operator=(const LibraryWatcher&) = delete;

  private:
    // One look at every loaded agent's library, each interval.
    void check_once();
    void loop();

    AgentRegistry& registry_;
    std::chrono::milliseconds interval_;
    // Per agent: the build seen on disk at the last look, and a build whose
    // load failed (left alone until the file changes again).
    std::map<std::string, LibraryIdentity> seen_, refused_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace agenthost::plugins
