#include "http/websocket_frames.hpp"

#include <openssl/evp.h>
#include <openssl/sha.h>

namespace agenthost::http {
namespace {

std::string base64(const unsigned char* bytes, size_t size) {
    std::string out(4 * ((size + 2) / 3), '\0');
    int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes, static_cast<int>(size));
    out.resize(static_cast<size_t>(written));
    return out;
}

}  // namespace

std::string websocket_accept(const std::string& client_key) {
    std::string text = client_key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    unsigned char digest[SHA_DIGEST_LENGTH];
    SHA1(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
    return base64(digest, sizeof digest);
}

bool valid_websocket_key(const std::string& key) {
    if (key.size() != 24 || key.compare(22, 2, "==") != 0) return false;
    for (size_t i = 0; i < 22; ++i) {
        char c = key[i];
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
        if (!ok) return false;
    }
    return true;
}

std::string websocket_frame(int opcode, std::string_view payload) {
    std::string frame;
    frame += static_cast<char>(0x80 | (opcode & 0x0F));
    size_t size = payload.size();
    if (size < 126) {
        frame += static_cast<char>(size);
    } else if (size <= 0xFFFF) {
        frame += static_cast<char>(126);
        frame += static_cast<char>((size >> 8) & 0xFF);
        frame += static_cast<char>(size & 0xFF);
    } else {
        frame += static_cast<char>(127);
        for (int shift = 56; shift >= 0; shift -= 8) frame += static_cast<char>((static_cast<uint64_t>(size) >> shift) & 0xFF);
    }
    frame.append(payload.data(), payload.size());
    return frame;
}

std::string websocket_close_frame(int code, std::string_view reason) {
    std::string payload;
    payload += static_cast<char>((code >> 8) & 0xFF);
    payload += static_cast<char>(code & 0xFF);
    payload.append(reason.substr(0, 123));
    return websocket_frame(ws_opcode::close, payload);
}

bool valid_utf8(std::string_view text) {
    size_t i = 0;
    while (i < text.size()) {
        unsigned char c = static_cast<unsigned char>(text[i]);
        size_t extra;
        uint32_t point;
        if (c < 0x80) {
            ++i;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            extra = 1;
            point = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            extra = 2;
            point = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            extra = 3;
            point = c & 0x07;
        } else {
            return false;
        }
        if (i + extra >= text.size()) return false;  // cut short
        for (size_t k = 1; k <= extra; ++k) {
            unsigned char next = static_cast<unsigned char>(text[i + k]);
            if ((next & 0xC0) != 0x80) return false;
            point = (point << 6) | (next & 0x3F);
        }
        // Overlong forms, surrogates and points past U+10FFFF are not UTF-8.
        if ((extra == 1 && point < 0x80) || (extra == 2 && point < 0x800) || (extra == 3 && point < 0x10000) ||
            (point >= 0xD800 && point <= 0xDFFF) || point > 0x10FFFF)
            return false;
        i += extra + 1;
    }
    return true;
}

int WebSocketReader::feed(const char* data, size_t size, std::vector<WebSocketMessage>& out) {
    buffer_.append(data, size);
    for (;;) {
        bool progressed = false;
        int failure = parse_one(out, progressed);
        if (failure != 0) return failure;
        if (!progressed) return 0;
    }
}

int WebSocketReader::parse_one(std::vector<WebSocketMessage>& out, bool& progressed) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(buffer_.data());
    size_t available = buffer_.size();
    if (available < 2) return 0;
    bool fin = (bytes[0] & 0x80) != 0;
    int opcode = bytes[0] & 0x0F;
    if ((bytes[0] & 0x70) != 0) return ws_close::protocol_error;  // no extension was agreed
    bool masked = (bytes[1] & 0x80) != 0;
    if (!masked) return ws_close::protocol_error;  // clients must mask (section 5.1)
    uint64_t length = bytes[1] & 0x7F;
    size_t header = 2;
    if (length == 126) {
        if (available < 4) return 0;
        length = (static_cast<uint64_t>(bytes[2]) << 8) | bytes[3];
        header = 4;
    } else if (length == 127) {
        if (available < 10) return 0;
        length = 0;
        for (int k = 0; k < 8; ++k) length = (length << 8) | bytes[2 + k];
        if (length >> 63) return ws_close::protocol_error;
        header = 10;
    }
    bool control = (opcode & 0x08) != 0;
    if (control && (!fin || length > 125)) return ws_close::protocol_error;
    if (opcode != ws_opcode::continuation && opcode != ws_opcode::text && opcode != ws_opcode::binary &&
        opcode != ws_opcode::close && opcode != ws_opcode::ping && opcode != ws_opcode::pong)
        return ws_close::protocol_error;
    if (!control && length + message_.size() > max_message_) return ws_close::too_big;
    if (available < header + 4 + length) return 0;
    const unsigned char* mask = bytes + header;
    std::string payload(static_cast<size_t>(length), '\0');
    for (size_t k = 0; k < length; ++k)
        payload[k] = static_cast<char>(bytes[header + 4 + k] ^ mask[k % 4]);
    buffer_.erase(0, header + 4 + static_cast<size_t>(length));
    progressed = true;

    if (control) {
        WebSocketMessage message;
        message.opcode = opcode;
        if (opcode == ws_opcode::close) {
            if (payload.size() == 1) return ws_close::protocol_error;
            if (payload.size() >= 2) {
                message.close_code = (static_cast<unsigned char>(payload[0]) << 8) | static_cast<unsigned char>(payload[1]);
                message.payload = payload.substr(2);
                if (!valid_utf8(message.payload)) return ws_close::invalid_payload;
            }
        } else {
            message.payload = std::move(payload);
        }
        out.push_back(std::move(message));
        return 0;
    }
    if (opcode == ws_opcode::continuation) {
        if (!fragmented_) return ws_close::protocol_error;  // nothing to continue
    } else {
        if (fragmented_) return ws_close::protocol_error;  // a new message inside another
        message_opcode_ = opcode;
        message_.clear();
    }
    message_ += payload;
    fragmented_ = !fin;
    if (!fin) return 0;
    if (message_opcode_ == ws_opcode::text && !valid_utf8(message_)) return ws_close::invalid_payload;
    WebSocketMessage message;
    message.opcode = message_opcode_;
    message.payload = std::move(message_);
    message_.clear();
    out.push_back(std::move(message));
    return 0;
}

}  // namespace agenthost::http
