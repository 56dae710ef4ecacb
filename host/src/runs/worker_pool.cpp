#include "runs/worker_pool.hpp"

#include "util/log.hpp"

namespace agenthost::runs {

WorkerPool::WorkerPool(size_t threads) {
    threads_.reserve(threads);
    for (size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
}

WorkerPool::~WorkerPool() { stop(); }

bool WorkerPool::try_submit(std::function<void()> job) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        // A run the dispatcher claimed must never be refused here, or it
        // would sit claimed and unrenewed until its lease ran out.
        if (stopping_) return false;
        queue_.push_back(std::move(job));
    }
    wake_.notify_one();
    return true;
}

void WorkerPool::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (stopping_ && threads_.empty()) return;
        stopping_ = true;
    }
    wake_.notify_all();
    for (auto& thread : threads_) {
        if (thread.joinable()) thread.join();
    }
    threads_.clear();
}

size_t WorkerPool::queued() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return queue_.size();
}

size_t WorkerPool::busy() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return busy_;
}

void WorkerPool::work() {
    for (;;) {
        std::function<void()> job;
        {
            std::unique_lock<std::mutex> lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) return;  // stopping and drained
            job = std::move(queue_.front());
            queue_.pop_front();
            ++busy_;
        }
        try {
            job();
        } catch (const std::exception& e) {
            // Jobs report their own failures; reaching here is a host bug,
            // and one bad job must not take the worker down with it.
            log::error("run job threw", {{"error", e.what()}});
        } catch (...) {
            log::error("run job threw a non-standard exception");
        }
        std::lock_guard<std::mutex> lock(mutex_);
        --busy_;
    }
}

}  // namespace agenthost::runs
