// Which scope each route class needs, and which rate-limit class it counts
// against: the one table an operator reads to know what a key may do.
#pragma once

#include "auth/principal.hpp"

#include <string>
#include <vector>

namespace agenthost::auth {

struct RouteAccess {
    // Open routes need no credential: probes, and inbound webhooks, which
    // carry their own HMAC signature instead of a key.
    bool open = false;
    Scope scope = kRead;
    // The rate-limit class: read, invoke, cancel, approve, admin (or open).
    const char* rate_class = "read";
    // Creates runs: counts against (and is refused by) the tenant's quota.
    bool creates_runs = false;
};

// By method and the path's decoded, non-empty segments, split exactly as
// the router splits them (so "/workflow//approve/x" or "%63ancel" cannot
// dodge a rule). Paths no route serves need `read` (GET) or `invoke`, so an
// anonymous caller learns nothing about what exists.
RouteAccess route_access(const std::string& method, const std::vector<std::string>& segments);

}  // namespace agenthost::auth
