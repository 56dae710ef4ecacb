#include "webhook_receiver.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <sstream>
#include <stdexcept>

namespace agenthost::testing {

WebhookReceiver::WebhookReceiver(int port)
    : server_("webhook receiver", port, std::chrono::seconds(5),
              [this](int fd, LoopbackRequest request) { answer(fd, std::move(request)); }) {}

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

void WebhookReceiver::answer(int fd, LoopbackRequest received) {
    WebhookRequest request;
    static_cast<LoopbackRequest&>(request) = std::move(received);
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

    server_.pause(delay);
    std::string text = std::to_string(status) + " " + reason_phrase(status) + "\n";
    std::string response = "HTTP/1.1 " + std::to_string(status) + " " + reason_phrase(status) + "\r\n" + extra_headers +
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
