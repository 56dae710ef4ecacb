// Percent-decoding and query-string parsing.
#include "http/url_encoding.hpp"
#include "util/percent_decode.hpp"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    agenthost::percent_decode(text);
    agenthost::percent_decode(text, true);
    agenthost::http::parse_query(text);
    return 0;
}
