// A fixed set of threads that execute agent runs, fed by a queue. The
// dispatcher bounds what it queues (workers.queue_limit: the runs one host
// holds), so the queue itself refuses nothing until the pool stops.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace agenthost::runs {

class WorkerPool {
  public:
    explicit WorkerPool(size_t threads);
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    // False when the pool is stopping.
    bool try_submit(std::function<void()> job);

    // Stops accepting work, finishes what was accepted, joins the threads.
    void stop();

    size_t threads() const { return threads_.size(); }
    size_t queued() const;
    size_t busy() const;

  private:
    void work();

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::function<void()>> queue_;
    size_t busy_ = 0;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace agenthost::runs
