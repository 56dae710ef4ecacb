// How a text agent uses the host's LLM: the host tells it in input.llm
// which provider serves it ({"provider", "model", "fallback"}, present only
// with the "llm" permission); with "offline" or no llm object the agent runs
// its own offline algorithm. Header-only because it speaks the SDK's Run.
#pragma once

#include <agenthost/agent.hpp>

#include <rapidjson/document.h>

#include <stdexcept>
#include <string>
#include <string_view>

namespace textkit {

struct LlmTarget {
    std::string provider;  // "" when the host gave no llm object
    std::string model;
    std::string fallback = "fail";  // or "offline"
    bool use() const { return !provider.empty() && provider != "offline"; }
};

inline LlmTarget llm_target(const agenthost::Run& run) {
    LlmTarget target;
    const rapidjson::Document& input = run.input();
    auto llm = input.FindMember("llm");
    if (llm == input.MemberEnd() || !llm->value.IsObject()) return target;
    auto text = [&](const char* name, std::string& out) {
        auto found = llm->value.FindMember(name);
        if (found != llm->value.MemberEnd() && found->value.IsString()) out = found->value.GetString();
    };
    text("provider", target.provider);
    text("model", target.model);
    text("fallback", target.fallback);
    return target;
}

// {"messages": [system, user], "json_mode": true, "temperature": 0, "max_tokens": N}
inline std::string json_mode_request(std::string_view system, std::string_view user, int max_tokens) {
    rapidjson::Document request(rapidjson::kObjectType);
    auto& allocator = request.GetAllocator();
    rapidjson::Value messages(rapidjson::kArrayType);
    rapidjson::Value first(rapidjson::kObjectType);
    first.AddMember("role", "system", allocator);
    first.AddMember("content", agenthost::json::string(system, allocator), allocator);
    messages.PushBack(first, allocator);
    rapidjson::Value second(rapidjson::kObjectType);
    second.AddMember("role", "user", allocator);
    second.AddMember("content", agenthost::json::string(user, allocator), allocator);
    messages.PushBack(second, allocator);
    request.AddMember("messages", messages, allocator);
    request.AddMember("json_mode", true, allocator);
    request.AddMember("temperature", 0.0, allocator);
    request.AddMember("max_tokens", max_tokens, allocator);
    return agenthost::json::serialize(request);
}

// The answer's JSON object. Models sometimes wrap it in a ```json fence
// despite being told not to; anything else that is not one JSON object is
// refused (std::runtime_error saying why).
inline rapidjson::Document parse_answer_object(std::string_view content) {
    std::string_view text = content;
    auto trim = [](std::string_view s) {
        size_t start = s.find_first_not_of(" \t\r\n");
        if (start == std::string_view::npos) return std::string_view{};
        return s.substr(start, s.find_last_not_of(" \t\r\n") - start + 1);
    };
    text = trim(text);
    if (text.rfind("```", 0) == 0) {
        size_t first_line = text.find('\n');
        size_t closing = text.rfind("```");
        if (first_line != std::string_view::npos && closing > first_line)
            text = trim(text.substr(first_line + 1, closing - first_line - 1));
    }
    rapidjson::Document document;
    document.Parse(text.data(), text.size());
    if (document.HasParseError() || !document.IsObject())
        throw std::runtime_error("the model's answer is not a JSON object");
    return document;
}

// The "content" of the host's response to an llm_complete call.
inline std::string response_content(const std::string& response_json) {
    rapidjson::Document response;
    response.Parse(response_json.data(), response_json.size());
    if (response.HasParseError() || !response.IsObject() || !response.HasMember("content") ||
        !response["content"].IsString())
        throw std::runtime_error("the host's LLM response has no content");
    return std::string(response["content"].GetString(), response["content"].GetStringLength());
}

// Runs `llm_path` and, when it fails (provider error or an unusable
// answer), follows the manifest's fallback: `offline_path` with a progress
// event saying why, or a failed run naming the agent and the reason.
template <typename LlmPath, typename OfflinePath>
rapidjson::Document with_llm_fallback(agenthost::Run& run, const LlmTarget& target, std::string_view agent,
                                      LlmPath&& llm_path, OfflinePath&& offline_path) {
    try {
        return llm_path();
    } catch (const agenthost::Cancelled&) {
        throw;
    } catch (const std::exception& e) {
        if (run.cancelled()) throw agenthost::Cancelled();
        if (target.fallback != "offline")
            throw agenthost::Error(AGENTHOST_ERROR_FAILED,
                                   std::string(agent) + ": the LLM (" + target.provider + ") failed: " + e.what());
        run.host().warn(std::string("LLM failed, using the offline algorithm: ") + e.what());
        run.progress(std::string("LLM (") + target.provider + ") failed, used the offline algorithm: " + e.what());
        return offline_path();
    }
}

}  // namespace textkit
