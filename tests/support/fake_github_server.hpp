// A fake GitHub for tests: an HTTP/1.1 server on 127.0.0.1 speaking the
// part of GitHub's REST API and OAuth endpoint the host uses (the user's
// repositories, the code exchange, refs, contents, pulls). It keeps what
// was created (branches, files per branch, pull requests) and records
// every request, so tests check what the host sent and what it made.
#pragma once

#include "loopback_server.hpp"

#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace agenthost::testing {

class FakeGitHubServer {
  public:
    // `token`: the account token the API accepts (Bearer); `code`: the
    // OAuth code the exchange accepts, answered with `user_token`.
    FakeGitHubServer(std::string token, std::string client_id, std::string client_secret, std::string code,
                     std::string user_token);

    std::string url(const std::string& suffix = "") const { return server_.url(suffix); }

    struct File {
        std::string branch, path, content;  // content decoded from base64
    };
    std::vector<LoopbackRequest> requests() const;
    std::vector<File> files() const;
    std::map<std::string, std::string> branches() const;  // name -> sha
    std::vector<std::string> pull_requests() const;      // "head -> base: title"

  private:
    void answer(int fd, LoopbackRequest request);
    std::pair<int, std::string> route(const LoopbackRequest& request);

    std::string token_, client_id_, client_secret_, code_, user_token_;
    mutable std::mutex mutex_;
    std::vector<LoopbackRequest> requests_;
    std::map<std::string, std::string> branches_{{"main", "0000000000000000000000000000000000000001"}};
    std::vector<File> files_;
    std::vector<std::string> pulls_;
    LoopbackServer server_;
};

}  // namespace agenthost::testing
