// RFC 6455 on the wire: the handshake's accept key, the frames a server
// sends (unmasked), and an incremental reader of the frames a client sends
// (masked), reassembling fragmented messages with control frames between
// their fragments. Knows nothing of sockets.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace agenthost::http {

namespace ws_opcode {
inline constexpr int continuation = 0x0, text = 0x1, binary = 0x2, close = 0x8, ping = 0x9, pong = 0xA;
}

// Close codes (RFC 6455 section 7.4.1).
namespace ws_close {
inline constexpr int normal = 1000, going_away = 1001, protocol_error = 1002, unsupported = 1003,
                     invalid_payload = 1007, policy = 1008, too_big = 1009;
}

// base64(SHA-1(key + the RFC's GUID)): Sec-WebSocket-Accept.
std::string websocket_accept(const std::string& client_key);
// True for a Sec-WebSocket-Key: base64 of 16 bytes.
bool valid_websocket_key(const std::string& key);

// One unmasked frame with FIN set.
std::string websocket_frame(int opcode, std::string_view payload);
// A close frame with its code and reason.
std::string websocket_close_frame(int code, std::string_view reason = "");

bool valid_utf8(std::string_view text);

struct WebSocketMessage {
    int opcode = ws_opcode::text;  // text, binary, close, ping or pong
    std::string payload;           // for close: the reason
    int close_code = 0;            // for close: 0 when the frame carried none
};

class WebSocketReader {
  public:
    explicit WebSocketReader(size_t max_message_bytes) : max_message_(max_message_bytes) {}

    // Reads what arrived, appending every complete message to `out`. 0 while
    // the client keeps to the protocol, else the close code to fail the
    // connection with (protocol error, invalid UTF-8, too big).
    int feed(const char* data, size_t size, std::vector<WebSocketMessage>& out);

  private:
    int parse_one(std::vector<WebSocketMessage>& out, bool& progressed);

    size_t max_message_;
    std::string buffer_;
    bool fragmented_ = false;  // a text or binary message awaits continuations
    int message_opcode_ = 0;
    std::string message_;
};

}  // namespace agenthost::http
