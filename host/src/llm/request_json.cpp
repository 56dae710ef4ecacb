#include "llm/request_json.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace agenthost::llm {

std::optional<CompletionRequest> parse_completion_request(std::string_view json, std::string& error) {
    rapidjson::Document document;
    document.Parse(json.data(), json.size());
    if (document.HasParseError() || !document.IsObject()) {
        error = "the LLM request must be a JSON object";
        return std::nullopt;
    }
    CompletionRequest request;
    auto messages = document.FindMember("messages");
    if (messages == document.MemberEnd() || !messages->value.IsArray() || messages->value.Empty()) {
        error = "the LLM request needs \"messages\": a non-empty array of {\"role\", \"content\"}";
        return std::nullopt;
    }
    size_t index = 0;
    for (const auto& item : messages->value.GetArray()) {
        std::string where = "messages[" + std::to_string(index++) + "]";
        if (!item.IsObject() || !item.HasMember("role") || !item["role"].IsString() || !item.HasMember("content") ||
            !item["content"].IsString()) {
            error = where + " must be {\"role\": string, \"content\": string}";
            return std::nullopt;
        }
        std::string role = item["role"].GetString();
        if (role != "system" && role != "user" && role != "assistant") {
            error = where + ".role must be system, user or assistant, got '" + role + "'";
            return std::nullopt;
        }
        request.messages.push_back({role, std::string(item["content"].GetString(), item["content"].GetStringLength())});
    }
    if (auto model = document.FindMember("model"); model != document.MemberEnd()) {
        if (!model->value.IsString()) {
            error = "\"model\" must be a string";
            return std::nullopt;
        }
        request.model = model->value.GetString();
    }
    if (auto json_mode = document.FindMember("json_mode"); json_mode != document.MemberEnd()) {
        if (!json_mode->value.IsBool()) {
            error = "\"json_mode\" must be true or false";
            return std::nullopt;
        }
        request.json_mode = json_mode->value.GetBool();
    }
    if (auto max_tokens = document.FindMember("max_tokens"); max_tokens != document.MemberEnd()) {
        if (!max_tokens->value.IsInt() || max_tokens->value.GetInt() < 1 || max_tokens->value.GetInt() > 1000000) {
            error = "\"max_tokens\" must be an integer from 1 to 1000000";
            return std::nullopt;
        }
        request.max_tokens = max_tokens->value.GetInt();
    }
    if (auto temperature = document.FindMember("temperature"); temperature != document.MemberEnd()) {
        if (!temperature->value.IsNumber() || temperature->value.GetDouble() < 0 || temperature->value.GetDouble() > 2) {
            error = "\"temperature\" must be a number from 0 to 2";
            return std::nullopt;
        }
        request.temperature = temperature->value.GetDouble();
    }
    return request;
}

std::string completion_response_json(const CompletionResponse& response) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> out(buffer);
    auto string = [&out](const std::string& text) {
        out.String(text.c_str(), static_cast<rapidjson::SizeType>(text.size()));
    };
    out.StartObject();
    out.Key("content");
    string(response.content);
    out.Key("usage");
    out.StartObject();
    out.Key("input_tokens");
    out.Int64(response.usage.input_tokens);
    out.Key("output_tokens");
    out.Int64(response.usage.output_tokens);
    out.Key("total_tokens");
    out.Int64(response.usage.input_tokens + response.usage.output_tokens);
    out.EndObject();
    out.Key("provider");
    string(response.provider);
    out.Key("model");
    string(response.model);
    out.Key("finish_reason");
    string(response.finish_reason);
    out.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace agenthost::llm
