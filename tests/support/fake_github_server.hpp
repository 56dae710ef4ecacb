// A fake GitHub for tests: an HTTP/1.1 server on 127.0.0.1 speaking the
// part of GitHub's REST API and OAuth endpoint the host uses (the user's
// repositories, the code exchange, refs, commits, contents, pulls). It
// keeps what was created (branches, files per branch, pull requests) and
// records every request, so tests check what was sent and what it made.
// Commits and the files at a ref (a sha or a branch) can be seeded, for a
// client that reads a commit and its parent's files (sre_agent's revert).
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
        bool deleted = false;               // a DELETE of the file
    };
    // GET /repos/acme/shop/commits/{sha} answers this commit; `files` are
    // {path, status} as GitHub lists them (added, modified, removed).
    void add_commit(const std::string& sha, const std::string& parent, const std::string& message,
                    const std::vector<std::pair<std::string, std::string>>& files);
    // The file's content at `ref` (a sha or a branch name); a branch made
    // from a sha starts with that sha's files.
    void put_file_at(const std::string& ref, const std::string& path, const std::string& content);
    // The files on a branch now.
    std::map<std::string, std::string> files_at(const std::string& ref) const;
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
    std::map<std::string, std::string> commits_;                           // sha -> JSON answer
    std::map<std::string, std::map<std::string, std::string>> files_at_;  // ref -> path -> content
    LoopbackServer server_;
};

}  // namespace agenthost::testing
