#include "llm/llm_service.hpp"

#include "llm/anthropic_provider.hpp"
#include "llm/http_transport.hpp"
#include "llm/offline_provider.hpp"
#include "llm/openai_provider.hpp"
#include "metrics/host_metrics.hpp"
#include "telemetry/host_spans.hpp"
#include "util/log.hpp"

#include <algorithm>
#include <set>

namespace agenthost::llm {
namespace {

// A probe result older than this is refreshed (in the background) when
// /health is asked.
constexpr auto kProbeMaxAge = std::chrono::seconds(30);

// The URL without user:password@, for logs.
std::string display_url(const std::string& url) {
    size_t scheme = url.find("://");
    size_t start = scheme == std::string::npos ? 0 : scheme + 3;
    size_t at = url.find('@', start);
    size_t slash = url.find('/', start);
    if (at == std::string::npos || (slash != std::string::npos && at > slash)) return url;
    return url.substr(0, start) + url.substr(at + 1);
}

}  // namespace

LlmService::LlmService(LlmSettings settings)
    : settings_(std::move(settings)),
      offline_(std::make_unique<OfflineProvider>()),
      openai_(std::make_unique<OpenAiProvider>(settings_)),
      anthropic_(std::make_unique<AnthropicProvider>(settings_)) {}

LlmService::~LlmService() { stop(); }

Provider& LlmService::provider_named(const std::string& name) const {
    if (name == "openai") return *openai_;
    if (name == "anthropic") return *anthropic_;
    return *offline_;
}

ProviderChoice LlmService::choice(const std::string& agent) const {
    ProviderChoice chosen{settings_.provider, settings_.model};
    auto found = settings_.agents.find(agent);
    if (!agent.empty() && found != settings_.agents.end()) {
        if (!found->second.provider.empty() && found->second.provider != chosen.provider) {
            chosen.provider = found->second.provider;
            chosen.model.clear();  // another provider's model name would not fit
        }
        if (!found->second.model.empty()) chosen.model = found->second.model;
    }
    if (!is_provider_name(chosen.provider)) chosen.provider = "offline";
    if (chosen.model.empty()) chosen.model = provider_named(chosen.provider).default_model();
    return chosen;
}

bool LlmService::configured(const std::string& agent) const { return choice(agent).provider != "offline"; }

std::vector<std::string> LlmService::remote_providers_in_use() const {
    std::set<std::string> names;
    if (settings_.provider != "offline") names.insert(settings_.provider);
    for (const auto& [agent, override_] : settings_.agents)
        if (!override_.provider.empty() && override_.provider != "offline") names.insert(override_.provider);
    return {names.begin(), names.end()};
}

std::string LlmService::problem() const {
    std::vector<std::string> names = {settings_.provider};
    for (const auto& [agent, override_] : settings_.agents)
        if (!override_.provider.empty()) names.push_back(override_.provider);
    for (const auto& name : names)
        if (!is_provider_name(name)) return "llm provider must be offline, openai or anthropic, got '" + name + "'";
    for (const auto& name : remote_providers_in_use()) {
        // OpenAI-compatible local servers (Ollama, vLLM) need no key.
        if (name == "anthropic" && settings_.anthropic_api_key.empty())
            return "the anthropic provider needs ANTHROPIC_API_KEY (or llm.anthropic.api_key)";
        if (name == "openai" && settings_.openai_base_url.empty()) return "the openai provider needs a base URL";
        if (name == "anthropic" && settings_.anthropic_base_url.empty()) return "the anthropic provider needs a base URL";
    }
    return "";
}

CompletionResponse LlmService::complete(const CompletionRequest& request, const std::string& agent,
                                        const TokenSink& sink) {
    ProviderChoice chosen = choice(agent);
    CompletionRequest resolved = request;
    if (resolved.model.empty()) resolved.model = chosen.model;
    Provider& provider = provider_named(chosen.provider);
    const std::string key = agent.empty() ? "(host)" : agent;
    metrics::HostMetrics& m = metrics::host_metrics();
    auto started = std::chrono::steady_clock::now();
    auto seconds = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(); };
    telemetry::LlmSpan traced(chosen.provider, resolved.model, static_cast<bool>(sink));
    try {
        CompletionResponse response = provider.complete(resolved, sink);
        if (response.provider.empty()) response.provider = chosen.provider;
        traced.succeeded(response.model, response.usage.input_tokens, response.usage.output_tokens);
        m.llm_calls.add({chosen.provider, resolved.model, "ok"});
        m.llm_duration.observe({chosen.provider, resolved.model}, seconds());
        m.llm_tokens.add({chosen.provider, resolved.model, "input"}, static_cast<double>(response.usage.input_tokens));
        m.llm_tokens.add({chosen.provider, resolved.model, "output"}, static_cast<double>(response.usage.output_tokens));
        {
            std::lock_guard<std::mutex> lock(mutex_);
            AgentUsage& counted = usage_[key];
            ++counted.calls;
            counted.input_tokens += response.usage.input_tokens;
            counted.output_tokens += response.usage.output_tokens;
        }
        if (chosen.provider != "offline") record_outcome(chosen.provider, true, "");
        return response;
    } catch (const ProviderError& e) {
        traced.failed(e.what());
        m.llm_calls.add({chosen.provider, resolved.model, "failed"});
        m.llm_duration.observe({chosen.provider, resolved.model}, seconds());
        {
            std::lock_guard<std::mutex> lock(mutex_);
            AgentUsage& counted = usage_[key];
            ++counted.calls;
            ++counted.failures;
        }
        record_outcome(chosen.provider, e.reached, e.reached ? "" : e.what());
        log::warn("llm call failed", {{"agent", key}, {"provider", chosen.provider}, {"error", e.what()}});
        throw;
    }
}

void LlmService::record_outcome(const std::string& provider, bool reachable, const std::string& detail) {
    std::lock_guard<std::mutex> lock(mutex_);
    ProviderState& state = states_[provider];
    state.known = true;
    state.reachable = reachable;
    state.detail = detail;
    state.checked = std::chrono::steady_clock::now();
}

void LlmService::probe(const std::string& name) {
    Provider& provider = provider_named(name);
    std::string error;
    long long timeout = std::min<long long>(settings_.connect_timeout_ms, 2000);
    bool reachable = http_reachable(provider.base_url(), timeout, error);
    record_outcome(name, reachable, reachable ? "" : name + " at " + display_url(provider.base_url()) + ": " + error);
}

void LlmService::start() {
    ProviderChoice host_choice = choice();
    log::info("llm provider", {{"provider", host_choice.provider},
                               {"model", host_choice.model},
                               {"base_url", host_choice.provider == "offline"
                                                ? std::string("")
                                                : display_url(provider_named(host_choice.provider).base_url())},
                               {"api_key", host_choice.provider == "openai"
                                               ? (settings_.openai_api_key.empty() ? "not set" : "set")
                                           : host_choice.provider == "anthropic"
                                               ? (settings_.anthropic_api_key.empty() ? "not set" : "set")
                                               : "not needed"}});
    for (const auto& name : remote_providers_in_use()) probe(name);
    if (!remote_providers_in_use().empty()) prober_ = std::thread([this] { probe_loop(); });
}

void LlmService::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (prober_.joinable()) prober_.join();
}

void LlmService::probe_loop() {
    for (;;) {
        {
            std::unique_lock<std::mutex> lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || probe_wanted_; });
            if (stopping_) return;
            probe_wanted_ = false;
        }
        auto now = std::chrono::steady_clock::now();
        for (const auto& name : remote_providers_in_use()) {
            bool stale;
            {
                std::lock_guard<std::mutex> lock(mutex_);
                const ProviderState& state = states_[name];
                stale = !state.known || now - state.checked > kProbeMaxAge;
            }
            if (stale) probe(name);
        }
    }
}

LlmHealth LlmService::health() {
    LlmHealth health;
    ProviderChoice host_choice = choice();
    health.provider = host_choice.provider;
    health.model = host_choice.model;
    std::vector<std::string> remote = remote_providers_in_use();
    if (remote.empty()) {
        health.status = "not_configured";
        return health;
    }
    health.status = "healthy";
    bool stale = false;
    auto now = std::chrono::steady_clock::now();
    {
        std::lock_guard<std::mutex> lock(mutex_);
        for (const auto& name : remote) {
            const ProviderState& state = states_[name];
            if (!state.known || now - state.checked > kProbeMaxAge) stale = true;
            if (state.known && !state.reachable) {
                health.status = "unreachable";
                if (health.detail.empty()) health.detail = state.detail;
            }
        }
        if (stale) probe_wanted_ = true;
    }
    if (stale) wake_.notify_all();
    return health;
}

AgentUsage LlmService::usage(const std::string& agent) const {
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = usage_.find(agent);
    return found == usage_.end() ? AgentUsage{} : found->second;
}

std::map<std::string, AgentUsage> LlmService::all_usage() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return usage_;
}

}  // namespace agenthost::llm
