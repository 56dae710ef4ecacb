// How a text agent uses the host's LLM: the host tells it in input.llm
// which provider serves it ({"provider", "model", "fallback"}, present only
// with the "llm" permission); with "offline" or no llm object the agent runs
// its own offline algorithm. Header-only because it speaks the SDK's Run.
#pragma once

#include <agenthost/agent.hpp>

#include <textkit/json_answer.hpp>

#include <rapidjson/document.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

// {"messages": [...], "json_mode": true, "temperature": 0, "max_tokens": N}
// from (role, content) pairs.
inline std::string json_mode_request(const std::vector<std::pair<std::string, std::string>>& conversation,
                                     int max_tokens) {
    rapidjson::Document request(rapidjson::kObjectType);
    auto& allocator = request.GetAllocator();
    rapidjson::Value messages(rapidjson::kArrayType);
    for (const auto& [role, content] : conversation) {
        rapidjson::Value message(rapidjson::kObjectType);
        message.AddMember("role", agenthost::json::string(role, allocator), allocator);
        message.AddMember("content", agenthost::json::string(content, allocator), allocator);
        messages.PushBack(message, allocator);
    }
    request.AddMember("messages", messages, allocator);
    request.AddMember("json_mode", true, allocator);
    request.AddMember("temperature", 0.0, allocator);
    request.AddMember("max_tokens", max_tokens, allocator);
    return agenthost::json::serialize(request);
}

inline std::string json_mode_request(std::string_view system, std::string_view user, int max_tokens) {
    return json_mode_request({{"system", std::string(system)}, {"user", std::string(user)}}, max_tokens);
}

// The answer's JSON object, found in a code fence or after prose too (see
// json_answer.hpp); std::runtime_error when the answer holds none.
inline rapidjson::Document parse_answer_object(std::string_view content) {
    auto found = find_json_object(content);
    if (!found) throw std::runtime_error("the model's answer holds no JSON object");
    rapidjson::Document document;
    document.Parse(found->data(), found->size());
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

// What the model was asked: the system prompt, the user's message, and the
// shape of the JSON object wanted (restated when the answer is corrected).
struct JsonQuestion {
    std::string system;
    std::string user;
    std::string shape;
    int max_tokens = 400;
};

// Asks for a JSON object and reads it with `read` (which throws
// std::runtime_error naming what is wrong with an object). The object may
// sit in a code fence or after prose. An unusable answer is corrected once:
// the model sees its answer and what was wrong, and answers again. When the
// second answer holds no JSON object either, `read_prose` gets its prose and
// returns a result when the prose carries the answer (std::nullopt when it
// does not); otherwise the last error propagates, for with_llm_fallback.
template <typename Read, typename ReadProse>
auto ask_json(agenthost::Run& run, const JsonQuestion& question, Read&& read, ReadProse&& read_prose)
    -> decltype(read(std::declval<const rapidjson::Document&>())) {
    std::vector<std::pair<std::string, std::string>> conversation{{"system", question.system},
                                                                  {"user", question.user}};
    for (int attempt = 0;; ++attempt) {
        const std::string content = response_content(run.llm_complete(json_mode_request(conversation, question.max_tokens)));
        std::string problem;
        const auto found = find_json_object(content);
        if (found) {
            rapidjson::Document answer;
            answer.Parse(found->data(), found->size());
            try {
                return read(answer);
            } catch (const std::runtime_error& e) {
                problem = e.what();
            }
        } else {
            problem = "the answer holds no JSON object";
        }
        if (attempt == 0) {
            run.progress("the model's answer was not usable (" + problem + "); asking once more");
            conversation.emplace_back("assistant", content);
            conversation.emplace_back("user", corrective_message(problem, question.shape));
            continue;
        }
        if (!found) {
            if (auto from_prose = read_prose(prose_of(content))) {
                run.progress("the model answered in prose; read its answer from the prose");
                return std::move(*from_prose);
            }
        }
        throw std::runtime_error("the model's answer, asked twice, was not usable: " + problem);
    }
}

// For agents whose answer cannot be read from prose.
template <typename Read>
auto ask_json(agenthost::Run& run, const JsonQuestion& question, Read&& read) {
    using Result = decltype(read(std::declval<const rapidjson::Document&>()));
    return ask_json(run, question, std::forward<Read>(read),
                    [](const std::string&) -> std::optional<Result> { return std::nullopt; });
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
