// Which browser origins may call the API (seed 004's CORS_ORIGINS, and
// server.cors in config), and the headers that say so. With no origins
// configured it adds nothing at all.
#pragma once

#include "auth/auth_settings.hpp"

#include <string>
#include <utility>
#include <vector>

namespace agenthost::auth {

using Headers = std::vector<std::pair<std::string, std::string>>;

// CORS_ORIGINS as a JSON array of strings or a comma-separated list; throws
// std::invalid_argument for a malformed array.
std::vector<std::string> parse_origin_list(const std::string& text);

class CorsPolicy {
  public:
    explicit CorsPolicy(CorsSettings settings) : settings_(std::move(settings)) {}

    bool enabled() const { return settings_.enabled(); }
    bool allows(const std::string& origin) const;
    // Headers for an ordinary response to a request from `origin` (only
    // Vary for a disallowed origin, none without one).
    Headers response_headers(const std::string& origin) const;
    // Headers answering a preflight; empty when the origin or the asked-for
    // method is not allowed (the browser then refuses the call).
    Headers preflight_headers(const std::string& origin, const std::string& requested_method) const;

  private:
    CorsSettings settings_;
};

}  // namespace agenthost::auth
