// What the rest of the host sees of the LLM layer: one request/response shape
// and one client that picks the provider (offline, openai, anthropic) for the
// caller. Routing, reflection and the plugin service table use only this
// header; the providers behind it live beside it in host/src/llm/.
#pragma once

#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace agenthost::llm {

struct Message {
    std::string role;  // system | user | assistant
    std::string content;
};

struct CompletionRequest {
    std::vector<Message> messages;
    std::string model;          // empty: the configured model
    bool json_mode = false;     // ask for a JSON object as the whole answer
    int max_tokens = 0;         // 0: the provider's default
    double temperature = -1;    // < 0: the provider's default
};

struct Usage {
    long long input_tokens = 0;
    long long output_tokens = 0;
};

struct CompletionResponse {
    std::string content;
    Usage usage;
    std::string provider;  // offline | openai | anthropic
    std::string model;
    std::string finish_reason;
};

// Called once per token (or chunk) while a completion streams.
using TokenSink = std::function<void(std::string_view token)>;

// A provider failed after its retries: the message names the provider and
// the last status, never a key.
class LlmError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Which provider and model serve a caller (after per-agent overrides).
struct ProviderChoice {
    std::string provider;  // offline | openai | anthropic
    std::string model;
};

class LlmClient {
  public:
    virtual ~LlmClient() = default;

    // Whether a real (non-offline) provider serves `agent`; "" asks about
    // the host's own uses such as the routing supervisor.
    virtual bool configured(const std::string& agent = "") const = 0;

    // Completes with the provider for `agent` (per-agent overrides apply).
    // Streams through `sink` when it is set. Throws LlmError.
    virtual CompletionResponse complete(const CompletionRequest& request, const std::string& agent = "",
                                        const TokenSink& sink = {}) = 0;

    // The provider and model `agent` gets; the default suits clients that
    // only know configured().
    virtual ProviderChoice choice(const std::string& agent = "") const {
        return {configured(agent) ? "remote" : "offline", ""};
    }
};

}  // namespace agenthost::llm
