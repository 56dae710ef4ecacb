// Every streamed response in one place: a thread that owns the taken-over
// connections, writes what producers queue for them (from any thread),
// buffers for slow clients, sends heartbeats on idle streams, and reports
// clients that hang up. Producers never touch a socket.
#pragma once

#include "http/raw_connection.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace agenthost::http {

using StreamId = uint64_t;

struct StreamHubSettings {
    std::chrono::milliseconds heartbeat{15000};
    std::string heartbeat_bytes = ": keep-alive\n\n";
    size_t max_buffered_bytes = 4 * 1024 * 1024;  // a client further behind is dropped
};

class StreamHub {
  public:
    // Called on the hub thread once a stream ends: `client_left` when the
    // client hung up (or could not keep up), false when the producer closed it.
    using Closed = std::function<void(bool client_left)>;

    explicit StreamHub(StreamHubSettings settings);
    ~StreamHub();
    StreamHub(const StreamHub&) = delete;
    StreamHub& operator=(const StreamHub&) = delete;

    // Adopts a connection; `head` is written first.
    StreamId open(std::unique_ptr<RawConnection> connection, std::string head, Closed closed);
    // Queues bytes; ignored once the stream ended.
    void send(StreamId stream, std::string bytes);
    // Ends the stream after what is queued has been written.
    void finish(StreamId stream);
    size_t open_streams() const { return open_count_.load(); }
    // Closes every stream (shutdown).
    void stop();

  private:
    struct Stream;
    struct Command {
        enum class Kind { open, send, finish } kind;
        StreamId id;
        std::string bytes;
        std::unique_ptr<RawConnection> connection;
        Closed closed;
    };
    void loop();
    void apply(Command& command);
    void flush(Stream& stream);
    void end(StreamId id, bool client_left);
    void post(Command command);

    StreamHubSettings settings_;
    int epoll_fd_ = -1;
    int wake_fd_ = -1;
    std::mutex mutex_;
    std::deque<Command> commands_;
    std::map<StreamId, std::unique_ptr<Stream>> streams_;  // hub thread only
    std::atomic<StreamId> next_id_{1};
    std::atomic<size_t> open_count_{0};
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

}  // namespace agenthost::http
