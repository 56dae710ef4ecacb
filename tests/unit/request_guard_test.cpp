// The raw-request guard in front of Pistache's parser.
#include "http/request_guard.hpp"

#include <catch2/catch.hpp>

#include <string>

using agenthost::http::GuardLimits;
using agenthost::http::GuardVerdict;
using agenthost::http::RequestGuard;

namespace {

GuardVerdict feed_all(const std::string& bytes, GuardLimits limits = {}) {
    RequestGuard guard(limits);
    return guard.feed(bytes);
}

// Byte by byte, as a slow client sends it.
GuardVerdict feed_bytewise(const std::string& bytes, GuardLimits limits = {}) {
    RequestGuard guard(limits);
    GuardVerdict verdict;
    for (char c : bytes) {
        verdict = guard.feed(std::string(1, c));
        if (!verdict.ok()) break;
    }
    return verdict;
}

}  // namespace

TEST_CASE("well-formed requests pass, whole or byte by byte", "[guard]") {
    std::string get = "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n";
    std::string post = "POST /runs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n"
                       "{\"task\":\"hi\"}";
    std::string chunked = "POST /runs HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\n3;x=y\r\n1}\n\r\n0\r\n\r\n";
    for (const std::string& request : {get, post, chunked, "\r\n" + get}) {
        CHECK(feed_all(request).ok());
        CHECK(feed_bytewise(request).ok());
    }
    // Pipelined and keep-alive requests are checked one after another.
    CHECK(feed_all(post + get + chunked + get).ok());
    // A body is not scanned: CRLFs and colons in it are data.
    CHECK(feed_all("POST / HTTP/1.1\r\nContent-Length: 4\r\n\r\n\n\n\n\n" + get).ok());
}

TEST_CASE("malformed request lines are refused with 400 at once", "[guard]") {
    CHECK(feed_all("GARBAGE\r\n\r\n").status == 400);
    CHECK(feed_all("GET /\r\n\r\n").status == 400);            // no version
    CHECK(feed_all("GET / HTTP/1.1 extra\r\n\r\n").status == 400);
    CHECK(feed_all("G(T / HTTP/1.1\r\n\r\n").status == 400);   // method not a token
    CHECK(feed_all("GET / FTP/1.0\r\n\r\n").status == 400);
    CHECK(feed_all("GET / HTTP/2.0\r\n\r\n").status == 505);
    CHECK(feed_all("GET / HTTP/1.1\n\n").status == 400);       // bare LF
    CHECK(feed_all("GET / HTTP/1.1\r\r\n").status == 400);
    GuardVerdict verdict = feed_all("GARBAGE\r\n\r\n");
    CHECK(verdict.error == "MalformedRequest");
    CHECK(verdict.message.find("GARBAGE") != std::string::npos);
}

TEST_CASE("malformed headers are refused", "[guard]") {
    std::string line = "GET / HTTP/1.1\r\n";
    CHECK(feed_all(line + "NoColonHere\r\n\r\n").status == 400);
    CHECK(feed_all(line + "Bad Name: x\r\n\r\n").status == 400);
    CHECK(feed_all(line + "X-A: 1\r\n folded\r\n\r\n").status == 400);
    CHECK(feed_all(line + "X-A: a\x01" "b\r\n\r\n").status == 400);
    CHECK(feed_all(line + "Content-Length: -1\r\n\r\n").status == 400);
    CHECK(feed_all(line + "Content-Length: 12abc\r\n\r\n").status == 400);
    CHECK(feed_all(line + "Content-Length: 99999999999999999999\r\n\r\n").status == 413);
    CHECK(feed_all(line + "Content-Length: 5\r\nContent-Length: 6\r\n\r\n").status == 400);
    CHECK(feed_all(line + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n").status == 400);
    CHECK(feed_all(line + "Transfer-Encoding: gzip\r\n\r\n").status == 501);
}

TEST_CASE("header count, header size and body size are capped", "[guard]") {
    GuardLimits limits;
    limits.max_body_bytes = 1000;
    std::string many = "GET / HTTP/1.1\r\n";
    for (int i = 0; i < 101; ++i) many += "X-" + std::to_string(i) + ": v\r\n";
    CHECK(feed_all(many + "\r\n", limits).status == 431);
    CHECK(feed_all("GET / HTTP/1.1\r\nX-Big: " + std::string(9000, 'a') + "\r\n\r\n", limits).status == 431);
    CHECK(feed_all("GET /" + std::string(9000, 'a') + " HTTP/1.1\r\n\r\n", limits).status == 414);
    CHECK(feed_all("POST / HTTP/1.1\r\nContent-Length: 1001\r\n\r\n", limits).status == 413);
    CHECK(feed_all("POST / HTTP/1.1\r\nContent-Length: 1000\r\n\r\n", limits).ok());
    CHECK(feed_all("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3e9\r\n", limits).status == 413);
    // The head limit holds even across many small headers below the count.
    limits.max_head_bytes = 2048;
    std::string long_head = "GET / HTTP/1.1\r\n";
    for (int i = 0; i < 50; ++i) long_head += "X-" + std::to_string(i) + ": " + std::string(60, 'v') + "\r\n";
    CHECK(feed_all(long_head, limits).status == 431);
}

TEST_CASE("a refusal is final for the connection", "[guard]") {
    RequestGuard guard;
    CHECK(guard.feed("GARBAGE\r\n").status == 400);
    CHECK(guard.feed("GET / HTTP/1.1\r\n\r\n").status == 400);
}

TEST_CASE("chunk framing errors are refused", "[guard]") {
    std::string head = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
    CHECK(feed_all(head + "zz\r\n").status == 400);
    CHECK(feed_all(head + "2\r\nabc\r\n").status == 400);  // longer than its size
}

// Ordinary line bytes are taken a run at a time: whichever limit a request
// passes first is the one named, at whatever size the client's writes come.
TEST_CASE("each limit refuses at its own byte, whole, in pieces or byte by byte", "[guard]") {
    GuardLimits limits;
    limits.max_request_line = 100;
    limits.max_header_line = 80;
    limits.max_head_bytes = 300;
    auto in_pieces = [&](const std::string& bytes, size_t piece) {
        RequestGuard guard(limits);
        GuardVerdict verdict;
        for (size_t at = 0; at < bytes.size() && verdict.ok(); at += piece) verdict = guard.feed(bytes.substr(at, piece));
        return verdict;
    };
    auto request_line = [](size_t length) {  // "GET /aaa... HTTP/1.1" of `length` bytes
        return "GET /" + std::string(length - 14, 'a') + " HTTP/1.1\r\n";
    };
    auto header = [](size_t length) { return "X-A: " + std::string(length - 5, 'v') + "\r\n"; };
    struct Case {
        std::string bytes;
        int status;  // 0: accepted
    };
    const std::string end = "\r\n";
    std::vector<Case> cases = {
        {request_line(100) + end, 0},
        {request_line(101) + end, 414},
        {request_line(40) + header(80) + end, 0},
        {request_line(40) + header(81) + end, 431},
        // Four header lines of 70: the head passes 300 bytes inside the fourth line, before any line limit.
        {request_line(40) + header(70) + header(70) + header(70) + header(70) + end, 431},
        // A request line past both limits: the line's (100) comes before the head's (300).
        {request_line(400) + end, 414},
        {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + std::string(1025, '1') + "\r\n", 400},
        {std::string("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=") + std::string(1000, 'v') + "\r\nhello\r\n0\r\n\r\n", 0},
        {request_line(40) + "X-A: a\rb\r\n" + end, 400},  // a CR inside a line
        {request_line(40) + "X-A: ab\n" + end, 400},      // a bare LF
    };
    for (const Case& c : cases) {
        INFO(c.bytes.substr(0, 60));
        for (size_t piece : {c.bytes.size(), size_t{1}, size_t{7}, size_t{64}}) {
            INFO("pieces of " << piece);
            GuardVerdict verdict = in_pieces(c.bytes, piece);
            CHECK(verdict.status == (c.status == 0 ? verdict.status : c.status));
            CHECK(verdict.ok() == (c.status == 0));
        }
    }
}
