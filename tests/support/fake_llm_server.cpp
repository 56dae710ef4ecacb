#include "fake_llm_server.hpp"

#include <sys/socket.h>

#include <sstream>

namespace agenthost::testing {
namespace {

std::string sse(const std::string& data, const std::string& event = "") {
    return (event.empty() ? "" : "event: " + event + "\n") + "data: " + data + "\n\n";
}

}  // namespace

std::string json_quote(const std::string& text) {
    std::string out = "\"";
    for (unsigned char c : text) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20) {
                    char escaped[8];
                    std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
                    out += escaped;
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
    return out + "\"";
}

FakeLlmServer::FakeLlmServer()
    : responder_([](const FakeLlmRequest&) { return error_reply(500); }),
      server_("fake llm server", 0, std::chrono::seconds(10),
              [this](int fd, LoopbackRequest request) { answer(fd, std::move(request)); }) {}

void FakeLlmServer::script(std::vector<FakeLlmReply> replies) {
    std::lock_guard<std::mutex> lock(mutex_);
    script_.assign(replies.begin(), replies.end());
}

void FakeLlmServer::set_responder(Responder responder) {
    std::lock_guard<std::mutex> lock(mutex_);
    responder_ = std::move(responder);
}

void FakeLlmServer::reset() {
    std::lock_guard<std::mutex> lock(mutex_);
    requests_.clear();
    script_.clear();
}

std::vector<FakeLlmRequest> FakeLlmServer::requests() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
}

size_t FakeLlmServer::count() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_.size();
}

bool FakeLlmServer::wait_for(size_t count, std::chrono::milliseconds timeout) const {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return requests_.size() >= count; });
}

void FakeLlmServer::answer(int fd, LoopbackRequest request) {
    FakeLlmReply reply;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!script_.empty()) {
            reply = script_.front();
            script_.pop_front();
        } else {
            reply = responder_(request);
        }
        requests_.push_back(request);
    }
    changed_.notify_all();

    if (!server_.pause(reply.delay)) return;
    std::string head_out = "HTTP/1.1 " + std::to_string(reply.status) + " " + reason_phrase(reply.status) + "\r\n";
    for (const auto& header : reply.headers) head_out += header + "\r\n";
    head_out += "Content-Type: " + reply.content_type + "\r\nConnection: close\r\n";
    if (reply.chunks.empty()) {
        head_out += "Content-Length: " + std::to_string(reply.body.size()) + "\r\n\r\n";
        send_all(fd, head_out + reply.body);
        ::shutdown(fd, SHUT_WR);
        return;
    }
    head_out += "Transfer-Encoding: chunked\r\n\r\n";
    if (!send_all(fd, head_out)) return;
    for (const auto& chunk : reply.chunks) {
        std::ostringstream size;
        size << std::hex << chunk.size();
        if (!send_all(fd, size.str() + "\r\n" + chunk + "\r\n")) return;
        if (!server_.pause(reply.chunk_delay)) return;
    }
    if (!reply.cut) send_all(fd, "0\r\n\r\n");
    ::shutdown(fd, SHUT_RDWR);
}

// ---- Replies ---------------------------------------------------------------------

FakeLlmReply openai_reply(const std::string& content, long long prompt_tokens, long long completion_tokens,
                          const std::string& model) {
    FakeLlmReply reply;
    reply.body = R"({"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":)" + json_quote(model) +
                 R"(,"choices":[{"index":0,"message":{"role":"assistant","content":)" + json_quote(content) +
                 R"(},"finish_reason":"stop"}],"usage":{"prompt_tokens":)" + std::to_string(prompt_tokens) +
                 R"(,"completion_tokens":)" + std::to_string(completion_tokens) + R"(,"total_tokens":)" +
                 std::to_string(prompt_tokens + completion_tokens) + "}}";
    return reply;
}

FakeLlmReply openai_stream(const std::vector<std::string>& tokens, long long prompt_tokens, long long completion_tokens,
                           const std::string& model) {
    FakeLlmReply reply;
    reply.content_type = "text/event-stream";
    const std::string prefix = R"({"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":)" +
                               json_quote(model) + R"(,"choices":[)";
    reply.chunks.push_back(sse(prefix + R"({"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]})"));
    for (const auto& token : tokens)
        reply.chunks.push_back(
            sse(prefix + R"({"index":0,"delta":{"content":)" + json_quote(token) + R"(},"finish_reason":null}]})"));
    reply.chunks.push_back(sse(prefix + R"({"index":0,"delta":{},"finish_reason":"stop"}]})"));
    reply.chunks.push_back(sse(prefix + R"(],"usage":{"prompt_tokens":)" + std::to_string(prompt_tokens) +
                               R"(,"completion_tokens":)" + std::to_string(completion_tokens) + R"(,"total_tokens":)" +
                               std::to_string(prompt_tokens + completion_tokens) + "}}"));
    reply.chunks.push_back(sse("[DONE]"));
    return reply;
}

FakeLlmReply anthropic_reply(const std::string& content, long long input_tokens, long long output_tokens,
                             const std::string& model) {
    FakeLlmReply reply;
    reply.body = R"({"id":"msg_1","type":"message","role":"assistant","model":)" + json_quote(model) +
                 R"(,"content":[{"type":"text","text":)" + json_quote(content) +
                 R"(}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":)" +
                 std::to_string(input_tokens) + R"(,"output_tokens":)" + std::to_string(output_tokens) + "}}";
    return reply;
}

FakeLlmReply anthropic_stream(const std::vector<std::string>& tokens, long long input_tokens, long long output_tokens,
                              const std::string& model) {
    FakeLlmReply reply;
    reply.content_type = "text/event-stream";
    reply.chunks.push_back(sse(R"({"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":)" +
                                   json_quote(model) + R"(,"content":[],"stop_reason":null,"usage":{"input_tokens":)" +
                                   std::to_string(input_tokens) + R"(,"output_tokens":1}}})",
                               "message_start"));
    reply.chunks.push_back(sse(R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})",
                               "content_block_start"));
    reply.chunks.push_back(sse(R"({"type":"ping"})", "ping"));
    for (const auto& token : tokens)
        reply.chunks.push_back(sse(R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":)" +
                                       json_quote(token) + "}}",
                                   "content_block_delta"));
    reply.chunks.push_back(sse(R"({"type":"content_block_stop","index":0})", "content_block_stop"));
    reply.chunks.push_back(sse(R"({"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":)" +
                                   std::to_string(output_tokens) + "}}",
                               "message_delta"));
    reply.chunks.push_back(sse(R"({"type":"message_stop"})", "message_stop"));
    return reply;
}

FakeLlmReply error_reply(int status, const std::vector<std::string>& headers) {
    FakeLlmReply reply;
    reply.status = status;
    reply.headers = headers;
    reply.body = R"({"error":{"type":"fake_error","message":"scripted )" + std::to_string(status) + R"("}})";
    return reply;
}

}  // namespace agenthost::testing
