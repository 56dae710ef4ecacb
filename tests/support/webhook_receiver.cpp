#include "webhook_receiver.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

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

const char* reason_of(int status) {
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
        case 404: return "Not Found";
        case 410: return "Gone";
        case 429: return "Too Many Requests";
        case 500: return "Internal Server Error";
        case 502: return "Bad Gateway";
        case 503: return "Service Unavailable";
        default: return "Status";
    }
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

}  // namespace

const std::string& WebhookRequest::header(const std::string& name) const {
    auto found = headers.find(name);
    return found == headers.end() ? kEmpty : found->second;
}

WebhookReceiver::WebhookReceiver(int port) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (listen_fd_ < 0) throw std::runtime_error("webhook receiver: socket failed");
    int on = 1;
    setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<uint16_t>(port));
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(listen_fd_, 128) != 0) {
        std::string reason = std::strerror(errno);
        ::close(listen_fd_);
        throw std::runtime_error("webhook receiver: cannot listen on 127.0.0.1:" + std::to_string(port) + ": " + reason);
    }
    socklen_t length = sizeof address;
    getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
}

WebhookReceiver::~WebhookReceiver() { stop(); }

std::string WebhookReceiver::url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
}

void WebhookReceiver::script(const std::vector<int>& statuses) {
    std::lock_guard<std::mutex> lock(mutex_);
    script_.assign(statuses.begin(), statuses.end());
}

void WebhookReceiver::set_default_status(int status) {
    std::lock_guard<std::mutex> lock(mutex_);
    default_status_ = status;
}

void WebhookReceiver::set_delay(std::chrono::milliseconds delay) {
    std::lock_guard<std::mutex> lock(mutex_);
    delay_ = delay;
}

void WebhookReceiver::set_response_headers(const std::vector<std::string>& headers) {
    std::lock_guard<std::mutex> lock(mutex_);
    response_headers_ = headers;
}

std::vector<WebhookRequest> WebhookReceiver::requests() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
}

size_t WebhookReceiver::count() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_.size();
}

bool WebhookReceiver::wait_for(size_t count, std::chrono::milliseconds timeout) const {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return requests_.size() >= count; });
}

void WebhookReceiver::stop() {
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
    // The acceptor is gone, so nobody adds connections any more.
    for (auto& connection : connections_)
        if (connection.joinable()) connection.join();
    connections_.clear();
}

void WebhookReceiver::accept_loop() {
    for (;;) {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (stopping_) return;
        }
        pollfd waiting{listen_fd_, POLLIN, 0};
        int ready = ::poll(&waiting, 1, 50);
        if (ready <= 0) continue;
        int fd = ::accept(listen_fd_, nullptr, nullptr);
        if (fd < 0) continue;
        timeval timeout{5, 0};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
        connections_.emplace_back([this, fd] {
            serve(fd);
            ::close(fd);
        });
    }
}

void WebhookReceiver::serve(int fd) {
    std::string buffer;
    size_t head_end;
    while ((head_end = buffer.find("\r\n\r\n")) == std::string::npos) {
        if (buffer.size() > kMaxHead || !read_more(fd, buffer)) return;
    }
    WebhookRequest request;
    std::istringstream head(buffer.substr(0, head_end));
    std::string line;
    std::getline(head, line);
    {
        std::istringstream request_line(trim(line));
        std::string version;
        request_line >> request.method >> request.path >> version;
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

    if (lower(request.header("expect")) == "100-continue" && !send_all(fd, "HTTP/1.1 100 Continue\r\n\r\n")) return;
    if (lower(request.header("transfer-encoding")).find("chunked") != std::string::npos) {
        if (!read_chunked(fd, buffer, request.body)) return;
    } else if (request.has_header("content-length")) {
        size_t length = 0;
        try {
            length = std::stoul(request.header("content-length"));
        } catch (...) {
            return;
        }
        if (length > kMaxBody) return;
        while (buffer.size() < length) {
            if (!read_more(fd, buffer)) return;
        }
        request.body = buffer.substr(0, length);
    }
    request.arrived = std::chrono::steady_clock::now();
    request.arrived_wall = std::chrono::system_clock::now();

    int status;
    std::chrono::milliseconds delay;
    std::string extra_headers;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!script_.empty()) {
            status = script_.front();
            script_.pop_front();
        } else {
            status = default_status_;
        }
        delay = delay_;
        for (const auto& header : response_headers_) extra_headers += header + "\r\n";
        request.answered_status = status;
        requests_.push_back(request);
    }
    changed_.notify_all();

    if (delay.count() > 0) {
        std::unique_lock<std::mutex> lock(mutex_);
        changed_.wait_for(lock, delay, [&] { return stopping_; });
    }
    std::string text = std::to_string(status) + " " + reason_of(status) + "\n";
    std::string response = "HTTP/1.1 " + std::to_string(status) + " " + reason_of(status) + "\r\n" + extra_headers +
                           "Content-Type: text/plain\r\nContent-Length: " + std::to_string(text.size()) +
                           "\r\nConnection: close\r\n\r\n" + text;
    send_all(fd, response);
    ::shutdown(fd, SHUT_WR);
}

// ---- Signatures ---------------------------------------------------------------

std::string hmac_sha256(const std::string& key, const std::string& data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
             data.size(), digest, &length) == nullptr)
        throw std::runtime_error("HMAC-SHA256 failed");
    return std::string(reinterpret_cast<const char*>(digest), length);
}

std::string to_hex(const std::string& bytes) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char c : bytes) {
        out += digits[c >> 4];
        out += digits[c & 0x0f];
    }
    return out;
}

std::string base64_encode(const std::string& bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                 reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
    out.resize(static_cast<size_t>(length));
    return out;
}

bool base64_decode(const std::string& text, std::string& out) {
    if (text.empty() || text.size() % 4 != 0) return false;
    std::string decoded(3 * text.size() / 4, '\0');
    int length = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(decoded.data()),
                                 reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
    if (length < 0) return false;
    // EVP_DecodeBlock counts the padding as zero bytes.
    size_t padding = 0;
    if (text[text.size() - 1] == '=') ++padding;
    if (text[text.size() - 2] == '=') ++padding;
    decoded.resize(static_cast<size_t>(length) - padding);
    out = decoded;
    return true;
}

std::string hex_signature(const std::string& secret, const std::string& body) { return to_hex(hmac_sha256(secret, body)); }

std::string standard_signature(const std::string& secret, const std::string& id, const std::string& timestamp,
                               const std::string& body) {
    std::string key = secret;
    const std::string prefix = "whsec_";
    if (secret.compare(0, prefix.size(), prefix) == 0 && !base64_decode(secret.substr(prefix.size()), key))
        throw std::runtime_error("the whsec_ secret is not base64");
    return "v1," + base64_encode(hmac_sha256(key, id + "." + timestamp + "." + body));
}

bool verify_hex(const WebhookRequest& request, const std::string& secret) {
    if (!request.has_header("x-webhook-signature")) return false;
    return request.header("x-webhook-signature") == hex_signature(secret, request.body);
}

bool verify_standard(const WebhookRequest& request, const std::string& secret, std::chrono::seconds tolerance) {
    const std::string& id = request.header("webhook-id");
    const std::string& timestamp = request.header("webhook-timestamp");
    const std::string& signatures = request.header("webhook-signature");
    if (id.empty() || timestamp.empty() || signatures.empty()) return false;
    if (!std::all_of(timestamp.begin(), timestamp.end(), [](unsigned char c) { return std::isdigit(c); })) return false;
    long long seconds = 0;
    try {
        seconds = std::stoll(timestamp);
    } catch (...) {
        return false;
    }
    long long now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    if (seconds > now + tolerance.count() || seconds < now - tolerance.count()) return false;
    std::string expected = standard_signature(secret, id, timestamp, request.body);
    std::istringstream listed(signatures);
    std::string candidate;
    while (listed >> candidate)
        if (candidate == expected) return true;
    return false;
}

}  // namespace agenthost::testing
