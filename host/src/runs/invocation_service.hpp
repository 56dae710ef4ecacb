// Runs an agent for a request on the worker pool and reports the outcome
// through a callback, so no caller thread ever blocks on agent work.
#pragma once

#include "plugins/agent_registry.hpp"
#include "runs/invocation.hpp"
#include "runs/thread_memory.hpp"
#include "runs/worker_pool.hpp"

#include <functional>
#include <optional>

namespace agenthost::runs {

class InvocationService {
  public:
    InvocationService(const plugins::AgentRegistry& registry, WorkerPool& workers, ThreadMemory& memory)
        : registry_(registry), workers_(workers), memory_(memory) {}

    // Checks the request and queues the run. Returns a rejection when it
    // cannot run; otherwise `done` is called exactly once, on a worker thread.
    std::optional<Rejection> submit(InvokeRequest request, std::function<void(RunOutcome)> done);

  private:
    const plugins::AgentRegistry& registry_;
    WorkerPool& workers_;
    ThreadMemory& memory_;
};

}  // namespace agenthost::runs
