// Percent-decoding and query-string parsing, and GET /usage's parameters
// read from the parsed query.
#include "http/url_encoding.hpp"
#include "usage/usage_report.hpp"
#include "util/percent_decode.hpp"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    agenthost::percent_decode(text);
    agenthost::percent_decode(text, true);
    auto query = agenthost::http::parse_query(text);
    auto value = [&](const char* name) {
        auto found = query.find(name);
        return found == query.end() ? std::string() : found->second;
    };
    try {
        agenthost::usage::parse_usage_request(value("from"), value("to"), value("group_by"), 1765065600000LL);
    } catch (const agenthost::usage::BadUsageParameter&) {
    }
    return 0;
}
