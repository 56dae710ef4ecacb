// A client connection taken over from Pistache for a long-lived response
// (Server-Sent Events). Pistache 0.0.5 aborts the process when a
// ResponseStream is written from another thread (upstream #1006, #1290), so
// streamed responses never go through it: the host keeps its own dup() of
// the socket, so the descriptor number cannot be closed and reused under it,
// writes close-delimited HTTP itself, and ends the connection with
// shutdown(), which Pistache then sees as the client hanging up.
#pragma once

#include <string>

namespace agenthost::http {

class RawConnection {
  public:
    // Takes ownership of `fd` (a dup of the client socket) and makes it
    // non-blocking. `extra_headers` ("Name: value\r\n" lines, such as CORS
    // headers) go into the response head.
    RawConnection(int fd, std::string request_id, std::string extra_headers = "");
    ~RawConnection();
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;

    int fd() const { return fd_; }
    const std::string& request_id() const { return request_id_; }
    const std::string& extra_headers() const { return extra_headers_; }

    // Writes as much of `data` as the socket takes now; returns the bytes
    // written, or -1 when the client is gone.
    long write_some(const char* data, size_t size);
    // Ends the response: no more data either way; the peer sees EOF.
    void shut_down();

  private:
    int fd_;
    std::string request_id_;
    std::string extra_headers_;
};

// The head of a close-delimited HTTP/1.1 response.
std::string response_head(int status, const std::string& content_type, const std::string& request_id,
                          const std::string& extra_headers = "");
// The same for a taken-over connection, with its extra headers.
std::string response_head(int status, const std::string& content_type, const RawConnection& connection);

}  // namespace agenthost::http
