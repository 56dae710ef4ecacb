#include "loopback_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <sstream>
#include <stdexcept>

namespace agenthost::testing {
namespace {

const std::string kEmpty;
constexpr size_t kMaxHead = 64 * 1024;
constexpr size_t kMaxBody = 16 * 1024 * 1024;

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

// Reads more bytes into `buffer`; false on EOF, error or timeout.
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

// Decodes a chunked body that starts at buffer[0], reading more as needed.
bool read_chunked(int fd, std::string& buffer, std::string& body) {
    size_t at = 0;
    for (;;) {
        size_t line_end;
        while ((line_end = buffer.find("\r\n", at)) == std::string::npos) {
            if (!read_more(fd, buffer)) return false;
        }
        std::string size_text = buffer.substr(at, line_end - at);
        size_t semicolon = size_text.find(';');
        if (semicolon != std::string::npos) size_text.resize(semicolon);
        size_t size = 0;
        try {
            size = std::stoul(trim(size_text), nullptr, 16);
        } catch (...) {
            return false;
        }
        at = line_end + 2;
        if (size == 0) return true;  // trailers ignored
        if (body.size() + size > kMaxBody) return false;
        while (buffer.size() < at + size + 2) {
            if (!read_more(fd, buffer)) return false;
        }
        body.append(buffer, at, size);
        at += size + 2;
    }
}

// Reads one request; false when the peer left or sent something unusable
// (health probes connect and leave without a request).
bool read_request(int fd, LoopbackRequest& request) {
    std::string buffer;
    size_t head_end;
    while ((head_end = buffer.find("\r\n\r\n")) == std::string::npos) {
        if (buffer.size() > kMaxHead || !read_more(fd, buffer)) return false;
    }
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
        std::string name = lower(trim(line.substr(0, colon)));
        std::string value = trim(line.substr(colon + 1));
        auto existing = request.headers.find(name);
        if (existing == request.headers.end()) request.headers.emplace(name, value);
        else existing->second += ", " + value;
    }
    buffer.erase(0, head_end + 4);

    if (lower(request.header("expect")) == "100-continue" && !send_all(fd, "HTTP/1.1 100 Continue\r\n\r\n"))
        return false;
    if (lower(request.header("transfer-encoding")).find("chunked") != std::string::npos)
        return read_chunked(fd, buffer, request.body);
    if (!request.has_header("content-length")) return true;
    size_t length = 0;
    try {
        length = std::stoul(request.header("content-length"));
    } catch (...) {
        return false;
    }
    if (length > kMaxBody) return false;
    while (buffer.size() < length) {
        if (!read_more(fd, buffer)) return false;
    }
    request.body = buffer.substr(0, length);
    return true;
}

}  // namespace

const std::string& LoopbackRequest::header(const std::string& name) const {
    auto found = headers.find(name);
    return found == headers.end() ? kEmpty : found->second;
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

const char* reason_phrase(int status) {
    switch (status) {
        case 200: return "OK";
        case 201: return "Created";
        case 202: return "Accepted";
        case 204: return "No Content";
        case 301: return "Moved Permanently";
        case 302: return "Found";
        case 307: return "Temporary Redirect";
        case 308: return "Permanent Redirect";
        case 400: return "Bad Request";
        case 401: return "Unauthorized";
        case 404: return "Not Found";
        case 410: return "Gone";
        case 429: return "Too Many Requests";
        case 500: return "Internal Server Error";
        case 502: return "Bad Gateway";
        case 503: return "Service Unavailable";
        default: return "Status";
    }
}

LoopbackServer::LoopbackServer(const std::string& name, int port, std::chrono::seconds io_timeout, Handler handler)
    : name_(name), io_timeout_(io_timeout), handler_(std::move(handler)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (listen_fd_ < 0) throw std::runtime_error(name_ + ": socket failed");
    int on = 1;
    setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<uint16_t>(port));
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(listen_fd_, 128) != 0) {
        std::string reason = std::strerror(errno);
        ::close(listen_fd_);
        throw std::runtime_error(name_ + ": cannot listen on 127.0.0.1:" + std::to_string(port) + ": " + reason);
    }
    socklen_t length = sizeof address;
    getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
}

LoopbackServer::~LoopbackServer() { stop(); }

std::string LoopbackServer::url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
}

bool LoopbackServer::pause(std::chrono::milliseconds delay) {
    std::unique_lock<std::mutex> lock(mutex_);
    if (delay.count() > 0) stopped_.wait_for(lock, delay, [&] { return stopping_; });
    return !stopping_;
}

void LoopbackServer::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (stopping_ && !acceptor_.joinable()) return;
        stopping_ = true;
    }
    stopped_.notify_all();
    if (acceptor_.joinable()) acceptor_.join();
    if (listen_fd_ >= 0) {
        ::close(listen_fd_);
        listen_fd_ = -1;
    }
    // The acceptor is gone, so nobody adds connections any more.
    for (auto& connection : connections_)
        if (connection.joinable()) connection.join();
    connections_.clear();
}

void LoopbackServer::accept_loop() {
    for (;;) {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (stopping_) return;
        }
        pollfd waiting{listen_fd_, POLLIN, 0};
        if (::poll(&waiting, 1, 50) <= 0) continue;
        int fd = ::accept(listen_fd_, nullptr, nullptr);
        if (fd < 0) continue;
        timeval timeout{static_cast<time_t>(io_timeout_.count()), 0};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
        connections_.emplace_back([this, fd] {
            serve(fd);
            ::close(fd);
        });
    }
}

void LoopbackServer::serve(int fd) {
    LoopbackRequest request;
    if (read_request(fd, request)) handler_(fd, std::move(request));
}

}  // namespace agenthost::testing
