// Checks the raw bytes of one HTTP/1.1 connection before Pistache parses
// them. Pistache 0.0.5 waits forever (until its 60 s header timeout) for a
// request line without spaces or a header without a colon, accepts bare LF
// line endings, any number of headers and header lines of any length, and
// answers `Content-Length: -1` with a 500 whose body is a C++ exception's
// text. The guard refuses each of those at once with a status and a message
// for the error envelope, and the server closes the connection.
//
// It follows request framing (Content-Length and chunked bodies) so that
// keep-alive and pipelined requests are checked one after another. It knows
// nothing of Pistache, so it is unit-tested and fuzzed on its own.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace agenthost::http {

struct GuardLimits {
    size_t max_headers = 100;
    size_t max_request_line = 8 * 1024;
    size_t max_header_line = 8 * 1024;
    size_t max_head_bytes = 64 * 1024;
    // Larger bodies are refused with 413 as soon as their length is known.
    uint64_t max_body_bytes = 1024 * 1024;
};

// What to answer a request the guard refuses: status 0 means go on.
struct GuardVerdict {
    int status = 0;
    std::string error;    // the envelope's `error`
    std::string message;  // the envelope's `message`
    bool ok() const { return status == 0; }
};

// Why a header's value cannot be used ("" when it can): the server plugs in
// the HTTP library's own header parsers, so a value it would choke on (a Host
// port of 99999999999, a Date that is no date) is refused here in the
// envelope instead of by the library in plain text.
using HeaderCheck = std::function<std::string(std::string_view name, std::string_view value)>;

class RequestGuard {
  public:
    explicit RequestGuard(GuardLimits limits = {}, HeaderCheck header_check = nullptr);

    // Scans the next bytes received on the connection. Once a verdict is not
    // ok it stays so: the connection is to be answered and closed.
    GuardVerdict feed(std::string_view bytes);

  private:
    enum class Phase { request_line, headers, body, chunk_size, chunk_data, chunk_data_end, trailers, refused };

    GuardVerdict refuse(int status, std::string error, std::string message);
    GuardVerdict take_line_byte(char c);
    GuardVerdict end_of_line();
    GuardVerdict check_request_line();
    GuardVerdict check_header_line();
    GuardVerdict end_of_head();
    GuardVerdict check_chunk_size();
    void start_request();

    GuardLimits limits_;
    HeaderCheck header_check_;
    Phase phase_ = Phase::request_line;
    GuardVerdict refusal_;
    std::string line_;  // the current head line, without its line ending
    bool line_has_cr_ = false;
    size_t head_bytes_ = 0;
    size_t header_count_ = 0;
    bool has_content_length_ = false;
    uint64_t content_length_ = 0;
    bool chunked_ = false;
    uint64_t remaining_ = 0;  // body or chunk bytes still to come
    uint64_t chunked_total_ = 0;
};

}  // namespace agenthost::http
