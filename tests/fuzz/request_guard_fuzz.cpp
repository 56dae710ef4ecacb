// The raw-request guard: any bytes, in any split, end in a verdict.
#include "http/request_guard.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    agenthost::http::GuardLimits limits;
    limits.max_body_bytes = 4096;
    agenthost::http::RequestGuard whole(limits);
    whole.feed(bytes);
    // The same bytes in small pieces must reach the same verdict.
    agenthost::http::RequestGuard pieces(limits);
    agenthost::http::GuardVerdict last;
    for (size_t i = 0; i < size && last.ok(); i += 7) last = pieces.feed(bytes.substr(i, 7));
    agenthost::http::RequestGuard again(limits);
    if (again.feed(bytes).status != last.status) __builtin_trap();
    return 0;
}
