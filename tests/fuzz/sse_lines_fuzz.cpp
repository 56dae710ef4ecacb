// The Server-Sent Events line parser of streaming LLM answers.
#include "llm/sse_line_parser.hpp"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    size_t events = 0;
    agenthost::llm::SseLineParser parser([&](const std::string&, const std::string&) { ++events; });
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    size_t step = size > 0 ? 1 + data[0] % 13 : 1;
    for (size_t i = 0; i < size; i += step) parser.feed(bytes.substr(i, step));
    parser.finish();
    return 0;
}
