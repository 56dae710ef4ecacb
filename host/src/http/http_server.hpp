// The HTTP server: the one place that knows Pistache. It turns Pistache
// requests into HttpRequest, dispatches them through the Router and writes
// each HttpResponse once, working around Pistache 0.0.5's defects (see
// shared/notes/pistache-0.0.5.md): keep-alive by default, an explicit body
// limit answered with 413 in the error envelope, SIGPIPE ignored.
#pragma once

#include "http/router.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace agenthost::http {

struct ServerSettings {
    std::string host = "127.0.0.1";
    uint16_t port = 8000;  // 0 picks a free port
    int threads = 2;
    size_t max_request_bytes = 1024 * 1024;
    // A request that stalls half-sent is answered 408 and closed after this.
    double header_timeout_seconds = 60;
    // The longest a client may wait for an answer still being worked on (a
    // sync invoke, a run wait): the connection is kept that long at least.
    double longest_answer_seconds = 300;
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// Runs before every request is dispatched (the access checks live in one):
// it may set request fields, add headers to whatever response goes out
// (errors included), answer by itself (returning a response), or refuse by
// throwing ApiError.
using RequestFilter = std::function<std::optional<HttpResponse>(HttpRequest& request, HeaderList& response_headers)>;

class HttpServer {
  public:
    HttpServer(ServerSettings settings, const Router& router, RequestFilter filter = nullptr);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // Binds and serves on background threads; throws std::runtime_error
    // when the address cannot be bound.
    void start();
    uint16_t port() const;
    // From now on only reads (GET, HEAD, OPTIONS) are served; anything else
    // is answered 503 ShuttingDown with Retry-After (the stop signal: new
    // work goes elsewhere while accepted work drains).
    void drain();
    // Stops accepting and closes connections.
    void shutdown();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace agenthost::http
