// A webhook endpoint for tests: a small HTTP/1.1 server on 127.0.0.1 that
// records every request the host sends it and answers with scripted status
// codes. Signatures are checked with this file's own code (OpenSSL), never
// with the host's, so a host that signs wrongly cannot agree with itself.
#pragma once

#include "loopback_server.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace agenthost::testing {

struct WebhookRequest : LoopbackRequest {
    std::chrono::steady_clock::time_point arrived;
    std::chrono::system_clock::time_point arrived_wall;
    int answered_status = 0;  // the status the receiver answered (or was about to, when delayed)
};

class WebhookReceiver {
  public:
    // Listens on 127.0.0.1:`port`; 0 picks an ephemeral port. Throws when it
    // cannot bind.
    explicit WebhookReceiver(int port = 0);
    WebhookReceiver(const WebhookReceiver&) = delete;
    WebhookReceiver& operator=(const WebhookReceiver&) = delete;

    int port() const { return server_.port(); }
    // "http://127.0.0.1:PORT" + path.
    std::string url(const std::string& path = "/hook") const { return server_.url(path); }

    // Status codes to answer, in order, one per request; once used up the
    // default answers (200 unless set).
    void script(const std::vector<int>& statuses);
    void set_default_status(int status);
    // Held before answering each request (the request is recorded at once).
    void set_delay(std::chrono::milliseconds delay);
    // Extra header lines ("Name: value") added to every answer, e.g. Location.
    void set_response_headers(const std::vector<std::string>& headers);

    std::vector<WebhookRequest> requests() const;
    size_t count() const;
    // True once at least `count` requests arrived, false at the timeout.
    bool wait_for(size_t count, std::chrono::milliseconds timeout) const;

    // Stops listening and waits for the connection threads (idempotent).
    void stop() { server_.stop(); }

  private:
    void answer(int fd, LoopbackRequest request);

    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    std::vector<WebhookRequest> requests_;
    std::deque<int> script_;
    int default_status_ = 200;
    std::chrono::milliseconds delay_{0};
    std::vector<std::string> response_headers_;
    // Last: destroyed (stopped) first, while the state its handler uses lives.
    LoopbackServer server_;
};

// ---- Signatures (independent of the host) -----------------------------------

// Raw HMAC-SHA256 of `data` under `key`.
std::string hmac_sha256(const std::string& key, const std::string& data);
std::string to_hex(const std::string& bytes);       // lower case
std::string base64_encode(const std::string& bytes);  // standard alphabet, padded
// Standard base64 (padding required); false when `text` is not base64.
bool base64_decode(const std::string& text, std::string& out);

// Seed 004: hmac.new(secret.encode(), payload, hashlib.sha256).hexdigest()
std::string hex_signature(const std::string& secret, const std::string& body);
// Standard Webhooks: "v1," + base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}")), where
// key is base64-decode(secret without "whsec_") for a "whsec_" secret, else the secret's bytes.
std::string standard_signature(const std::string& secret, const std::string& id, const std::string& timestamp,
                               const std::string& body);

// X-Webhook-Signature equals the lower-case hex HMAC-SHA256(secret, raw body).
bool verify_hex(const WebhookRequest& request, const std::string& secret);
// webhook-id, webhook-timestamp (Unix seconds, within `tolerance` of now)
// and a webhook-signature carrying a matching "v1,<base64>" (the header may
// list several, space-separated).
bool verify_standard(const WebhookRequest& request, const std::string& secret,
                     std::chrono::seconds tolerance = std::chrono::seconds(300));

}  // namespace agenthost::testing
