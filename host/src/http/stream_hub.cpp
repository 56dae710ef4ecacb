#include "http/stream_hub.hpp"

#include "util/log.hpp"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>

namespace agenthost::http {

using Clock = std::chrono::steady_clock;

struct StreamHub::Stream {
    StreamId id;
    std::unique_ptr<RawConnection> connection;
    Closed closed;
    std::string pending;  // written bytes are erased from the front
    bool finishing = false;
    bool waiting_writable = false;
    Clock::time_point last_write = Clock::now();
};

StreamHub::StreamHub(StreamHubSettings settings) : settings_(std::move(settings)) {
    epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
    wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (epoll_fd_ < 0 || wake_fd_ < 0) throw std::runtime_error("stream hub: cannot create epoll or eventfd");
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = 0;  // stream ids start at 1
    epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &event);
    thread_ = std::thread([this] { loop(); });
}

StreamHub::~StreamHub() {
    stop();
    close(wake_fd_);
    close(epoll_fd_);
}

void StreamHub::stop() {
    if (stopping_.exchange(true)) return;
    uint64_t one = 1;
    (void)!write(wake_fd_, &one, sizeof one);
    if (thread_.joinable()) thread_.join();
}

void StreamHub::post(Command command) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        commands_.push_back(std::move(command));
    }
    uint64_t one = 1;
    (void)!write(wake_fd_, &one, sizeof one);
}

StreamId StreamHub::open(std::unique_ptr<RawConnection> connection, std::string head, Closed closed) {
    StreamId id = next_id_++;
    post({Command::Kind::open, id, std::move(head), std::move(connection), std::move(closed)});
    return id;
}

void StreamHub::send(StreamId stream, std::string bytes) { post({Command::Kind::send, stream, std::move(bytes), nullptr, nullptr}); }

void StreamHub::finish(StreamId stream) { post({Command::Kind::finish, stream, {}, nullptr, nullptr}); }

void StreamHub::apply(Command& command) {
    if (command.kind == Command::Kind::open) {
        auto stream = std::make_unique<Stream>();
        stream->id = command.id;
        stream->connection = std::move(command.connection);
        stream->closed = std::move(command.closed);
        stream->pending = std::move(command.bytes);
        epoll_event event{};
        // Hang-ups only: Pistache still owns reading from this socket.
        event.events = EPOLLRDHUP;
        event.data.u64 = command.id;
        epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, stream->connection->fd(), &event);
        Stream& ref = *stream;
        streams_[command.id] = std::move(stream);
        ++open_count_;
        flush(ref);
        return;
    }
    auto found = streams_.find(command.id);
    if (found == streams_.end()) return;  // already ended
    Stream& stream = *found->second;
    if (command.kind == Command::Kind::send) stream.pending += command.bytes;
    else stream.finishing = true;
    flush(stream);
}

void StreamHub::flush(Stream& stream) {
    if (!stream.pending.empty()) {
        long written = stream.connection->write_some(stream.pending.data(), stream.pending.size());
        if (written < 0) {
            end(stream.id, true);
            return;
        }
        if (written > 0) {
            stream.pending.erase(0, static_cast<size_t>(written));
            stream.last_write = Clock::now();
        }
        if (stream.pending.size() > settings_.max_buffered_bytes) {
            log::warn("stream dropped: client too slow", {{"request_id", stream.connection->request_id()}});
            end(stream.id, true);
            return;
        }
    }
    bool want_writable = !stream.pending.empty();
    if (want_writable != stream.waiting_writable) {
        epoll_event event{};
        event.events = EPOLLRDHUP | (want_writable ? EPOLLOUT : 0u);
        event.data.u64 = stream.id;
        epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, stream.connection->fd(), &event);
        stream.waiting_writable = want_writable;
    }
    if (stream.finishing && stream.pending.empty()) end(stream.id, false);
}

void StreamHub::end(StreamId id, bool client_left) {
    auto found = streams_.find(id);
    if (found == streams_.end()) return;
    std::unique_ptr<Stream> stream = std::move(found->second);
    streams_.erase(found);
    --open_count_;
    epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, stream->connection->fd(), nullptr);
    stream->connection->shut_down();
    if (stream->closed) {
        try {
            stream->closed(client_left);
        } catch (const std::exception& e) {
            log::error("stream close callback threw", {{"error", e.what()}});
        }
    }
}  // the connection's descriptor closes here

void StreamHub::loop() {
    std::vector<epoll_event> events(256);
    // Idle streams are looked at twice per heartbeat interval (at most once
    // a second is plenty for the default 15 s).
    const auto check_every = std::clamp<std::chrono::milliseconds>(settings_.heartbeat / 2, std::chrono::milliseconds(10),
                                                                   std::chrono::milliseconds(1000));
    auto next_heartbeat_check = Clock::now() + check_every;
    while (!stopping_.load()) {
        int timeout_ms = static_cast<int>(
            std::max<long long>(0, std::chrono::duration_cast<std::chrono::milliseconds>(next_heartbeat_check - Clock::now()).count()));
        int ready = epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()), timeout_ms);
        for (int i = 0; i < ready; ++i) {
            StreamId id = events[i].data.u64;
            if (id == 0) {
                uint64_t drained;
                (void)!read(wake_fd_, &drained, sizeof drained);
                continue;
            }
            auto found = streams_.find(id);
            if (found == streams_.end()) continue;
            if (events[i].events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) end(id, true);
            else if (events[i].events & EPOLLOUT) flush(*found->second);
        }
        std::deque<Command> commands;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            commands.swap(commands_);
        }
        for (Command& command : commands) apply(command);
        auto now = Clock::now();
        if (now >= next_heartbeat_check) {
            next_heartbeat_check = now + check_every;
            std::vector<StreamId> idle;
            for (auto& [id, stream] : streams_)
                if (stream->pending.empty() && now - stream->last_write >= settings_.heartbeat) idle.push_back(id);
            for (StreamId id : idle) {
                auto found = streams_.find(id);
                if (found == streams_.end()) continue;
                found->second->pending += settings_.heartbeat_bytes;
                flush(*found->second);
            }
        }
    }
    // Shutdown: every client sees its stream end.
    std::vector<StreamId> remaining;
    for (auto& [id, stream] : streams_) remaining.push_back(id);
    for (StreamId id : remaining) end(id, false);
}

}  // namespace agenthost::http
