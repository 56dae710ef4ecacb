// The README's curl commands as request examples for GET /openapi.json, so
// the document shows exactly what the README shows (and a test checks each
// example body against its route's request schema).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace agenthost::api {

struct CurlExample {
    std::string method;  // -X, else POST with -d, else GET
    std::string path;    // without scheme, host and query
    std::string body;    // the -d argument; empty: none
};

// Every `curl` command in `markdown` (continued lines joined) that calls a
// host URL (one with "localhost").
std::vector<CurlExample> curl_examples(std::string_view markdown);

}  // namespace agenthost::api
