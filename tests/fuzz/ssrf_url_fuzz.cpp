// The webhook URL parser behind the SSRF guard (no name resolution here:
// the fuzzer never touches the network).
#include "net/ssrf_guard.hpp"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string error;
    agenthost::net::parse_http_url(std::string_view(reinterpret_cast<const char*>(data), size), error);
    return 0;
}
