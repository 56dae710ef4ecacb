// The http service behind callback_run_http_request: one request a plugin
// asks for, checked by the SSRF guard against the operator's allow-list for
// its agent, sent over libcurl pinned to the checked address (no redirects
// followed), with a timeout and a response size limit, and logged with its
// credentials redacted. Used by the host's service table in both isolation
// modes (in process mode the runner forwards the call here).
#pragma once

#include "outbound/http_settings.hpp"

#include <atomic>
#include <string>
#include <utility>
#include <vector>

namespace agenthost::outbound {

enum class HttpStatus {
    ok,           // an HTTP answer came back, whatever its status code
    bad_request,  // the plugin's request is malformed
    denied,       // the SSRF guard refused the destination
    unavailable,  // no answer: refused, reset, timed out, too large
    cancelled,    // the run was cancelled and the transfer cut
};

struct HttpCall {
    std::string agent;
    const HttpSettings* settings = nullptr;
    const std::atomic<bool>* cancelled = nullptr;
};

struct HttpAnswer {
    HttpStatus status = HttpStatus::unavailable;
    // {"status","headers","body","duration_ms"} when status is ok.
    std::string response_json;
    std::string error;  // why, otherwise
};

HttpAnswer run_http(const HttpCall& call, const std::string& request_json);

// Headers as they may appear in a log line: the values of Authorization,
// Proxy-Authorization, Cookie and other credential headers replaced.
std::vector<std::pair<std::string, std::string>> redacted_headers(
    const std::vector<std::pair<std::string, std::string>>& headers);

}  // namespace agenthost::outbound
