// The wire between the host and a plugin runner (process isolation): frames
// over a socketpair, each a 32-bit length, then a kind, the invoke and call
// it belongs to, and a list of byte strings. It mirrors the C ABI: the host
// sends create/invoke/cancel and the replies to callbacks; the runner sends
// every callback the plugin makes (from any of its threads) and each
// invoke's end. Used by the host and by agenthost-plugin-runner alike, so it
// depends on nothing else in the host.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace agenthost::isolation {

enum class FrameKind : uint8_t {
    // host -> runner
    create = 1,   // fields: library path, config JSON, permissions ("events,llm,")
    invoke = 2,   // fields: input JSON
    reply = 3,    // a callback's answer; fields: status, value
    token = 4,    // one streamed LLM token for a pending llm_stream call; fields: token
    shutdown = 5,
    cancel = 6,   // the invoke's run was cancelled; no fields (the runner answers is_cancelled itself)
    // runner -> host
    ready = 10,     // fields: name, version, ABI version (decimal)
    failed = 11,    // create failed; fields: message
    callback = 12,  // fields: callback name, arguments...; call id 0: no reply wanted (set_result, set_error, emit_event)
    log = 13,       // fields: level (decimal), message; no reply
    done = 14,      // an invoke returned; fields: status (decimal)
};

struct Frame {
    FrameKind kind = FrameKind::shutdown;
    uint64_t invoke = 0;
    uint64_t call = 0;
    std::vector<std::string> fields;

    const std::string& field(size_t index) const {
        static const std::string empty;
        return index < fields.size() ? fields[index] : empty;
    }
};

// Frames larger than this are refused (a plugin answer is a JSON document,
// not a file transfer).
constexpr size_t kMaxFrameBytes = 64 * 1024 * 1024;

// Writes one frame whole; several threads may share `fd` through `mutex`.
// False when the peer is gone.
bool write_frame(int fd, std::mutex& mutex, const Frame& frame);
// Reads one frame; false on end of stream or a malformed frame.
bool read_frame(int fd, Frame& frame);

}  // namespace agenthost::isolation
