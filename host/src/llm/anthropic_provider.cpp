#include "llm/anthropic_provider.hpp"

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

std::string error_message_of(const rapidjson::Value& document) {
    if (json::get_string(document, "type") != "error") return "";
    const rapidjson::Value* error = json::get_member(document, "error");
    std::string message = error ? json::get_string(*error, "message") : "";
    std::string type = error ? json::get_string(*error, "type") : "";
    return (type.empty() ? "" : type + ": ") + (message.empty() ? "no message" : message);
}

class AnthropicStream : public StreamDecoder {
  public:
    explicit AnthropicStream(TokenSink sink)
        : sink_(std::move(sink)),
          parser_([this](const std::string& event, const std::string& data) { on_event(event, data); }) {
        response_.provider = "anthropic";
    }
    void feed(std::string_view bytes) override { parser_.feed(bytes); }
    bool done() const override { return done_; }
    long long delivered() const override { return delivered_; }
    CompletionResponse response() const override { return response_; }

  private:
    void on_event(const std::string& event, const std::string& data) {
        if (done_) return;
        rapidjson::Document payload;
        payload.Parse(data.c_str(), data.size());
        if (payload.HasParseError() || !payload.IsObject())
            throw ProtocolError("the data of a '" + event + "' event is not a JSON object");
        std::string type = json::get_string(payload, "type");
        if (type.empty()) type = event;
        if (type == "error") throw ProtocolError("the provider reported an error mid-stream: " + error_message_of(payload));
        if (type == "message_start") {
            const rapidjson::Value* message = json::get_member(payload, "message");
            if (message == nullptr) return;
            response_.model = json::get_string(*message, "model");
            if (const rapidjson::Value* usage = json::get_member(*message, "usage")) {
                response_.usage.input_tokens = json::get_int64(*usage, "input_tokens");
                response_.usage.output_tokens = json::get_int64(*usage, "output_tokens");
            }
        } else if (type == "content_block_delta") {
            const rapidjson::Value* delta = json::get_member(payload, "delta");
            if (delta == nullptr || json::get_string(*delta, "type") != "text_delta") return;
            std::string text = json::get_string(*delta, "text");
            if (text.empty()) return;
            response_.content += text;
            ++delivered_;
            if (sink_) sink_(text);
        } else if (type == "message_delta") {
            if (const rapidjson::Value* delta = json::get_member(payload, "delta"))
                if (std::string stop = json::get_string(*delta, "stop_reason"); !stop.empty()) response_.finish_reason = stop;
            if (const rapidjson::Value* usage = json::get_member(payload, "usage")) {
                // Cumulative output count; input may be repeated here too.
                if (json::get_member(*usage, "output_tokens")) response_.usage.output_tokens = json::get_int64(*usage, "output_tokens");
                if (json::get_int64(*usage, "input_tokens") > 0)
                    response_.usage.input_tokens = json::get_int64(*usage, "input_tokens");
            }
        } else if (type == "message_stop") {
            done_ = true;
        }
        // ping, content_block_start, content_block_stop: nothing to keep.
    }

    TokenSink sink_;
    SseLineParser parser_;
    CompletionResponse response_;
    bool done_ = false;
    long long delivered_ = 0;
};

}  // namespace

namespace anthropic {

const char* const kJsonInstruction =
    "Respond with a single JSON object and nothing else: no prose, no code fences.";

std::string request_body(const CompletionRequest& request, bool stream, int default_max_tokens) {
    std::string system;
    for (const auto& message : request.messages) {
        if (message.role != "system") continue;
        if (!system.empty()) system += "\n\n";
        system += message.content;
    }
    if (request.json_mode) {
        if (!system.empty()) system += "\n\n";
        system += kJsonInstruction;
    }
    rapidjson::StringBuffer buffer;
    Writer out(buffer);
    out.StartObject();
    out.Key("model");
    write_string(out, request.model);
    out.Key("max_tokens");
    out.Int(request.max_tokens > 0 ? request.max_tokens : default_max_tokens);
    if (!system.empty()) {
        out.Key("system");
        write_string(out, system);
    }
    out.Key("messages");
    out.StartArray();
    for (const auto& message : request.messages) {
        if (message.role == "system") continue;
        out.StartObject();
        out.Key("role");
        write_string(out, message.role);
        out.Key("content");
        write_string(out, message.content);
        out.EndObject();
    }
    out.EndArray();
    if (request.temperature >= 0) {
        out.Key("temperature");
        out.Double(request.temperature > 1 ? 1.0 : request.temperature);
    }
    if (stream) {
        out.Key("stream");
        out.Bool(true);
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
    const rapidjson::Value* content = json::get_member(document, "content");
    if (content == nullptr || !content->IsArray()) throw ProtocolError("the answer has no \"content\" array");
    CompletionResponse response;
    response.provider = "anthropic";
    for (const auto& block : content->GetArray())
        if (json::get_string(block, "type") == "text") response.content += json::get_string(block, "text");
    response.model = json::get_string(document, "model");
    response.finish_reason = json::get_string(document, "stop_reason");
    if (const rapidjson::Value* usage = json::get_member(document, "usage")) {
        response.usage.input_tokens = json::get_int64(*usage, "input_tokens");
        response.usage.output_tokens = json::get_int64(*usage, "output_tokens");
    }
    return response;
}

std::unique_ptr<StreamDecoder> stream_decoder(TokenSink sink) {
    return std::make_unique<AnthropicStream>(std::move(sink));
}

}  // namespace anthropic

CompletionResponse AnthropicProvider::complete(const CompletionRequest& request, const TokenSink& sink) {
    bool stream = static_cast<bool>(sink);
    ProviderCall call = json_call("anthropic", settings_, settings_.anthropic_api_key, settings_.anthropic_base_url,
                                  "/v1/messages", stream);
    call.post.headers.emplace_back("x-api-key", settings_.anthropic_api_key);
    call.post.headers.emplace_back("anthropic-version", settings_.anthropic_version);
    call.post.body = anthropic::request_body(request, stream, settings_.default_max_tokens);
    if (stream) call.new_decoder = [&sink] { return anthropic::stream_decoder(sink); };
    call.parse_body = anthropic::parse_response;
    CompletionResponse response = run_provider_call(call);
    if (response.model.empty()) response.model = request.model;
    if (response.finish_reason.empty()) response.finish_reason = "end_turn";
    return response;
}

}  // namespace agenthost::llm
