// WebSocket connections taken over from Pistache (GET /stream), served by
// one thread: answering client frames (ping, close, text), writing
// messages, pinging idle clients and dropping vanished ones.
//
// Pistache 0.0.5 goes on reading the socket after a take-over: the bytes it
// reads reach the hub through the take-over's input sink (deliver), never
// Pistache's HTTP parser. Writes go through the hub's own dup() of the
// descriptor, as for Server-Sent Events (raw_connection.hpp).
#pragma once

#include "http/raw_connection.hpp"
#include "http/websocket_frames.hpp"

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace agenthost::http {

using WebSocketId = uint64_t;

struct WebSocketSettings {
    std::chrono::milliseconds ping_interval{15000};
    // A client silent (not even a pong) this long is gone.
    std::chrono::milliseconds idle_timeout{45000};
    std::chrono::milliseconds tick{100};  // how often pings and timeouts are looked at
    size_t max_message_bytes = 1024 * 1024;
    size_t max_buffered_bytes = 8 * 1024 * 1024;
};

class WebSocketHub {
  public:
    // Called on the hub thread; they must not block.
    struct Handlers {
        std::function<void(WebSocketId, const std::string& text)> on_text;
        std::function<void(WebSocketId)> on_closed;  // once, however it ended
    };

    explicit WebSocketHub(WebSocketSettings settings = {});
    ~WebSocketHub();
    WebSocketHub(const WebSocketHub&) = delete;
    WebSocketHub& operator=(const WebSocketHub&) = delete;

    // An id for a connection about to be opened: its input sink needs it
    // before the take-over.
    WebSocketId reserve() { return next_id_++; }
    // Bytes the client sent (from the take-over's input sink; any thread).
    void deliver(WebSocketId id, std::string_view bytes);
    // Sends `handshake` (the 101 response) and serves the connection.
    void open(WebSocketId id, std::unique_ptr<RawConnection> connection, std::string handshake, Handlers handlers);
    void send_text(WebSocketId id, std::string text);
    // Starts the close handshake; the connection ends when the client
    // answers (or after a second).
    void close(WebSocketId id, int code, std::string reason = "");
    size_t open_count() const { return open_count_.load(); }
    void stop();

  private:
    struct Connection;
    struct Command {
        enum class Kind { open, input, send, close } kind;
        WebSocketId id;
        std::string bytes;
        std::unique_ptr<RawConnection> connection;
        Handlers handlers;
        int code = 0;
    };
    void loop();
    void apply(Command& command);
    void receive(Connection& connection, const std::string& bytes);
    void tick(Connection& connection, std::chrono::steady_clock::time_point now);
    void flush(Connection& connection);
    void end(WebSocketId id);
    void post(Command command);

    WebSocketSettings settings_;
    int epoll_fd_ = -1;
    int wake_fd_ = -1;
    std::mutex mutex_;
    std::deque<Command> commands_;
    std::map<WebSocketId, std::unique_ptr<Connection>> connections_;  // hub thread only
    std::atomic<WebSocketId> next_id_{1};
    std::atomic<size_t> open_count_{0};
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

}  // namespace agenthost::http
