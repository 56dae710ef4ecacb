#include "sse_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>

namespace agenthost::testing {

SseClient::SseClient(int port, const std::string& method, const std::string& path, const std::string& body,
                     const std::vector<std::string>& headers) {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
        throw std::runtime_error("cannot connect to port " + std::to_string(port));
    std::string request = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n";
    for (const auto& header : headers) request += header + "\r\n";
    if (!body.empty() || method == "POST")
        request += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
    request += "\r\n" + body;
    size_t sent = 0;
    while (sent < request.size()) {
        ssize_t n = send(fd_, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) throw std::runtime_error("cannot send the request");
        sent += static_cast<size_t>(n);
    }
}

SseClient::~SseClient() { hang_up(); }

void SseClient::hang_up() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
}

bool SseClient::read_some(std::chrono::steady_clock::time_point deadline) {
    if (fd_ < 0 || closed_) return false;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd waiting{fd_, POLLIN, 0};
    if (poll(&waiting, 1, static_cast<int>(left.count())) <= 0) return false;
    char chunk[16384];
    ssize_t n = recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) {
        closed_ = true;
        return true;
    }
    buffer_.append(chunk, static_cast<size_t>(n));
    parse();
    return true;
}

void SseClient::parse() {
    if (!head_done_) {
        size_t end = buffer_.find("\r\n\r\n");
        if (end == std::string::npos) return;
        std::string head = buffer_.substr(0, end);
        buffer_.erase(0, end + 4);
        head_done_ = true;
        status_ = std::stoi(head.substr(9, 3));
        size_t line_start = head.find("\r\n");
        while (line_start != std::string::npos) {
            size_t next = head.find("\r\n", line_start + 2);
            std::string line = head.substr(line_start + 2, next == std::string::npos ? std::string::npos : next - line_start - 2);
            size_t colon = line.find(':');
            if (colon != std::string::npos) {
                std::string name = line.substr(0, colon);
                std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
                headers_[name] = line.substr(line.find_first_not_of(' ', colon + 1));
            }
            line_start = next;
        }
    }
    body_ += buffer_;
    // Frames end with a blank line; comment lines start with ':'.
    size_t end;
    while ((end = buffer_.find("\n\n")) != std::string::npos) {
        std::string block = buffer_.substr(0, end);
        buffer_.erase(0, end + 2);
        SseFrame frame;
        bool any = false;
        size_t start = 0;
        while (start <= block.size()) {
            size_t stop = block.find('\n', start);
            std::string line = block.substr(start, stop == std::string::npos ? std::string::npos : stop - start);
            if (!line.empty() && line[0] == ':') ++comments_;
            else if (line.rfind("id: ", 0) == 0) frame.id = line.substr(4), any = true;
            else if (line.rfind("event: ", 0) == 0) frame.event = line.substr(7), any = true;
            else if (line.rfind("data: ", 0) == 0) frame.data += line.substr(6), any = true;
            if (stop == std::string::npos) break;
            start = stop + 1;
        }
        if (any) frames_.push_back(frame);
    }
}

bool SseClient::read_frames(size_t count, std::chrono::milliseconds timeout) {
    size_t wanted = frames_.size() + count;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (frames_.size() < wanted && !closed_) {
        if (!read_some(deadline)) return frames_.size() >= wanted;
    }
    return frames_.size() >= wanted;
}

bool SseClient::read_to_end(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!closed_) {
        if (!read_some(deadline)) return false;
    }
    return true;
}

}  // namespace agenthost::testing
