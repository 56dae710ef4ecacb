// Anthropic Messages (POST {base}/v1/messages with x-api-key and
// anthropic-version). System messages go in the top-level "system" field;
// max_tokens is required, so the configured default fills it in. JSON mode
// has no API switch here: it becomes a system instruction. Streaming reads
// message_start, content_block_delta, message_delta and message_stop.
#pragma once

#include "llm/llm_settings.hpp"
#include "llm/provider.hpp"
#include "llm/provider_call.hpp"

namespace agenthost::llm {

namespace anthropic {
// The instruction appended to "system" in json_mode.
extern const char* const kJsonInstruction;
std::string request_body(const CompletionRequest& request, bool stream, int default_max_tokens);
CompletionResponse parse_response(const std::string& body);
std::unique_ptr<StreamDecoder> stream_decoder(TokenSink sink);
}  // namespace anthropic

class AnthropicProvider : public Provider {
  public:
    explicit AnthropicProvider(const LlmSettings& settings) : settings_(settings) {}
    std::string name() const override { return "anthropic"; }
    std::string default_model() const override { return settings_.anthropic_default_model; }
    std::string base_url() const override { return settings_.anthropic_base_url; }
    CompletionResponse complete(const CompletionRequest& request, const TokenSink& sink) override;

  private:
    LlmSettings settings_;
};

}  // namespace agenthost::llm
