// The HTTP side of agentctl: one request to the host, with the credential.
#pragma once

#include <string>

namespace agentctl {

struct Answer {
    long status = 0;     // 0 when there was no answer
    std::string body;
    std::string error;   // why there was no answer
    bool reached() const { return error.empty(); }
    bool ok() const { return status >= 200 && status < 300; }
};

class HostClient {
  public:
    // `key` empty: no Authorization header.
    HostClient(std::string base_url, std::string key);
    Answer get(const std::string& path) const { return send("GET", path, ""); }
    Answer post(const std::string& path, const std::string& body) const { return send("POST", path, body); }
    Answer remove(const std::string& path) const { return send("DELETE", path, ""); }
    const std::string& base_url() const { return base_url_; }

  private:
    Answer send(const std::string& method, const std::string& path, const std::string& body) const;
    std::string base_url_;
    std::string key_;
};

// Prints the answer's body as the host sent it (the reason on stderr when
// there was none) and returns the exit status for it (exit_codes.hpp).
int print_body(const Answer& answer);

// Percent-encodes a query-string value.
std::string query_escape(const std::string& value);

}  // namespace agentctl
