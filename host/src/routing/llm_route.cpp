#include "routing/llm_route.hpp"

#include "json/json_util.hpp"

#include <rapidjson/document.h>
#include <textkit/json_answer.hpp>

#include <cctype>
#include <exception>

namespace agenthost::routing {
namespace {

constexpr size_t kMaxReasonChars = 500;
constexpr const char* kAnswerShape =
    "{\"domain\": \"<domain>\", \"agent\": \"<agent name>\", \"reason\": \"<one sentence>\"}, or {\"domain\": null, "
    "\"agent\": null, \"reason\": \"...\"} when no listed agent can do the task";

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

std::string lower_ascii(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-'; }

// Whether `name` occurs in `text` as a whole word ("summarizer", not
// "summarizers" or "my_summarizer").
bool names_word(const std::string& text, const std::string& name) {
    for (size_t at = text.find(name); at != std::string::npos; at = text.find(name, at + 1)) {
        bool starts = at == 0 || !is_name_char(text[at - 1]);
        size_t after = at + name.size();
        bool ends = after == text.size() || !is_name_char(text[after]);
        if (starts && ends) return true;
    }
    return false;
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
    auto object = textkit::find_json_object(content);
    if (!object) return refuse("the LLM answer holds no JSON object");
    std::string error;
    auto document = json::parse(*object, error);
    if (!document) return refuse("the LLM answer is not valid JSON: " + error);

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

LlmChoice parse_route_prose(const std::string& content, const std::vector<AgentProfile>& agents) {
    const std::string prose = lower_ascii(textkit::prose_of(content));
    std::vector<const AgentProfile*> named;
    for (const auto& agent : agents)
        if (names_word(prose, lower_ascii(agent.name))) named.push_back(&agent);
    if (named.size() != 1)
        return refuse(named.empty() ? "the LLM answered in prose naming no enabled agent"
                                    : "the LLM answered in prose naming several agents");
    LlmChoice choice;
    choice.accepted = true;
    choice.agent = named[0]->name;
    choice.domain = named[0]->domain;
    choice.reason = "read from its prose answer: " + truncate_utf8(textkit::prose_of(content), kMaxReasonChars);
    return choice;
}

LlmChoice ask_llm_for_route(const std::string& task, const std::vector<AgentProfile>& agents,
                            llm::LlmClient& client, const RouterSettings& settings) {
    // Any failure of the provider or the client becomes a refusal: routing
    // must still answer from the offline score.
    try {
        llm::CompletionRequest request = build_route_request(task, agents, settings);
        llm::CompletionResponse response = client.complete(request);
        LlmChoice choice = parse_route_answer(response.content, agents);
        if (choice.accepted) return choice;
        // One correction: the model sees its answer and what was wrong.
        request.messages.push_back({"assistant", response.content});
        request.messages.push_back({"user", textkit::corrective_message(choice.error, kAnswerShape)});
        response = client.complete(request);
        choice = parse_route_answer(response.content, agents);
        if (choice.accepted || textkit::find_json_object(response.content)) return choice;
        return parse_route_prose(response.content, agents);
    } catch (const llm::LlmError& e) {
        return refuse(std::string("LLM request failed: ") + e.what());
    } catch (const std::exception& e) {
        return refuse(std::string("LLM client error: ") + e.what());
    } catch (...) {
        return refuse("LLM client error: unknown exception");
    }
}

}  // namespace agenthost::routing
