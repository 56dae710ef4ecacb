#include "routing/llm_route.hpp"

#include "json/json_util.hpp"

#include <rapidjson/document.h>

#include <exception>

namespace agenthost::routing {
namespace {

constexpr size_t kMaxReasonChars = 500;

// Cuts at a character boundary so a truncated description stays valid UTF-8.
std::string truncate_utf8(const std::string& text, size_t limit) {
    if (text.size() <= limit) return text;
    size_t end = limit;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    return text.substr(0, end) + "...";
}

std::string agents_json(const std::vector<AgentProfile>& agents, const RouterSettings& settings) {
    rapidjson::Document list(rapidjson::kArrayType);
    auto& allocator = list.GetAllocator();
    for (const auto& agent : agents) {
        rapidjson::Value entry(rapidjson::kObjectType);
        entry.AddMember("name", json::string_value(agent.name, allocator), allocator);
        entry.AddMember("domain", json::string_value(agent.domain, allocator), allocator);
        entry.AddMember("description",
                        json::string_value(truncate_utf8(agent.description, settings.llm_description_chars), allocator),
                        allocator);
        rapidjson::Value keywords(rapidjson::kArrayType);
        for (const auto& keyword : agent.keywords) keywords.PushBack(json::string_value(keyword, allocator), allocator);
        entry.AddMember("keywords", keywords, allocator);
        list.PushBack(entry, allocator);
    }
    return json::serialize(list);
}

const AgentProfile* find_agent(const std::vector<AgentProfile>& agents, const std::string& name) {
    for (const auto& agent : agents)
        if (agent.name == name) return &agent;
    return nullptr;
}

LlmChoice refuse(std::string error) {
    LlmChoice choice;
    choice.error = std::move(error);
    return choice;
}

}  // namespace

llm::CompletionRequest build_route_request(const std::string& task, const std::vector<AgentProfile>& agents,
                                           const RouterSettings& settings) {
    llm::CompletionRequest request;
    request.json_mode = true;
    request.temperature = 0;  // routing should not be creative
    request.max_tokens = settings.llm_max_tokens;
    request.messages.push_back(
        {"system",
         "You are the root routing supervisor of an agent host. Pick the domain (infrastructure, development, "
         "operations or text) and then the single agent of that domain best suited to the user's task. Choose "
         "only among the agents listed. Answer with one JSON object and nothing else: "
         "{\"domain\": \"<domain>\", \"agent\": \"<agent name>\", \"reason\": \"<one sentence>\"}. "
         "If no listed agent can do the task, answer {\"domain\": null, \"agent\": null, \"reason\": \"...\"}."});
    request.messages.push_back({"user", "Agents:\n" + agents_json(agents, settings) +
                                            "\n\nTask:\n" + truncate_utf8(task, settings.llm_task_chars)});
    return request;
}

LlmChoice parse_route_answer(const std::string& content, const std::vector<AgentProfile>& agents) {
    size_t open = content.find('{');
    size_t close = content.rfind('}');
    if (open == std::string::npos || close == std::string::npos || close < open)
        return refuse("the LLM answer is not a JSON object");
    std::string error;
    auto document = json::parse(std::string_view(content).substr(open, close - open + 1), error);
    if (!document) return refuse("the LLM answer is not valid JSON: " + error);
    if (!document->IsObject()) return refuse("the LLM answer is not a JSON object");

    const auto* agent = json::get_member(*document, "agent");
    if (agent == nullptr || agent->IsNull() || (agent->IsString() && agent->GetStringLength() == 0))
        return refuse("the LLM found no fitting agent");
    if (!agent->IsString()) return refuse("the LLM answer's agent is not a string");
    std::string name(agent->GetString(), agent->GetStringLength());
    const AgentProfile* profile = find_agent(agents, name);
    if (profile == nullptr) return refuse("the LLM chose '" + truncate_utf8(name, 100) + "', which is not an enabled agent");

    const auto* domain = json::get_member(*document, "domain");
    if (domain != nullptr && !domain->IsNull()) {
        std::string named = domain->IsString() ? std::string(domain->GetString(), domain->GetStringLength()) : "";
        if (named != profile->domain)
            return refuse("the LLM chose agent '" + name + "' of domain '" + profile->domain + "' under domain '" +
                          truncate_utf8(named, 100) + "'");
    }

    LlmChoice choice;
    choice.accepted = true;
    choice.agent = profile->name;
    choice.domain = profile->domain;
    choice.reason = truncate_utf8(json::get_string(*document, "reason"), kMaxReasonChars);
    return choice;
}

LlmChoice ask_llm_for_route(const std::string& task, const std::vector<AgentProfile>& agents,
                            llm::LlmClient& client, const RouterSettings& settings) {
    // Any failure of the provider or the client becomes a refusal: routing
    // must still answer from the offline score.
    try {
        llm::CompletionResponse response = client.complete(build_route_request(task, agents, settings));
        return parse_route_answer(response.content, agents);
    } catch (const llm::LlmError& e) {
        return refuse(std::string("LLM request failed: ") + e.what());
    } catch (const std::exception& e) {
        return refuse(std::string("LLM client error: ") + e.what());
    } catch (...) {
        return refuse("LLM client error: unknown exception");
    }
}

}  // namespace agenthost::routing
