// The task router in force: replaced whole when a reload changes the set of
// agents, while requests routing at that moment finish on the one they got.
#pragma once

#include "routing/task_router.hpp"

#include <memory>
#include <mutex>

namespace agenthost::routing {

class RouterSlot {
  public:
    explicit RouterSlot(std::shared_ptr<const TaskRouter> router) : router_(std::move(router)) {}
    std::shared_ptr<const TaskRouter> get() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return router_;
    }
    void set(std::shared_ptr<const TaskRouter> router) {
        std::lock_guard<std::mutex> lock(mutex_);
        router_ = std::move(router);
    }

  private:
    mutable std::mutex mutex_;
    std::shared_ptr<const TaskRouter> router_;
};

}  // namespace agenthost::routing
