#include "llm/offline_provider.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <vector>

namespace agenthost::llm {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::vector<std::string> words_of(std::string_view text) {
    std::vector<std::string> words;
    std::string current;
    for (char c : text) {
        if (is_space(c)) {
            if (!current.empty()) words.push_back(std::move(current));
            current.clear();
        } else {
            current += c;
        }
    }
    if (!current.empty()) words.push_back(std::move(current));
    return words;
}

// Words up to and including the one that ends the first sentence.
std::vector<std::string> first_sentence(const std::vector<std::string>& words) {
    std::vector<std::string> sentence;
    for (const auto& word : words) {
        sentence.push_back(word);
        char last = word.back();
        if (last == '.' || last == '!' || last == '?') break;
    }
    return sentence;
}

std::string join(const std::vector<std::string>& words) {
    std::string text;
    for (const auto& word : words) {
        if (!text.empty()) text += ' ';
        text += word;
    }
    return text;
}

}  // namespace

long long count_words(std::string_view text) { return static_cast<long long>(words_of(text).size()); }

CompletionResponse OfflineProvider::complete(const CompletionRequest& request, const TokenSink& sink) {
    CompletionResponse response;
    response.provider = "offline";
    response.model = request.model.empty() ? default_model() : request.model;
    response.finish_reason = "stop";
    const Message* last_user = nullptr;
    for (const auto& message : request.messages) {
        response.usage.input_tokens += count_words(message.content);
        if (message.role == "user") last_user = &message;
    }
    std::vector<std::string> answer = last_user ? first_sentence(words_of(last_user->content)) : std::vector<std::string>{};
    if (request.max_tokens > 0 && answer.size() > static_cast<size_t>(request.max_tokens)) {
        answer.resize(static_cast<size_t>(request.max_tokens));
        response.finish_reason = "length";
    }
    response.usage.output_tokens = static_cast<long long>(answer.size());
    std::string text = join(answer);
    if (request.json_mode) {
        rapidjson::StringBuffer buffer;
        rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
        writer.StartObject();
        writer.Key("text");
        writer.String(text.c_str(), static_cast<rapidjson::SizeType>(text.size()));
        writer.EndObject();
        response.content.assign(buffer.GetString(), buffer.GetSize());
        if (sink) sink(response.content);
        return response;
    }
    response.content = text;
    if (sink) {
        for (size_t i = 0; i < answer.size(); ++i) sink(i == 0 ? answer[i] : " " + answer[i]);
    }
    return response;
}

}  // namespace agenthost::llm
