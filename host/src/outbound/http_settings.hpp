// The operator's word on one agent's outbound HTTP (agents.<name>.http in
// the config). A plugin with the "http" permission reaches public hosts;
// loopback, private and metadata addresses only when the operator names the
// host here, exactly as webhooks.allowed_hosts does for webhooks.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace agenthost::outbound {

struct HttpSettings {
    // Hosts reachable whatever they resolve to (exact names or IP literals).
    std::vector<std::string> allowed_hosts;
    // Upper bound of one request's timeout; longer requests are cut to it.
    double max_timeout_seconds = 30;
    // Largest response body a plugin may receive; a larger one fails the call.
    size_t max_response_bytes = 1024 * 1024;
};

}  // namespace agenthost::outbound
