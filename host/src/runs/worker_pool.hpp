// A fixed set of threads that execute agent runs, fed by a bounded queue so
// a burst beyond capacity is refused (503) instead of piling up unbounded.
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
    WorkerPool(size_t threads, size_t queue_limit);
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    // False when the pool is stopping.
    bool try_submit(std::function<void()> job);

    // Stops accepting work, finishes what was accepted, joins the threads.
    void stop();

    size_t threads() const { return threads_.size(); }
    // workers.queue_limit: the most runs the dispatcher gives this pool at
    // once (it holds no more); the pool itself refuses none.
    size_t queue_limit() const { return queue_limit_; }
    size_t queued() const;
    size_t busy() const;

  private:
    void work();

    const size_t queue_limit_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::function<void()>> queue_;
    size_t busy_ = 0;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace agenthost::runs
