// The host's own view of an HTTP exchange. Handlers and everything below them
// see only these types, never Pistache's.
#pragma once

#include "auth/principal.hpp"
#include "http/raw_connection.hpp"

#include <map>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace agenthost::http {

struct HttpRequest {
    std::string method;  // "GET", "POST", ...
    std::string path;    // without the query string
    std::map<std::string, std::string> query;    // decoded
    std::map<std::string, std::string> headers;  // names lower-cased
    std::map<std::string, std::string> params;   // from the route pattern
    std::string body;
    std::string request_id;
    // Set by the access filter before dispatch (anonymous while auth is off).
    auth::Principal principal;
    std::string client_address;  // the peer's IP, for per-client rate limits

    // The header's value, or "" when absent. `name` in lower case.
    const std::string& header(const std::string& name) const;
    const std::string& param(const std::string& name) const;
};

struct HttpResponse {
    int status = 200;
    std::string body;
    std::string content_type = "application/json";
    std::vector<std::pair<std::string, std::string>> headers;
};

inline HttpResponse json_response(int status, std::string body) {
    HttpResponse response;
    response.status = status;
    response.body = std::move(body);
    return response;
}



// What the client sends on a taken-over connection (a WebSocket's frames),
// as the server's reactor reads it, on that thread: Pistache goes on reading
// the socket, and without a sink would parse those bytes as HTTP.
using InputSink = std::function<void(std::string_view bytes)>;

// Where a handler's one response goes. Implemented by the server.
class ResponseChannel {
  public:
    virtual ~ResponseChannel() = default;
    virtual void send(HttpResponse response) = 0;
    virtual std::unique_ptr<RawConnection> take_over(InputSink sink) = 0;
    // The route template that matched ("/runs/:id"), for metrics; the
    // string lives as long as the router.
    virtual void set_route(const std::string* pattern) { (void)pattern; }
};

// A handler's way to answer, now or later from another thread. Copies share
// one channel; only the first send is delivered.
class Responder {
  public:
    explicit Responder(std::shared_ptr<ResponseChannel> channel) : channel_(std::move(channel)) {}
    // A JSON body that is not UTF-8 (bytes a client sent, echoed) has them
    // replaced by U+FFFD on the way out: no JSON answer is ever unreadable.
    void send(HttpResponse response) const;
    // Takes the connection out of the HTTP server for a streamed response
    // (see raw_connection.hpp); null if the client is already gone. Call it
    // from the handler itself, on the thread that received the request,
    // before answering in any other way.
    std::unique_ptr<RawConnection> take_over(InputSink sink = nullptr) const {
        return channel_->take_over(std::move(sink));
    }
    void set_route(const std::string* pattern) const { channel_->set_route(pattern); }

  private:
    std::shared_ptr<ResponseChannel> channel_;
};

}  // namespace agenthost::http
