// GitHub's REST API at the configured base URL, over the host's outbound
// HTTP (libcurl, with the SSRF guard; the configured hosts are allowed by
// name since the operator chose them): the account's repositories, the
// OAuth code exchange, and a pull request of files (branch, one commit
// per file through the contents API, the PR).
#pragma once

#include "github/github_settings.hpp"

#include <rapidjson/document.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace agenthost::github {

// GitHub answered an error or could not be reached; status is what the
// API answers (502 for GitHub's own failures, 503 unreachable).
struct GitHubError : std::runtime_error {
    GitHubError(int status, const std::string& message) : std::runtime_error(message), status(status) {}
    int status;
};

struct Repository {
    std::string name, full_name, clone_url, default_branch;
    bool is_private = false;
};

struct OAuthResult {
    std::string access_token, token_type, scope, login;
};

struct FileChange {
    std::string path, content;
};

struct PullRequest {
    int number = 0;
    std::string url, branch, base;
};

class GitHubClient {
  public:
    explicit GitHubClient(const GitHubSettings& settings) : settings_(settings) {}

    std::vector<Repository> repositories();
    OAuthResult exchange_code(const std::string& code, const std::string& state);
    // owner/name, files, branch to create, title and body of the PR.
    PullRequest open_pull_request(const std::string& full_name, const std::vector<FileChange>& files,
                                  const std::string& branch, const std::string& title, const std::string& body);

  private:
    struct Answer {
        int status = 0;
        rapidjson::Document body;
    };
    Answer call(const std::string& method, const std::string& url, const std::string& token, const std::string& body_json);
    Answer api(const std::string& method, const std::string& path, const std::string& body_json = "");

    const GitHubSettings& settings_;
};

// Where GET /github/app/install sends the browser: GitHub's authorize page
// for the configured OAuth client, carrying `state` back to the callback.
std::string authorize_url(const GitHubSettings& settings, const std::string& state);

// "owner/name" from https://github.com/owner/name(.git), git@github.com:owner/name.git; "" otherwise.
std::string full_name_of(const std::string& repository_url);

}  // namespace agenthost::github
