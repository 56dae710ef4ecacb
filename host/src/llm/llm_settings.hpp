// The LLM layer's configuration: which provider serves the host and each
// agent, where the providers are, their keys, and how hard to try. Filled
// from the config file's "llm" section, then the environment.
#pragma once

#include <rapidjson/document.h>

#include <map>
#include <string>

namespace agenthost::llm {

// One agent's override of the host-wide provider or model ("" keeps it).
struct AgentLlmSettings {
    std::string provider;
    std::string model;
};

struct LlmSettings {
    std::string provider = "offline";  // offline | openai | anthropic
    // Whether the config file or AGENTHOST_LLM_PROVIDER named the provider;
    // when neither did, an API key alone chooses it (seed 001).
    bool provider_named = false;
    std::string model;                 // "" : the provider's default model

    std::string openai_api_key;  // never logged or shown
    std::string openai_base_url = "https://api.openai.com/v1";
    std::string openai_default_model = "gpt-4o-mini";

    std::string anthropic_api_key;  // never logged or shown
    std::string anthropic_base_url = "https://api.anthropic.com";
    std::string anthropic_version = "2023-06-01";
    std::string anthropic_default_model = "claude-3-5-haiku-latest";

    long long connect_timeout_ms = 10000;
    long long timeout_ms = 120000;  // a whole attempt, streaming included
    int max_retries = 3;            // attempts after the first
    long long retry_base_ms = 500;  // first backoff; doubles, with jitter
    long long retry_max_ms = 30000; // longest single wait, Retry-After included
    int default_max_tokens = 1024;  // Anthropic requires max_tokens

    std::map<std::string, AgentLlmSettings> agents;
};

// Reads the config file's "llm" object (already schema-validated).
void apply_config(LlmSettings& settings, const rapidjson::Value& llm);

// AGENTHOST_LLM_PROVIDER, AGENTHOST_LLM_MODEL, OPENAI_API_KEY,
// OPENAI_BASE_URL, ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL,
// AGENTHOST_LLM_TIMEOUT_MS, AGENTHOST_LLM_MAX_RETRIES,
// AGENTHOST_LLM_RETRY_BASE_MS. Throws std::invalid_argument naming the
// variable for a value it cannot use.
void apply_environment(LlmSettings& settings);

bool is_provider_name(const std::string& name);

}  // namespace agenthost::llm
