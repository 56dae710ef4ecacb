// Auth off is safe only where nobody else can connect: the host refuses to
// listen beyond loopback without auth unless the operator insists.
#pragma once

#include "auth/auth_settings.hpp"

#include <string>

namespace agenthost::auth {

// 127.0.0.0/8, ::1 and localhost.
bool is_loopback_host(const std::string& host);

// Why the host must not start listening on `host` with `settings`; "" when
// it may.
std::string listen_problem(const std::string& host, const AuthSettings& settings);

}  // namespace agenthost::auth
