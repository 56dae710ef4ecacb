#include "plugins/library_watcher.hpp"

#include "util/log.hpp"

namespace agenthost::plugins {

LibraryWatcher::LibraryWatcher(AgentRegistry& registry, std::chrono::milliseconds interval)
    : registry_(registry), interval_(interval), thread_([this] { loop(); }) {}

LibraryWatcher::~LibraryWatcher() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void LibraryWatcher::loop() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
        lock.unlock();
        try {
            check_once();
        } catch (const std::exception& e) {
            log::error("plugin watch failed", {{"error", e.what()}});
        }
        lock.lock();
    }
}

void LibraryWatcher::check_once() {
    for (const auto& agent : registry_.loaded_agents()) {
        const std::string& name = agent->name();
        LibraryIdentity on_disk = identify_library(agent->manifest().library_path);
        LibraryIdentity previous = seen_[name];
        seen_[name] = on_disk;
        // Gone (mid-rebuild), unchanged, still being written, or known bad.
        if (!on_disk.exists() || on_disk == agent->library_identity() || on_disk != previous) continue;
        if (refused_.count(name) && refused_[name] == on_disk) continue;
        log::info("plugin library changed on disk: loading the new build", {{"agent", name},
                                                                            {"library", agent->manifest().library_path}});
        AgentReload outcome = registry_.reload_agent(name);
        if (outcome.result == AgentReload::reloaded) refused_.erase(name);
        else refused_[name] = on_disk;
    }
}

}  // namespace agenthost::plugins
