// A raw-socket HTTP client for streamed responses: reads Server-Sent Events
// frame by frame, can hang up at any point, and reports how the server ended
// the stream. libcurl would hide exactly what these tests look at.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace agenthost::testing {

struct SseFrame {
    std::string id;
    std::string event;  // "" for plain data frames
    std::string data;
};

class SseClient {
  public:
    // Connects to 127.0.0.1:port and sends the request.
    SseClient(int port, const std::string& method, const std::string& path, const std::string& body = "",
              const std::vector<std::string>& headers = {});
    ~SseClient();
    SseClient(const SseClient&) = delete;
    SseClient& operator=(const SseClient&) = delete;

    // Reads until `count` more frames arrived, the server closed, or the
    // timeout passed. Returns false on timeout.
    bool read_frames(size_t count, std::chrono::milliseconds timeout);
    // Reads until the server closes the connection (or the timeout).
    bool read_to_end(std::chrono::milliseconds timeout);
    // Hangs up now.
    void hang_up();

    int status() const { return status_; }
    const std::map<std::string, std::string>& headers() const { return headers_; }
    const std::vector<SseFrame>& frames() const { return frames_; }
    size_t comments() const { return comments_; }  // heartbeat lines
    bool closed_by_server() const { return closed_; }
    const std::string& raw_body() const { return body_; }

  private:
    bool read_some(std::chrono::steady_clock::time_point deadline);
    void parse();

    int fd_ = -1;
    std::string buffer_;
    std::string body_;
    bool head_done_ = false;
    int status_ = 0;
    std::map<std::string, std::string> headers_;
    std::vector<SseFrame> frames_;
    size_t comments_ = 0;
    bool closed_ = false;
};

}  // namespace agenthost::testing
