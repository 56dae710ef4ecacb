// A small libcurl client for integration tests: real HTTP to a real host.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace agenthost::testing {

struct HttpResult {
    long status = 0;
    std::string body;
    std::map<std::string, std::string> headers;  // names lower-cased
    long new_connections = 0;                    // 0 when an earlier connection was reused
    std::string error;                           // curl's error, when the exchange failed

    const std::string& header(const std::string& name) const;
};

class HttpClient {
  public:
    explicit HttpClient(std::string base_url);
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    HttpResult get(const std::string& path, const std::vector<std::string>& headers = {});
    // Sends `body` with Content-Type: application/json unless `headers`
    // carry their own Content-Type.
    HttpResult post(const std::string& path, const std::string& body, const std::vector<std::string>& headers = {});
    HttpResult request(const std::string& method, const std::string& path, const std::string& body,
                       const std::vector<std::string>& headers);

  private:
    std::string base_url_;
    void* curl_;  // one handle, so connections are reused like a real client's
};

}  // namespace agenthost::testing
