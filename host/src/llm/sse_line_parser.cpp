#include "llm/sse_line_parser.hpp"

namespace agenthost::llm {

void SseLineParser::feed(std::string_view bytes) {
    for (char c : bytes) {
        if (skip_lf_) {
            skip_lf_ = false;
            if (c == '\n') continue;
        }
        if (c == '\r' || c == '\n') {
            skip_lf_ = c == '\r';
            std::string text;
            text.swap(line_);
            line(text);
            continue;
        }
        line_ += c;
    }
}

bool SseLineParser::finish() {
    bool clean = line_.empty() && !has_data_ && event_.empty();
    line_.clear();
    event_.clear();
    data_.clear();
    has_data_ = false;
    return clean;
}

void SseLineParser::line(std::string_view text) {
    if (text.empty()) {
        if (has_data_) on_event_(event_, data_);
        event_.clear();
        data_.clear();
        has_data_ = false;
        return;
    }
    if (text.front() == ':') return;
    size_t colon = text.find(':');
    std::string_view field = text.substr(0, colon);
    std::string_view value = colon == std::string_view::npos ? std::string_view{} : text.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    if (field == "data") {
        if (has_data_) data_ += '\n';
        data_.append(value);
        has_data_ = true;
    } else if (field == "event") {
        event_ = std::string(value);
    }
}

}  // namespace agenthost::llm
