#include "auth/listen_policy.hpp"

#include <arpa/inet.h>

namespace agenthost::auth {

bool is_loopback_host(const std::string& host) {
    if (host == "localhost" || host == "::1" || host == "[::1]") return true;
    in_addr address{};
    if (inet_pton(AF_INET, host.c_str(), &address) != 1) return false;
    return (ntohl(address.s_addr) >> 24) == 127;
}

std::string listen_problem(const std::string& host, const AuthSettings& settings) {
    if (settings.mode == AuthSettings::Mode::required || settings.insecure_no_auth || is_loopback_host(host)) return "";
    return "refusing to listen on " + host +
           " without authentication: anyone who reaches the port could run agents and approve their actions. "
           "Set auth.mode to \"required\" (or AGENTHOST_AUTH_MODE=required) and create a key with "
           "'agentctl keys create --data-dir DIR --name admin --scopes admin', listen on 127.0.0.1, or pass "
           "--insecure-no-auth if you really mean it";
}

}  // namespace agenthost::auth
