#include "isolation/frame.hpp"

#include <cerrno>
#include <cstring>
#include <sys/socket.h>
#include <unistd.h>

namespace agenthost::isolation {
namespace {

void put_u32(std::string& out, uint32_t value) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

void put_u64(std::string& out, uint64_t value) {
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

uint64_t get_le(const char* data, int bytes) {
    uint64_t value = 0;
    for (int i = 0; i < bytes; ++i) value |= static_cast<uint64_t>(static_cast<unsigned char>(data[i])) << (8 * i);
    return value;
}

bool write_all(int fd, const char* data, size_t size) {
    while (size > 0) {
        // MSG_NOSIGNAL: a dead peer is an error here, not a SIGPIPE.
        ssize_t n = send(fd, data, size, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data += n;
        size -= static_cast<size_t>(n);
    }
    return true;
}

bool read_all(int fd, char* data, size_t size) {
    while (size > 0) {
        ssize_t n = read(fd, data, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data += n;
        size -= static_cast<size_t>(n);
    }
    return true;
}

}  // namespace

bool write_frame(int fd, std::mutex& mutex, const Frame& frame) {
    std::string body;
    body.push_back(static_cast<char>(frame.kind));
    put_u64(body, frame.invoke);
    put_u64(body, frame.call);
    put_u32(body, static_cast<uint32_t>(frame.fields.size()));
    for (const std::string& field : frame.fields) {
        put_u32(body, static_cast<uint32_t>(field.size()));
        body += field;
    }
    std::string whole;
    whole.reserve(body.size() + 4);
    put_u32(whole, static_cast<uint32_t>(body.size()));
    whole += body;
    std::lock_guard<std::mutex> lock(mutex);
    return write_all(fd, whole.data(), whole.size());
}

bool read_frame(int fd, Frame& frame) {
    char header[4];
    if (!read_all(fd, header, 4)) return false;
    size_t size = static_cast<size_t>(get_le(header, 4));
    if (size < 21 || size > kMaxFrameBytes) return false;
    std::string body(size, '\0');
    if (!read_all(fd, body.data(), size)) return false;
    const char* at = body.data();
    const char* end = at + size;
    frame.kind = static_cast<FrameKind>(static_cast<unsigned char>(at[0]));
    frame.invoke = get_le(at + 1, 8);
    frame.call = get_le(at + 9, 8);
    uint32_t count = static_cast<uint32_t>(get_le(at + 17, 4));
    at += 21;
    frame.fields.clear();
    for (uint32_t i = 0; i < count; ++i) {
        if (end - at < 4) return false;
        size_t length = static_cast<size_t>(get_le(at, 4));
        at += 4;
        if (static_cast<size_t>(end - at) < length) return false;
        frame.fields.emplace_back(at, length);
        at += length;
    }
    return at == end;
}

}  // namespace agenthost::isolation
