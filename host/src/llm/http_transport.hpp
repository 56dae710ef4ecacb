// One HTTP request over libcurl (a POST for the providers, any method for
// the plugins' http service): connect and total timeouts, response headers,
// and the body either collected (up to a limit) or handed over chunk by
// chunk as it arrives (for streaming, only when the status is 2xx).
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace agenthost::llm {

struct HttpPost {
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    long long connect_timeout_ms = 10000;
    long long timeout_ms = 60000;
    // GET and HEAD send no body; any other method sends `body`.
    std::string method = "POST";
    // "host:port:address": connect there for the URL's host (an address the
    // SSRF guard checked, so a second DNS answer cannot swap it).
    std::string pinned_resolve;
    // > 0: a collected body past this many bytes aborts the transfer
    // (reply.too_large); 0 keeps at most 4 MiB of it.
    size_t max_body_bytes = 0;
};

struct HttpReply {
    int status = 0;                              // 0: no HTTP answer
    std::map<std::string, std::string> headers;  // names lower-cased (last value wins)
    std::string body;       // the whole body, or for a streamed 2xx answer nothing
    std::string error;      // transport failure: refused, reset, timeout, ...
    bool timed_out = false;
    bool streamed = false;  // the body went to on_chunk
    bool too_large = false; // the body passed HttpPost::max_body_bytes
    bool transport_error() const { return !error.empty(); }
    std::string header(const std::string& lower_name) const {
        auto found = headers.find(lower_name);
        return found == headers.end() ? std::string() : found->second;
    }
};

// Receives body bytes of a 2xx answer; returning false aborts the transfer.
using OnChunk = std::function<bool(std::string_view bytes)>;

// While alive, transfers made on this thread stop soon after `*cancelled`
// becomes true (libcurl's progress callback runs several times a second):
// a cancelled run's LLM call ends within a second instead of at its timeout.
// Scopes nest; the innermost one counts.
class CancelScope {
  public:
    explicit CancelScope(const std::atomic<bool>* cancelled);
    ~CancelScope();
    CancelScope(const CancelScope&) = delete;
    CancelScope& operator=(const CancelScope&) = delete;

  private:
    const std::atomic<bool>* previous_;
};

// Whether this thread's innermost CancelScope says cancelled.
bool transfer_cancelled();

// Never throws for network trouble: it comes back in reply.error. A transfer
// cut after the status line is a transport error too (reply.status is kept).
HttpReply http_post(const HttpPost& request, const OnChunk& on_chunk = {});

// Whether a TCP (and TLS) connection to the URL's host can be opened within
// `timeout_ms`; sends no request. `error` says why not.
bool http_reachable(const std::string& url, long long timeout_ms, std::string& error);

}  // namespace agenthost::llm
