#include "llm/openai_provider.hpp"

#include "json/json_util.hpp"
#include "llm/sse_line_parser.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace agenthost::llm {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void write_string(Writer& out, const std::string& text) {
    out.String(text.c_str(), static_cast<rapidjson::SizeType>(text.size()));
}

void read_usage(const rapidjson::Value& document, Usage& usage) {
    const rapidjson::Value* found = json::get_member(document, "usage");
    if (found == nullptr || !found->IsObject()) return;
    usage.input_tokens = json::get_int64(*found, "prompt_tokens");
    usage.output_tokens = json::get_int64(*found, "completion_tokens");
}

std::string error_message_of(const rapidjson::Value& document) {
    const rapidjson::Value* error = json::get_member(document, "error");
    if (error == nullptr) return "";
    if (error->IsString()) return error->GetString();
    std::string message = json::get_string(*error, "message");
    return message.empty() ? "an error object without a message" : message;
}

class OpenAiStream : public StreamDecoder {
  public:
    explicit OpenAiStream(TokenSink sink)
        : sink_(std::move(sink)), parser_([this](const std::string&, const std::string& data) { on_data(data); }) {
        response_.provider = "openai";
    }
    void feed(std::string_view bytes) override { parser_.feed(bytes); }
    bool done() const override { return done_; }
    long long delivered() const override { return delivered_; }
    CompletionResponse response() const override { return response_; }

  private:
    void on_data(const std::string& data) {
        if (done_) return;
        if (data == "[DONE]") {
            done_ = true;
            return;
        }
        rapidjson::Document chunk;
        chunk.Parse(data.c_str(), data.size());
        if (chunk.HasParseError() || !chunk.IsObject()) throw ProtocolError("a stream chunk is not a JSON object");
        std::string error = error_message_of(chunk);
        if (!error.empty()) throw ProtocolError("the provider reported an error mid-stream: " + error);
        if (std::string model = json::get_string(chunk, "model"); !model.empty()) response_.model = model;
        read_usage(chunk, response_.usage);
        const rapidjson::Value* choices = json::get_member(chunk, "choices");
        if (choices == nullptr || !choices->IsArray()) return;
        for (const auto& choice : choices->GetArray()) {
            if (std::string finish = json::get_string(choice, "finish_reason"); !finish.empty())
                response_.finish_reason = finish;
            const rapidjson::Value* delta = json::get_member(choice, "delta");
            if (delta == nullptr) continue;
            std::string text = json::get_string(*delta, "content");
            if (text.empty()) continue;
            response_.content += text;
            ++delivered_;
            if (sink_) sink_(text);
        }
    }

    TokenSink sink_;
    SseLineParser parser_;
    CompletionResponse response_;
    bool done_ = false;
    long long delivered_ = 0;
};

}  // namespace

namespace openai {

std::string request_body(const CompletionRequest& request, bool stream) {
    rapidjson::StringBuffer buffer;
    Writer out(buffer);
    out.StartObject();
    out.Key("model");
    write_string(out, request.model);
    out.Key("messages");
    out.StartArray();
    for (const auto& message : request.messages) {
        out.StartObject();
        out.Key("role");
        write_string(out, message.role);
        out.Key("content");
        write_string(out, message.content);
        out.EndObject();
    }
    out.EndArray();
    if (request.max_tokens > 0) {
        // max_tokens, not max_completion_tokens: the compatible servers
        // (Ollama, vLLM, llama.cpp) know only this one.
        out.Key("max_tokens");
        out.Int(request.max_tokens);
    }
    if (request.temperature >= 0) {
        out.Key("temperature");
        out.Double(request.temperature);
    }
    if (request.json_mode) {
        out.Key("response_format");
        out.StartObject();
        out.Key("type");
        out.String("json_object");
        out.EndObject();
    }
    if (stream) {
        out.Key("stream");
        out.Bool(true);
        out.Key("stream_options");
        out.StartObject();
        out.Key("include_usage");
        out.Bool(true);
        out.EndObject();
    }
    out.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize());
}

CompletionResponse parse_response(const std::string& body) {
    rapidjson::Document document;
    document.Parse(body.c_str(), body.size());
    if (document.HasParseError() || !document.IsObject()) throw ProtocolError("the body is not a JSON object");
    std::string error = error_message_of(document);
    if (!error.empty()) throw ProtocolError("the provider reported an error: " + error);
    const rapidjson::Value* choices = json::get_member(document, "choices");
    if (choices == nullptr || !choices->IsArray() || choices->Empty())
        throw ProtocolError("the answer has no \"choices\"");
    const rapidjson::Value& first = (*choices)[0];
    const rapidjson::Value* message = json::get_member(first, "message");
    if (message == nullptr || !message->IsObject()) throw ProtocolError("choices[0] has no \"message\"");
    const rapidjson::Value* content = json::get_member(*message, "content");
    if (content == nullptr || !(content->IsString() || content->IsNull()))
        throw ProtocolError("choices[0].message.content is missing or not a string");
    CompletionResponse response;
    response.provider = "openai";
    response.content = json::get_string(*message, "content");  // null: ""
    response.model = json::get_string(document, "model");
    response.finish_reason = json::get_string(first, "finish_reason");
    read_usage(document, response.usage);
    return response;
}

std::unique_ptr<StreamDecoder> stream_decoder(TokenSink sink) { return std::make_unique<OpenAiStream>(std::move(sink)); }

}  // namespace openai

CompletionResponse OpenAiProvider::complete(const CompletionRequest& request, const TokenSink& sink) {
    bool stream = static_cast<bool>(sink);
    ProviderCall call =
        json_call("openai", settings_, settings_.openai_api_key, settings_.openai_base_url, "/chat/completions", stream);
    if (!settings_.openai_api_key.empty())
        call.post.headers.emplace_back("Authorization", "Bearer " + settings_.openai_api_key);
    call.post.body = openai::request_body(request, stream);
    if (stream) call.new_decoder = [&sink] { return openai::stream_decoder(sink); };
    call.parse_body = openai::parse_response;
    CompletionResponse response = run_provider_call(call);
    if (response.model.empty()) response.model = request.model;
    if (response.finish_reason.empty()) response.finish_reason = "stop";
    return response;
}

}  // namespace agenthost::llm
