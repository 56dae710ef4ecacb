// A fake LLM provider for tests: an HTTP/1.1 server on 127.0.0.1 that
// speaks enough of OpenAI's chat completions and Anthropic's Messages to
// answer the host, from a script of replies (status, headers, body, delay,
// streamed chunks, a stream cut in the middle). It records every request
// with its headers and body so tests can check what the host sent.
#pragma once

#include "loopback_server.hpp"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace agenthost::testing {

using FakeLlmRequest = LoopbackRequest;

struct FakeLlmReply {
    int status = 200;
    std::vector<std::string> headers;  // extra "Name: value" lines
    std::string content_type = "application/json";
    std::string body;                  // sent with Content-Length when `chunks` is empty
    std::vector<std::string> chunks;   // else sent chunked, one HTTP chunk each, `chunk_delay` apart
    std::chrono::milliseconds delay{0};        // before the status line
    std::chrono::milliseconds chunk_delay{0};
    bool cut = false;                  // close after the chunks without the final chunk
};

class FakeLlmServer {
  public:
    using Responder = std::function<FakeLlmReply(const FakeLlmRequest&)>;

    FakeLlmServer();
    FakeLlmServer(const FakeLlmServer&) = delete;
    FakeLlmServer& operator=(const FakeLlmServer&) = delete;

    int port() const { return server_.port(); }
    // "http://127.0.0.1:PORT" + suffix (e.g. "/v1" for an OpenAI base URL).
    std::string url(const std::string& suffix = "") const { return server_.url(suffix); }

    // Replies used in order, one per request; then `responder` answers.
    void script(std::vector<FakeLlmReply> replies);
    void set_responder(Responder responder);
    // Forgets recorded requests and the script.
    void reset();

    std::vector<FakeLlmRequest> requests() const;
    size_t count() const;
    bool wait_for(size_t count, std::chrono::milliseconds timeout) const;

    void stop() { server_.stop(); }

  private:
    // One request per connection: the answer says Connection: close.
    void answer(int fd, LoopbackRequest request);

    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    std::vector<FakeLlmRequest> requests_;
    std::deque<FakeLlmReply> script_;
    Responder responder_;
    // Last: destroyed (stopped) first, while the state its handler uses lives.
    LoopbackServer server_;
};

// ---- Replies in each protocol ------------------------------------------------

// OpenAI: a chat.completion object.
FakeLlmReply openai_reply(const std::string& content, long long prompt_tokens, long long completion_tokens,
                          const std::string& model = "fake-gpt");
// OpenAI streaming: one "data:" chunk per token, a usage chunk, "data: [DONE]".
FakeLlmReply openai_stream(const std::vector<std::string>& tokens, long long prompt_tokens,
                           long long completion_tokens, const std::string& model = "fake-gpt");
// Anthropic: a message object.
FakeLlmReply anthropic_reply(const std::string& content, long long input_tokens, long long output_tokens,
                             const std::string& model = "fake-claude");
// Anthropic streaming: message_start, content_block_start, one
// content_block_delta per token, content_block_stop, message_delta,
// message_stop.
FakeLlmReply anthropic_stream(const std::vector<std::string>& tokens, long long input_tokens,
                              long long output_tokens, const std::string& model = "fake-claude");
// A status with a small JSON error body (and optional extra headers).
FakeLlmReply error_reply(int status, const std::vector<std::string>& headers = {});

// JSON string literal of `text` (quotes included).
std::string json_quote(const std::string& text);

}  // namespace agenthost::testing
