// Server-Sent Events as providers stream them: bytes arrive in arbitrary
// chunks; complete events ("event:" name plus joined "data:" lines) come out
// at each blank line. Comments (":") and unknown fields are ignored.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace agenthost::llm {

class SseLineParser {
  public:
    // Called with the event's name ("" when it had none) and data.
    using OnEvent = std::function<void(const std::string& event, const std::string& data)>;
    explicit SseLineParser(OnEvent on_event) : on_event_(std::move(on_event)) {}

    // Feeds bytes; dispatches every event completed by them.
    void feed(std::string_view bytes);
    // The stream ended: an event not yet ended by a blank line is dropped,
    // as the SSE spec says. True when nothing was left half-read.
    bool finish();
    // Bytes buffered that do not yet form a complete line.
    size_t pending() const { return line_.size(); }

  private:
    void line(std::string_view text);

    OnEvent on_event_;
    std::string line_;
    std::string event_;
    std::string data_;
    bool has_data_ = false;
    bool skip_lf_ = false;
};

}  // namespace agenthost::llm
