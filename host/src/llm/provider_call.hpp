// The retry loop every remote provider shares: POST, decode (whole body or
// a stream), and on 429, 5xx or a connection failure wait (Retry-After or
// backoff with jitter) and try again, a bounded number of times. A stream
// that already handed tokens to the caller is never replayed.
#pragma once

#include "llm/http_transport.hpp"
#include "llm/llm_settings.hpp"
#include "llm/provider.hpp"
#include "llm/retry_policy.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace agenthost::llm {

// A provider answered something this host cannot read.
struct ProtocolError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Decodes one attempt's streamed body. feed() throws ProtocolError.
class StreamDecoder {
  public:
    virtual ~StreamDecoder() = default;
    virtual void feed(std::string_view bytes) = 0;
    // The provider said the stream is complete ([DONE], message_stop).
    virtual bool done() const = 0;
    // Tokens already passed to the sink.
    virtual long long delivered() const = 0;
    virtual CompletionResponse response() const = 0;
};

struct ProviderCall {
    std::string provider;  // for messages: "openai", "anthropic"
    RetryPolicy policy;
    std::string secret;    // removed from any text that goes into a message
    HttpPost post;
    // Set for streaming: a fresh decoder per attempt.
    std::function<std::unique_ptr<StreamDecoder>()> new_decoder;
    // Reads a whole 2xx body; throws ProtocolError.
    std::function<CompletionResponse(const std::string& body)> parse_body;
    // Waits between attempts (tests replace it).
    std::function<void(std::chrono::milliseconds)> sleep;
};

// A JSON POST to `base_url` + `path` with the settings' timeouts and
// retries, asking for SSE when `stream`; the caller adds its auth headers,
// body, decoders.
ProviderCall json_call(const std::string& provider, const LlmSettings& settings, const std::string& secret,
                       std::string base_url, const std::string& path, bool stream);

// Throws ProviderError naming the provider, the attempts and the last
// status or transport error.
CompletionResponse run_provider_call(const ProviderCall& call);

// `text` with every occurrence of `secret` replaced, cut to `limit` bytes.
std::string redact(std::string text, const std::string& secret, size_t limit = 300);

}  // namespace agenthost::llm
