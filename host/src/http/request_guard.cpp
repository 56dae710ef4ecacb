#include "http/request_guard.hpp"

#include <algorithm>

namespace agenthost::http {
namespace {

// RFC 9110 token characters (method and header names).
bool is_tchar(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_token(std::string_view text) { return !text.empty() && std::all_of(text.begin(), text.end(), is_tchar); }

bool is_control(char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
        if (x != y) return false;
    }
    return true;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

// A short, printable excerpt of what the client sent, for the message.
std::string excerpt(std::string_view text) {
    std::string out;
    for (char c : text.substr(0, 40)) out += is_control(c) || static_cast<unsigned char>(c) >= 0x80 ? '?' : c;
    if (text.size() > 40) out += "...";
    return out;
}

}  // namespace

RequestGuard::RequestGuard(GuardLimits limits, HeaderCheck header_check)
    : limits_(limits), header_check_(std::move(header_check)) {}

GuardVerdict RequestGuard::refuse(int status, std::string error, std::string message) {
    phase_ = Phase::refused;
    refusal_ = GuardVerdict{status, std::move(error), std::move(message)};
    return refusal_;
}

void RequestGuard::start_request() {
    phase_ = Phase::request_line;
    head_bytes_ = 0;
    header_count_ = 0;
    has_content_length_ = false;
    content_length_ = 0;
    chunked_ = false;
    chunked_total_ = 0;
    remaining_ = 0;
}

GuardVerdict RequestGuard::feed(std::string_view bytes) {
    size_t i = 0;
    while (i < bytes.size()) {
        switch (phase_) {
            case Phase::refused:
                return refusal_;
            case Phase::body:
            case Phase::chunk_data: {
                // Body bytes are skipped in one step, not scanned.
                uint64_t take = std::min<uint64_t>(remaining_, bytes.size() - i);
                i += static_cast<size_t>(take);
                remaining_ -= take;
                if (remaining_ == 0) {
                    if (phase_ == Phase::body) start_request();
                    else phase_ = Phase::chunk_data_end;
                }
                break;
            }
            default:
                if (GuardVerdict verdict = take_line_byte(bytes[i++]); !verdict.ok()) return verdict;
        }
    }
    return {};
}

GuardVerdict RequestGuard::take_line_byte(char c) {
    bool in_head = phase_ == Phase::request_line || phase_ == Phase::headers || phase_ == Phase::trailers;
    if (in_head && ++head_bytes_ > limits_.max_head_bytes)
        return refuse(431, "HeadersTooLarge",
                      "the request head exceeds " + std::to_string(limits_.max_head_bytes) + " bytes");
    if (c == '\n') {
        if (!line_has_cr_) return refuse(400, "MalformedRequest", "a line ends in a bare LF; HTTP lines end in CRLF");
        return end_of_line();
    }
    if (line_has_cr_) return refuse(400, "MalformedRequest", "a CR inside a line is not followed by LF");
    if (c == '\r') {
        line_has_cr_ = true;
        return {};
    }
    line_ += c;
    if (phase_ == Phase::request_line && line_.size() > limits_.max_request_line)
        return refuse(414, "URITooLong",
                      "the request line exceeds " + std::to_string(limits_.max_request_line) + " bytes");
    if ((phase_ == Phase::headers || phase_ == Phase::trailers) && line_.size() > limits_.max_header_line)
        return refuse(431, "HeadersTooLarge",
                      "a header line exceeds " + std::to_string(limits_.max_header_line) + " bytes");
    if ((phase_ == Phase::chunk_size || phase_ == Phase::chunk_data_end) && line_.size() > 1024)
        return refuse(400, "MalformedRequest", "a chunk-size line exceeds 1024 bytes");
    return {};
}

GuardVerdict RequestGuard::end_of_line() {
    GuardVerdict verdict;
    switch (phase_) {
        case Phase::request_line:
            // Empty lines before a request line are tolerated (RFC 9112 2.2).
            if (!line_.empty()) verdict = check_request_line();
            break;
        case Phase::headers:
            verdict = line_.empty() ? end_of_head() : check_header_line();
            break;
        case Phase::chunk_size:
            verdict = check_chunk_size();
            break;
        case Phase::chunk_data_end:
            if (!line_.empty()) verdict = refuse(400, "MalformedRequest", "a chunk is longer than its size says");
            else phase_ = Phase::chunk_size;
            break;
        case Phase::trailers:
            if (line_.empty()) start_request();
            else if (line_.find(':') == std::string::npos)
                verdict = refuse(400, "MalformedRequest", "a trailer line has no colon: '" + excerpt(line_) + "'");
            break;
        default:
            break;
    }
    line_.clear();
    line_has_cr_ = false;
    return verdict;
}

GuardVerdict RequestGuard::check_request_line() {
    std::string_view line(line_);
    size_t first = line.find(' ');
    size_t last = line.rfind(' ');
    if (first == std::string_view::npos || first == last)
        return refuse(400, "MalformedRequest",
                      "the request line must be 'METHOD target HTTP/1.1', got '" + excerpt(line) + "'");
    std::string_view method = line.substr(0, first);
    std::string_view target = line.substr(first + 1, last - first - 1);
    std::string_view version = line.substr(last + 1);
    if (!is_token(method))
        return refuse(400, "MalformedRequest", "the request method '" + excerpt(method) + "' is not a token");
    if (target.empty() || std::any_of(target.begin(), target.end(), [](char c) { return c == ' ' || is_control(c); }))
        return refuse(400, "MalformedRequest", "the request target is empty or holds spaces or control characters");
    if (version != "HTTP/1.1" && version != "HTTP/1.0") {
        if (version.rfind("HTTP/", 0) == 0)
            return refuse(505, "HTTPVersionNotSupported",
                          "HTTP version '" + excerpt(version) + "' is not supported; use HTTP/1.1");
        return refuse(400, "MalformedRequest", "the request line ends in '" + excerpt(version) + "', not HTTP/1.1");
    }
    phase_ = Phase::headers;
    return {};
}

GuardVerdict RequestGuard::check_header_line() {
    std::string_view line(line_);
    if (line.front() == ' ' || line.front() == '\t')
        return refuse(400, "MalformedRequest", "obsolete header line folding is not accepted");
    if (++header_count_ > limits_.max_headers)
        return refuse(431, "HeadersTooLarge", "more than " + std::to_string(limits_.max_headers) + " headers");
    size_t colon = line.find(':');
    if (colon == std::string_view::npos)
        return refuse(400, "MalformedRequest", "a header line has no colon: '" + excerpt(line) + "'");
    std::string_view name = line.substr(0, colon);
    if (!is_token(name))
        return refuse(400, "MalformedRequest", "the header name '" + excerpt(name) + "' is not a token");
    std::string_view value = trim(line.substr(colon + 1));
    if (std::any_of(value.begin(), value.end(), [](char c) { return c != '\t' && is_control(c); }))
        return refuse(400, "MalformedRequest", "the value of header '" + excerpt(name) + "' holds control characters");
    if (equals_ignoring_case(name, "content-length")) {
        if (value.empty() || !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }))
            return refuse(400, "MalformedRequest",
                          "Content-Length must be a non-negative integer, got '" + excerpt(value) + "'");
        if (value.size() > 18)
            return refuse(413, "PayloadTooLarge", "a Content-Length of " + std::to_string(value.size()) +
                                                      " digits exceeds the limit of " +
                                                      std::to_string(limits_.max_body_bytes) + " bytes");
        uint64_t length = std::stoull(std::string(value));
        if (has_content_length_ && length != content_length_)
            return refuse(400, "MalformedRequest", "the request has two different Content-Length headers");
        has_content_length_ = true;
        content_length_ = length;
    } else if (equals_ignoring_case(name, "transfer-encoding")) {
        if (!equals_ignoring_case(value, "chunked"))
            return refuse(501, "NotImplemented",
                          "Transfer-Encoding '" + excerpt(value) + "' is not supported; send chunked or Content-Length");
        chunked_ = true;
    } else if (header_check_) {
        if (std::string problem = header_check_(name, value); !problem.empty())
            return refuse(400, "MalformedRequest",
                          "the value of header '" + excerpt(name) + "' cannot be parsed: " + excerpt(problem));
    }
    return {};
}

GuardVerdict RequestGuard::end_of_head() {
    if (chunked_ && has_content_length_)
        return refuse(400, "MalformedRequest", "a request must not carry both Content-Length and Transfer-Encoding");
    if (has_content_length_ && content_length_ > limits_.max_body_bytes)
        return refuse(413, "PayloadTooLarge",
                      "request body of " + std::to_string(content_length_) + " bytes exceeds the limit of " +
                          std::to_string(limits_.max_body_bytes) + " bytes");
    if (chunked_) {
        phase_ = Phase::chunk_size;
    } else if (content_length_ > 0) {
        remaining_ = content_length_;
        phase_ = Phase::body;
    } else {
        start_request();
    }
    return {};
}

GuardVerdict RequestGuard::check_chunk_size() {
    std::string_view line(line_);
    std::string_view digits = trim(line.substr(0, line.find(';')));
    if (digits.empty() || digits.size() > 15 || !std::all_of(digits.begin(), digits.end(), [](char c) {
            return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        }))
        return refuse(400, "MalformedRequest", "a chunk size must be a hexadecimal number, got '" + excerpt(line) + "'");
    uint64_t size = std::stoull(std::string(digits), nullptr, 16);
    chunked_total_ += size;
    if (chunked_total_ > limits_.max_body_bytes)
        return refuse(413, "PayloadTooLarge",
                      "the chunked request body exceeds the limit of " + std::to_string(limits_.max_body_bytes) +
                          " bytes");
    if (size == 0) {
        phase_ = Phase::trailers;
    } else {
        remaining_ = size;
        phase_ = Phase::chunk_data;
    }
    return {};
}

}  // namespace agenthost::http
