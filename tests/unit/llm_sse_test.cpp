// The SSE reader under the streaming providers: events split anywhere
// across network chunks, CRLF or LF lines, multi-line data, comments.
#include "llm/sse_line_parser.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

using agenthost::llm::SseLineParser;

namespace {

using Events = std::vector<std::pair<std::string, std::string>>;

Events parse_in_pieces(const std::string& stream, size_t piece) {
    Events events;
    SseLineParser parser([&](const std::string& event, const std::string& data) { events.emplace_back(event, data); });
    for (size_t at = 0; at < stream.size(); at += piece) parser.feed(std::string_view(stream).substr(at, piece));
    return events;
}

}  // namespace

TEST_CASE("SSE events come out whole however the bytes are split", "[llm][sse]") {
    const std::string stream =
        "event: message_start\r\ndata: {\"a\":1}\r\n\r\n"
        ": keep-alive comment\n\n"
        "data: {\"b\":2}\n\n"
        "event: content_block_delta\ndata:{\"c\":3}\n\n"
        "data: [DONE]\n\n";
    const Events expected = {
        {"message_start", "{\"a\":1}"}, {"", "{\"b\":2}"}, {"content_block_delta", "{\"c\":3}"}, {"", "[DONE]"}};
    for (size_t piece : {1u, 2u, 3u, 7u, 64u, 4096u}) {
        INFO("piece size " << piece);
        CHECK(parse_in_pieces(stream, piece) == expected);
    }
}

TEST_CASE("SSE data lines of one event are joined with newlines", "[llm][sse]") {
    CHECK(parse_in_pieces("data: first\ndata: second\n\n", 5) == Events{{"", "first\nsecond"}});
}

TEST_CASE("an SSE event name does not leak into the next event", "[llm][sse]") {
    CHECK(parse_in_pieces("event: ping\ndata: {}\n\ndata: x\n\n", 3) == Events{{"ping", "{}"}, {"", "x"}});
}

TEST_CASE("an SSE event without its blank line is not dispatched and finish reports it", "[llm][sse]") {
    Events events;
    SseLineParser parser([&](const std::string& event, const std::string& data) { events.emplace_back(event, data); });
    parser.feed("data: complete\n\ndata: {\"cut\":");
    CHECK(events == Events{{"", "complete"}});
    CHECK(parser.pending() > 0);
    CHECK_FALSE(parser.finish());
    CHECK(events.size() == 1);
    SseLineParser clean([](const std::string&, const std::string&) {});
    clean.feed("data: x\n\n");
    CHECK(clean.finish());
}

TEST_CASE("SSE lines without data or with unknown fields are ignored", "[llm][sse]") {
    CHECK(parse_in_pieces("id: 7\nretry: 100\n\nevent: only-a-name\n\nfoo: bar\ndata: kept\n\n", 4) ==
          Events{{"", "kept"}});
}
