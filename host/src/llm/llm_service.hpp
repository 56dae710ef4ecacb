// The host's LlmClient: picks the provider and model for each caller (the
// host-wide setting or the agent's override), counts token usage per agent
// in memory, and keeps the providers' health for GET /health from the
// outcome of the latest call or a cached connection probe — /health never
// waits on the network.
#pragma once

#include "llm/llm_client.hpp"
#include "llm/llm_settings.hpp"
#include "llm/provider.hpp"

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

namespace agenthost::llm {

struct AgentUsage {
    long long calls = 0;
    long long failures = 0;
    long long input_tokens = 0;
    long long output_tokens = 0;
};

struct LlmHealth {
    std::string status;    // healthy | not_configured | unreachable
    std::string provider;  // the host-wide provider
    std::string model;
    std::string detail;    // why unreachable (never a key)
};

class LlmService : public LlmClient {
  public:
    explicit LlmService(LlmSettings settings);
    ~LlmService() override;
    LlmService(const LlmService&) = delete;
    LlmService& operator=(const LlmService&) = delete;

    bool configured(const std::string& agent = "") const override;
    CompletionResponse complete(const CompletionRequest& request, const std::string& agent = "",
                                const TokenSink& sink = {}) override;
    ProviderChoice choice(const std::string& agent = "") const override;

    // What stops the host from starting: an unknown provider name, a
    // provider without the key it needs. "" when fine.
    std::string problem() const;

    // Probes every remote provider in use once (bounded by the connect
    // timeout, at most 2 s each), then keeps the result fresh in the
    // background while /health is being asked.
    void start();
    void stop();

    LlmHealth health();
    AgentUsage usage(const std::string& agent) const;
    std::map<std::string, AgentUsage> all_usage() const;

    const LlmSettings& settings() const { return settings_; }

  private:
    struct ProviderState {
        bool known = false;
        bool reachable = false;
        std::string detail;
        std::chrono::steady_clock::time_point checked;
    };

    Provider& provider_named(const std::string& name) const;
    std::vector<std::string> remote_providers_in_use() const;
    void probe(const std::string& name);
    void record_outcome(const std::string& provider, bool reachable, const std::string& detail);
    void probe_loop();

    LlmSettings settings_;
    std::unique_ptr<Provider> offline_;
    std::unique_ptr<Provider> openai_;
    std::unique_ptr<Provider> anthropic_;

    mutable std::mutex mutex_;
    std::map<std::string, AgentUsage> usage_;
    std::map<std::string, ProviderState> states_;
    std::condition_variable wake_;
    bool probe_wanted_ = false;
    bool stopping_ = false;
    std::thread prober_;
};

}  // namespace agenthost::llm
