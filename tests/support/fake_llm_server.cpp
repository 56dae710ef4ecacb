#include "fake_llm_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sstream>
#include <stdexcept>

namespace agenthost::testing {
namespace {

const std::string kEmpty;

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

std::string trim(const std::string& text) {
    size_t start = text.find_first_not_of(" \t\r\n");
    if (start == std::string::npos) return "";
    size_t end = text.find_last_not_of(" \t\r\n");
    return text.substr(start, end - start + 1);
}

bool send_all(int fd, const std::string& data) {
    size_t sent = 0;
    while (sent < data.size()) {
        ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        sent += static_cast<size_t>(n);
    }
    return true;
}

bool read_more(int fd, std::string& buffer) {
    char chunk[8192];
    for (;;) {
        ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        buffer.append(chunk, static_cast<size_t>(n));
        return true;
    }
}

std::string reason_of(int status) {
    switch (status) {
        case 200: return "OK";
        case 400: return "Bad Request";
        case 401: return "Unauthorized";
        case 429: return "Too Many Requests";
        case 500: return "Internal Server Error";
        case 502: return "Bad Gateway";
        case 503: return "Service Unavailable";
        default: return "Status";
    }
}

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

const std::string& FakeLlmRequest::header(const std::string& name) const {
    auto found = headers.find(name);
    return found == headers.end() ? kEmpty : found->second;
}

FakeLlmServer::FakeLlmServer() {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (listen_fd_ < 0) throw std::runtime_error("fake llm server: socket failed");
    int on = 1;
    setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(listen_fd_, 128) != 0) {
        ::close(listen_fd_);
        throw std::runtime_error(std::string("fake llm server: cannot listen: ") + std::strerror(errno));
    }
    socklen_t length = sizeof address;
    getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    responder_ = [](const FakeLlmRequest&) { return error_reply(500); };
    acceptor_ = std::thread([this] { accept_loop(); });
}

FakeLlmServer::~FakeLlmServer() { stop(); }

std::string FakeLlmServer::url(const std::string& suffix) const {
    return "http://127.0.0.1:" + std::to_string(port_) + suffix;
}

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

void FakeLlmServer::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (stopping_ && !acceptor_.joinable()) return;
        stopping_ = true;
    }
    changed_.notify_all();
    if (acceptor_.joinable()) acceptor_.join();
    if (listen_fd_ >= 0) {
        ::close(listen_fd_);
        listen_fd_ = -1;
    }
    for (auto& connection : connections_)
        if (connection.joinable()) connection.join();
    connections_.clear();
}

void FakeLlmServer::accept_loop() {
    for (;;) {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (stopping_) return;
        }
        pollfd waiting{listen_fd_, POLLIN, 0};
        if (::poll(&waiting, 1, 50) <= 0) continue;
        int fd = ::accept(listen_fd_, nullptr, nullptr);
        if (fd < 0) continue;
        timeval timeout{10, 0};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
        connections_.emplace_back([this, fd] {
            serve(fd);
            ::close(fd);
        });
    }
}

void FakeLlmServer::serve(int fd) {
    // One request per connection: the answer says Connection: close.
    std::string buffer;
    size_t head_end;
    while ((head_end = buffer.find("\r\n\r\n")) == std::string::npos) {
        if (buffer.size() > 65536 || !read_more(fd, buffer)) return;  // probes connect and leave
    }
    FakeLlmRequest request;
    std::istringstream head(buffer.substr(0, head_end));
    std::string line;
    std::getline(head, line);
    {
        std::istringstream request_line(trim(line));
        request_line >> request.method >> request.path;
    }
    while (std::getline(head, line)) {
        size_t colon = line.find(':');
        if (colon == std::string::npos) continue;
        request.headers[lower(trim(line.substr(0, colon)))] = trim(line.substr(colon + 1));
    }
    buffer.erase(0, head_end + 4);
    size_t length = 0;
    try {
        length = request.headers.count("content-length") ? std::stoul(request.headers["content-length"]) : 0;
    } catch (...) {
        return;
    }
    while (buffer.size() < length)
        if (!read_more(fd, buffer)) return;
    request.body = buffer.substr(0, length);

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

    auto wait = [this](std::chrono::milliseconds delay) {
        if (delay.count() <= 0) return true;
        std::unique_lock<std::mutex> lock(mutex_);
        changed_.wait_for(lock, delay, [&] { return stopping_; });
        return !stopping_;
    };
    if (!wait(reply.delay)) return;
    std::string head_out = "HTTP/1.1 " + std::to_string(reply.status) + " " + reason_of(reply.status) + "\r\n";
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
        if (!wait(reply.chunk_delay)) return;
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
