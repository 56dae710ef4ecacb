// What every provider implements behind LlmService, and the failure a
// remote provider reports (which also tells the health probe whether the
// provider answered at all).
#pragma once

#include "llm/llm_client.hpp"

#include <string>

namespace agenthost::llm {

// A provider call failed for good. `reached` is false when no HTTP answer
// came back (refused, reset, timed out), for GET /health.
class ProviderError : public LlmError {
  public:
    ProviderError(const std::string& message, int last_status, bool reached)
        : LlmError(message), last_status(last_status), reached(reached) {}
    int last_status;
    bool reached;
};

class Provider {
  public:
    virtual ~Provider() = default;
    virtual std::string name() const = 0;
    virtual std::string default_model() const = 0;
    // Where the health probe connects; "" for none (offline).
    virtual std::string base_url() const = 0;
    // `request.model` is already resolved. Streams through `sink` when set.
    virtual CompletionResponse complete(const CompletionRequest& request, const TokenSink& sink) = 0;
};

}  // namespace agenthost::llm
