#include "llm/llm_settings.hpp"

#include <cstdlib>
#include <stdexcept>

namespace agenthost::llm {
namespace {

const rapidjson::Value* member(const rapidjson::Value& object, const char* name) {
    if (!object.IsObject()) return nullptr;
    auto found = object.FindMember(name);
    return found == object.MemberEnd() ? nullptr : &found->value;
}

void read_string(const rapidjson::Value& object, const char* name, std::string& out) {
    if (const auto* v = member(object, name); v != nullptr && v->IsString()) out = v->GetString();
}

void read_seconds_as_ms(const rapidjson::Value& object, const char* name, long long& out) {
    if (const auto* v = member(object, name); v != nullptr && v->IsNumber())
        out = static_cast<long long>(v->GetDouble() * 1000);
}

long long env_number(const char* name, long long min, long long max) {
    std::string text = std::getenv(name);
    size_t used = 0;
    long long value = 0;
    try {
        value = std::stoll(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (text.empty() || used != text.size() || value < min || value > max)
        throw std::invalid_argument(std::string(name) + " must be a whole number from " + std::to_string(min) +
                                    " to " + std::to_string(max) + ", got '" + text + "'");
    return value;
}

}  // namespace

bool is_provider_name(const std::string& name) {
    return name == "offline" || name == "openai" || name == "anthropic";
}

void apply_config(LlmSettings& settings, const rapidjson::Value& llm) {
    if (member(llm, "provider") != nullptr) settings.provider_named = true;
    read_string(llm, "provider", settings.provider);
    read_string(llm, "model", settings.model);
    if (const auto* openai = member(llm, "openai")) {
        read_string(*openai, "api_key", settings.openai_api_key);
        read_string(*openai, "base_url", settings.openai_base_url);
        read_string(*openai, "default_model", settings.openai_default_model);
    }
    if (const auto* anthropic = member(llm, "anthropic")) {
        read_string(*anthropic, "api_key", settings.anthropic_api_key);
        read_string(*anthropic, "base_url", settings.anthropic_base_url);
        read_string(*anthropic, "version", settings.anthropic_version);
        read_string(*anthropic, "default_model", settings.anthropic_default_model);
    }
    read_seconds_as_ms(llm, "connect_timeout_seconds", settings.connect_timeout_ms);
    read_seconds_as_ms(llm, "timeout_seconds", settings.timeout_ms);
    if (const auto* v = member(llm, "max_retries"); v != nullptr && v->IsInt()) settings.max_retries = v->GetInt();
    if (const auto* v = member(llm, "retry_base_ms"); v != nullptr && v->IsInt64()) settings.retry_base_ms = v->GetInt64();
    if (const auto* v = member(llm, "retry_max_ms"); v != nullptr && v->IsInt64()) settings.retry_max_ms = v->GetInt64();
    if (const auto* v = member(llm, "default_max_tokens"); v != nullptr && v->IsInt())
        settings.default_max_tokens = v->GetInt();
    if (const auto* agents = member(llm, "agents"); agents != nullptr && agents->IsObject()) {
        for (const auto& entry : agents->GetObject()) {
            AgentLlmSettings agent;
            read_string(entry.value, "provider", agent.provider);
            read_string(entry.value, "model", agent.model);
            settings.agents[entry.name.GetString()] = agent;
        }
    }
}

void apply_environment(LlmSettings& settings) {
    auto text = [](const char* name, std::string& out) {
        if (const char* value = std::getenv(name)) out = value;
    };
    if (const char* provider = std::getenv("AGENTHOST_LLM_PROVIDER")) {
        if (!is_provider_name(provider))
            throw std::invalid_argument(std::string("AGENTHOST_LLM_PROVIDER must be offline, openai or anthropic, got '") +
                                        provider + "'");
        settings.provider = provider;
        settings.provider_named = true;
    }
    text("AGENTHOST_LLM_MODEL", settings.model);
    text("OPENAI_API_KEY", settings.openai_api_key);
    text("OPENAI_BASE_URL", settings.openai_base_url);
    text("ANTHROPIC_API_KEY", settings.anthropic_api_key);
    text("ANTHROPIC_BASE_URL", settings.anthropic_base_url);
    // The seeds' users set a key and nothing else: seed 001 needs only
    // ANTHROPIC_API_KEY. With no provider named, a key chooses it
    // (Anthropic's first, as seed 001's default).
    if (!settings.provider_named) {
        if (!settings.anthropic_api_key.empty()) settings.provider = "anthropic";
        else if (!settings.openai_api_key.empty()) settings.provider = "openai";
    }
    if (std::getenv("AGENTHOST_LLM_TIMEOUT_MS")) settings.timeout_ms = env_number("AGENTHOST_LLM_TIMEOUT_MS", 1, 3600000);
    if (std::getenv("AGENTHOST_LLM_CONNECT_TIMEOUT_MS"))
        settings.connect_timeout_ms = env_number("AGENTHOST_LLM_CONNECT_TIMEOUT_MS", 1, 600000);
    if (std::getenv("AGENTHOST_LLM_MAX_RETRIES"))
        settings.max_retries = static_cast<int>(env_number("AGENTHOST_LLM_MAX_RETRIES", 0, 20));
    if (std::getenv("AGENTHOST_LLM_RETRY_BASE_MS"))
        settings.retry_base_ms = env_number("AGENTHOST_LLM_RETRY_BASE_MS", 1, 600000);
}

}  // namespace agenthost::llm
