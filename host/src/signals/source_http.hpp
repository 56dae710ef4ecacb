// Outbound HTTP for url, loki and cloudwatch sources: through the host's
// http service (SSRF guard with signals.pull.allowed_hosts, pinned address,
// timeout, response size limit), answered as status, headers and body.
// Anything but an HTTP answer is a PullError.
#pragma once

#include "signals/pull_settings.hpp"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace agenthost::signals {

struct SourceAnswer {
    int status = 0;
    std::map<std::string, std::string> headers;  // names lower-cased
    std::string body;
    std::string header(const std::string& name) const {
        auto found = headers.find(name);
        return found == headers.end() ? "" : found->second;
    }
};

SourceAnswer source_request(const std::string& method, const std::string& url,
                            const std::vector<std::pair<std::string, std::string>>& headers, const std::string& body,
                            const PullSettings& settings, size_t max_response_bytes);

// "401 Unauthorized: <start of the body>" for errors naming an answer.
std::string describe_answer(const SourceAnswer& answer);

// "a%20b" for "a b": query values (RFC 3986 unreserved kept).
std::string url_encode(const std::string& text);

}  // namespace agenthost::signals
