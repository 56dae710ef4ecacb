// The HTTP/1.1 server under the tests' fake peers (webhook receiver, LLM
// provider): listens on 127.0.0.1, reads one request per connection
// (Content-Length or chunked body, Expect: 100-continue) and hands it with
// the socket to the peer, which answers and closes. Stopping wakes any
// answer that is being held back.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace agenthost::testing {

struct LoopbackRequest {
    std::string method;
    std::string path;                           // the request target as sent (path and query)
    std::map<std::string, std::string> headers;  // names lower-cased; repeated headers joined with ", "
    std::string body;                           // raw bytes as received (chunked bodies decoded)

    // The header's value, or "" when absent; `name` in lower case.
    const std::string& header(const std::string& name) const;
    bool has_header(const std::string& name) const { return headers.count(name) != 0; }
};

class LoopbackServer {
  public:
    // Answers `request` on `fd`; the server closes the socket afterwards.
    using Handler = std::function<void(int fd, LoopbackRequest request)>;

    // Listens on 127.0.0.1:`port` (0: an ephemeral port); throws naming
    // `name` when it cannot. Sockets time out after `io_timeout`.
    LoopbackServer(const std::string& name, int port, std::chrono::seconds io_timeout, Handler handler);
    ~LoopbackServer();
    LoopbackServer(const LoopbackServer&) = delete;
    LoopbackServer& operator=(const LoopbackServer&) = delete;

    int port() const { return port_; }
    // "http://127.0.0.1:PORT" + path.
    std::string url(const std::string& path) const;

    // Waits `delay` unless the server stops first; false once it stopped.
    bool pause(std::chrono::milliseconds delay);
    // Stops listening and waits for the connection threads (idempotent).
    void stop();

  private:
    void accept_loop();
    void serve(int fd);

    std::string name_;
    std::chrono::seconds io_timeout_;
    Handler handler_;
    int listen_fd_ = -1;
    int port_ = 0;
    std::mutex mutex_;
    std::condition_variable stopped_;
    bool stopping_ = false;
    std::vector<std::thread> connections_;
    std::thread acceptor_;
};

// Writes all of `data`; false when the peer went away.
bool send_all(int fd, const std::string& data);
// "OK", "Too Many Requests", ... ("Status" for codes it does not know).
const char* reason_phrase(int status);

}  // namespace agenthost::testing
