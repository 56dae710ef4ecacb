#include "http/raw_connection.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace agenthost::http {
namespace {

const char* reason_phrase(int status) {
    switch (status) {
        case 200: return "OK";
        case 400: return "Bad Request";
        case 404: return "Not Found";
        case 409: return "Conflict";
        case 422: return "Unprocessable Entity";
        case 500: return "Internal Server Error";
        case 503: return "Service Unavailable";
        default: return "Status";
    }
}

}  // namespace

RawConnection::RawConnection(int fd, std::string request_id, std::string extra_headers)
    : fd_(fd), request_id_(std::move(request_id)), extra_headers_(std::move(extra_headers)) {
    int flags = fcntl(fd_, F_GETFL, 0);
    if (flags >= 0) fcntl(fd_, F_SETFL, flags | O_NONBLOCK);
}

RawConnection::~RawConnection() {
    if (fd_ >= 0) close(fd_);
}

long RawConnection::write_some(const char* data, size_t size) {
    size_t written = 0;
    while (written < size) {
        ssize_t n = send(fd_, data + written, size - written, MSG_NOSIGNAL);
        if (n > 0) {
            written += static_cast<size_t>(n);
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        return -1;
    }
    return static_cast<long>(written);
}

void RawConnection::shut_down() { shutdown(fd_, SHUT_RDWR); }

std::string response_head(int status, const std::string& content_type, const std::string& request_id,
                          const std::string& extra_headers) {
    return "HTTP/1.1 " + std::to_string(status) + " " + reason_phrase(status) + "\r\nContent-Type: " + content_type +
           "\r\nCache-Control: no-cache\r\nConnection: close\r\nX-Accel-Buffering: no\r\nX-Request-ID: " + request_id +
           "\r\n" + extra_headers + "\r\n";
}

std::string response_head(int status, const std::string& content_type, const RawConnection& connection) {
    return response_head(status, content_type, connection.request_id(), connection.extra_headers());
}

}  // namespace agenthost::http
