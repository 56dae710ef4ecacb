// RFC 6455 framing: the handshake key, server frames, and the reader of
// client frames (masking, lengths, fragments with control frames between
// them, and every violation answered with its close code).
#include "http/websocket_frames.hpp"

#include <catch2/catch.hpp>

using namespace agenthost::http;

namespace {

// A client frame: masked with a fixed key.
std::string client_frame(int first_byte, const std::string& payload, bool masked = true) {
    std::string frame;
    frame += static_cast<char>(first_byte);
    size_t size = payload.size();
    char mask_bit = masked ? static_cast<char>(0x80) : 0;
    if (size < 126) {
        frame += static_cast<char>(mask_bit | static_cast<char>(size));
    } else if (size <= 0xFFFF) {
        frame += static_cast<char>(mask_bit | 126);
        frame += static_cast<char>(size >> 8);
        frame += static_cast<char>(size & 0xFF);
    } else {
        frame += static_cast<char>(mask_bit | 127);
        for (int shift = 56; shift >= 0; shift -= 8) frame += static_cast<char>((size >> shift) & 0xFF);
    }
    const char key[4] = {0x12, 0x34, 0x56, 0x78};
    if (masked) frame.append(key, 4);
    for (size_t i = 0; i < size; ++i) frame += masked ? static_cast<char>(payload[i] ^ key[i % 4]) : payload[i];
    return frame;
}

}  // namespace

TEST_CASE("websocket: the accept key is RFC 6455's example") {
    CHECK(websocket_accept("dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    CHECK(valid_websocket_key("dGhlIHNhbXBsZSBub25jZQ=="));
    CHECK_FALSE(valid_websocket_key("short"));
    CHECK_FALSE(valid_websocket_key("dGhlIHNhbXBsZSBub25j!Q=="));
}

TEST_CASE("websocket: server frames carry 7, 16 and 64 bit lengths unmasked") {
    CHECK(websocket_frame(ws_opcode::text, "hi") == std::string("\x81\x02hi", 4));
    std::string mid = websocket_frame(ws_opcode::text, std::string(300, 'a'));
    CHECK(static_cast<unsigned char>(mid[1]) == 126);
    CHECK(mid.size() == 4 + 300);
    std::string big = websocket_frame(ws_opcode::binary, std::string(70000, 'b'));
    CHECK(static_cast<unsigned char>(big[1]) == 127);
    CHECK(big.size() == 10 + 70000);
    CHECK(websocket_close_frame(1000, "bye") == std::string("\x88\x05\x03\xe8" "bye", 7));
}

TEST_CASE("websocket: fragments are reassembled around control frames, byte by byte too") {
    std::string wire = client_frame(0x01, "{\"run") + client_frame(0x89, "p") + client_frame(0x00, "_id\":") +
                       client_frame(0x80, "1}") + client_frame(0x88, std::string("\x03\xe8", 2) + "done");
    WebSocketReader reader(1024);
    std::vector<WebSocketMessage> messages;
    for (char c : wire) REQUIRE(reader.feed(&c, 1, messages) == 0);
    REQUIRE(messages.size() == 3);
    CHECK(messages[0].opcode == ws_opcode::ping);
    CHECK(messages[0].payload == "p");
    CHECK(messages[1].opcode == ws_opcode::text);
    CHECK(messages[1].payload == "{\"run_id\":1}");
    CHECK(messages[2].opcode == ws_opcode::close);
    CHECK(messages[2].close_code == 1000);
    CHECK(messages[2].payload == "done");
}

TEST_CASE("websocket: violations are refused with their close codes") {
    auto code = [](const std::string& wire, size_t max = 1024) {
        WebSocketReader reader(max);
        std::vector<WebSocketMessage> messages;
        return reader.feed(wire.data(), wire.size(), messages);
    };
    CHECK(code(client_frame(0x81, "x", false)) == ws_close::protocol_error);           // unmasked
    CHECK(code(client_frame(0xC1, "x")) == ws_close::protocol_error);                  // RSV1 without extension
    CHECK(code(client_frame(0x80, "x")) == ws_close::protocol_error);                  // continuation of nothing
    CHECK(code(client_frame(0x01, "a") + client_frame(0x81, "b")) == ws_close::protocol_error);  // new inside one
    CHECK(code(client_frame(0x09, "p")) == ws_close::protocol_error);                  // fragmented ping
    CHECK(code(client_frame(0x89, std::string(126, 'p'))) == ws_close::protocol_error);  // long ping
    CHECK(code(client_frame(0x83, "x")) == ws_close::protocol_error);                  // reserved opcode
    CHECK(code(client_frame(0x81, "\xff\xfe")) == ws_close::invalid_payload);          // not UTF-8
    CHECK(code(client_frame(0x81, std::string(2000, 'a'))) == ws_close::too_big);
    CHECK(code(client_frame(0x01, std::string(600, 'a')) + client_frame(0x80, std::string(600, 'a'))) ==
          ws_close::too_big);
    CHECK(code(client_frame(0x88, "\x03")) == ws_close::protocol_error);               // one-byte close
}

TEST_CASE("websocket: UTF-8 validation refuses overlong forms, surrogates and cut sequences") {
    CHECK(valid_utf8("h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80"));
    CHECK_FALSE(valid_utf8("\xc0\xaf"));
    CHECK_FALSE(valid_utf8("\xed\xa0\x80"));
    CHECK_FALSE(valid_utf8("\xe2\x82"));
    CHECK_FALSE(valid_utf8("\xf4\x90\x80\x80"));
}
