#include "http/websocket_hub.hpp"

#include "util/log.hpp"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <vector>

namespace agenthost::http {

using Clock = std::chrono::steady_clock;

struct WebSocketHub::Connection {
    WebSocketId id = 0;
    std::unique_ptr<RawConnection> raw;
    Handlers handlers;
    WebSocketReader reader{1024 * 1024};
    std::string pending;
    bool waiting_writable = false;
    bool closing = false;         // our close frame is queued or sent
    bool close_after_flush = false;  // the client closed: answer, then end
    Clock::time_point close_deadline{};
    Clock::time_point last_heard = Clock::now();
    Clock::time_point last_ping = Clock::now();
};

WebSocketHub::WebSocketHub(WebSocketSettings settings) : settings_(settings) {
    epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
    wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (epoll_fd_ < 0 || wake_fd_ < 0) throw std::runtime_error("websocket hub: cannot create epoll or eventfd");
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = 0;
    epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &event);
    thread_ = std::thread([this] { loop(); });
}

WebSocketHub::~WebSocketHub() {
    stop();
    ::close(wake_fd_);
    ::close(epoll_fd_);
}

void WebSocketHub::stop() {
    if (stopping_.exchange(true)) return;
    uint64_t one = 1;
    (void)!write(wake_fd_, &one, sizeof one);
    if (thread_.joinable()) thread_.join();
}

void WebSocketHub::post(Command command) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        commands_.push_back(std::move(command));
    }
    uint64_t one = 1;
    (void)!write(wake_fd_, &one, sizeof one);
}

void WebSocketHub::open(WebSocketId id, std::unique_ptr<RawConnection> connection, std::string handshake,
                        Handlers handlers) {
    post({Command::Kind::open, id, std::move(handshake), std::move(connection), std::move(handlers)});
}

void WebSocketHub::deliver(WebSocketId id, std::string_view bytes) {
    post({Command::Kind::input, id, std::string(bytes), nullptr, {}});
}

void WebSocketHub::send_text(WebSocketId id, std::string text) {
    post({Command::Kind::send, id, websocket_frame(ws_opcode::text, text), nullptr, {}});
}

void WebSocketHub::close(WebSocketId id, int code, std::string reason) {
    Command command{Command::Kind::close, id, std::move(reason), nullptr, {}};
    command.code = code;
    post(std::move(command));
}

void WebSocketHub::apply(Command& command) {
    if (command.kind == Command::Kind::open) {
        auto connection = std::make_unique<Connection>();
        connection->id = command.id;
        connection->raw = std::move(command.connection);
        connection->handlers = std::move(command.handlers);
        connection->reader = WebSocketReader(settings_.max_message_bytes);
        connection->pending = std::move(command.bytes);
        epoll_event event{};
        event.events = EPOLLRDHUP;
        event.data.u64 = command.id;
        epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, connection->raw->fd(), &event);
        Connection& ref = *connection;
        connections_[command.id] = std::move(connection);
        ++open_count_;
        flush(ref);
        return;
    }
    auto found = connections_.find(command.id);
    if (found == connections_.end()) return;
    Connection& connection = *found->second;
    if (command.kind == Command::Kind::input) {
        receive(connection, command.bytes);
        return;
    }
    if (connection.closing) return;  // nothing follows a close frame
    if (command.kind == Command::Kind::send) {
        connection.pending += command.bytes;
    } else {
        connection.pending += websocket_close_frame(command.code, command.bytes);
        connection.closing = true;
        connection.close_deadline = Clock::now() + std::chrono::seconds(1);
    }
    flush(connection);
}

void WebSocketHub::flush(Connection& connection) {
    if (!connection.pending.empty()) {
        long written = connection.raw->write_some(connection.pending.data(), connection.pending.size());
        if (written < 0) {
            end(connection.id);
            return;
        }
        connection.pending.erase(0, static_cast<size_t>(written));
        if (connection.pending.size() > settings_.max_buffered_bytes) {
            log::warn("websocket dropped: client too slow", {{"request_id", connection.raw->request_id()}});
            end(connection.id);
            return;
        }
    }
    if (connection.close_after_flush && connection.pending.empty()) {
        end(connection.id);
        return;
    }
    bool want_writable = !connection.pending.empty();
    if (want_writable != connection.waiting_writable) {
        epoll_event event{};
        event.events = EPOLLRDHUP | (want_writable ? EPOLLOUT : 0u);
        event.data.u64 = connection.id;
        epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, connection.raw->fd(), &event);
        connection.waiting_writable = want_writable;
    }
}

void WebSocketHub::receive(Connection& connection, const std::string& bytes) {
    WebSocketId id = connection.id;
    auto now = Clock::now();
    connection.last_heard = now;
    std::vector<WebSocketMessage> messages;
    int failure = connection.reader.feed(bytes.data(), bytes.size(), messages);
    for (auto& message : messages) {
        if (message.opcode == ws_opcode::ping) {
            if (!connection.closing) connection.pending += websocket_frame(ws_opcode::pong, message.payload);
        } else if (message.opcode == ws_opcode::close) {
            // The client's close: echo its code (section 5.5.1) and end.
            if (!connection.closing)
                connection.pending +=
                    websocket_close_frame(message.close_code != 0 ? message.close_code : ws_close::normal);
            connection.closing = true;
            connection.close_after_flush = true;
            break;
        } else if (message.opcode == ws_opcode::text && !connection.closing) {
            if (connection.handlers.on_text) connection.handlers.on_text(id, message.payload);
        } else if (message.opcode == ws_opcode::binary && !connection.closing) {
            connection.pending += websocket_close_frame(ws_close::unsupported, "binary messages are not understood");
            connection.closing = true;
            connection.close_deadline = now + std::chrono::seconds(1);
        }
    }
    if (failure > 0 && !connection.closing) {
        connection.pending += websocket_close_frame(failure, "protocol violation");
        connection.closing = true;
        connection.close_after_flush = true;
    }
    flush(connection);
}

void WebSocketHub::tick(Connection& connection, Clock::time_point now) {
    if (!connection.closing && now - connection.last_ping >= settings_.ping_interval) {
        connection.pending += websocket_frame(ws_opcode::ping, "");
        connection.last_ping = now;
    }
    // Silent past the timeout (not even a pong): the client vanished
    // without closing; a close handshake the client never answers ends too.
    if (now - connection.last_heard >= settings_.idle_timeout ||
        (connection.closing && !connection.close_after_flush && now >= connection.close_deadline)) {
        end(connection.id);
        return;
    }
    flush(connection);
}

void WebSocketHub::end(WebSocketId id) {
    auto found = connections_.find(id);
    if (found == connections_.end()) return;
    std::unique_ptr<Connection> connection = std::move(found->second);
    connections_.erase(found);
    --open_count_;
    epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, connection->raw->fd(), nullptr);
    connection->raw->shut_down();
    if (connection->handlers.on_closed) {
        try {
            connection->handlers.on_closed(id);
        } catch (const std::exception& e) {
            log::error("websocket close callback threw", {{"error", e.what()}});
        }
    }
}

void WebSocketHub::loop() {
    std::vector<epoll_event> events(256);
    auto next_tick = Clock::now() + settings_.tick;
    while (!stopping_.load()) {
        int timeout = connections_.empty() ? 1000 : static_cast<int>(settings_.tick.count());
        int ready = epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()), timeout);
        // Input first: bytes the reactor read just before a hang-up (a close
        // frame, the last message) are handled before the hang-up ends it.
        std::deque<Command> commands;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            commands.swap(commands_);
        }
        for (Command& command : commands) apply(command);
        for (int i = 0; i < ready; ++i) {
            WebSocketId id = events[i].data.u64;
            if (id == 0) {
                uint64_t drained;
                (void)!read(wake_fd_, &drained, sizeof drained);
                continue;
            }
            auto found = connections_.find(id);
            if (found == connections_.end()) continue;
            // The reactor reads; a hang-up or reset is seen here.
            if (events[i].events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) end(id);
            else if (events[i].events & EPOLLOUT) flush(*found->second);
        }
        auto now = Clock::now();
        if (now >= next_tick) {
            next_tick = now + settings_.tick;
            std::vector<WebSocketId> ids;
            for (auto& [id, connection] : connections_) ids.push_back(id);
            for (WebSocketId id : ids) {
                auto found = connections_.find(id);
                if (found != connections_.end()) tick(*found->second, now);
            }
        }
    }
    std::vector<WebSocketId> remaining;
    for (auto& [id, connection] : connections_) remaining.push_back(id);
    for (WebSocketId id : remaining) {
        auto found = connections_.find(id);
        if (found == connections_.end()) continue;
        found->second->pending += websocket_close_frame(ws_close::going_away, "host stopping");
        found->second->raw->write_some(found->second->pending.data(), found->second->pending.size());
        end(id);
    }
}

}  // namespace agenthost::http
