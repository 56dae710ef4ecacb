// OpenAI-compatible chat completions (POST {base}/chat/completions), which
// OpenAI, Azure-style gateways, LiteLLM, Ollama, vLLM and llama.cpp's server
// all speak. JSON mode through response_format; streaming through SSE
// "data:" chunks ending with [DONE], usage asked for with stream_options.
#pragma once

#include "llm/llm_settings.hpp"
#include "llm/provider.hpp"
#include "llm/provider_call.hpp"

namespace agenthost::llm {

namespace openai {
// The request body; `request.model` must be set.
std::string request_body(const CompletionRequest& request, bool stream);
// A non-streamed answer; throws ProtocolError.
CompletionResponse parse_response(const std::string& body);
// Decodes the SSE stream, calling `sink` per content delta.
std::unique_ptr<StreamDecoder> stream_decoder(TokenSink sink);
}  // namespace openai

class OpenAiProvider : public Provider {
  public:
    explicit OpenAiProvider(const LlmSettings& settings) : settings_(settings) {}
    std::string name() const override { return "openai"; }
    std::string default_model() const override { return settings_.openai_default_model; }
    std::string base_url() const override { return settings_.openai_base_url; }
    CompletionResponse complete(const CompletionRequest& request, const TokenSink& sink) override;

  private:
    LlmSettings settings_;
};

}  // namespace agenthost::llm
