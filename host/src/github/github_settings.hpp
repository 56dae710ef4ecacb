// The operator's GitHub settings (config "github", and seed 000's
// variables GITHUB_TOKEN, GITHUB_CLIENT_ID, GITHUB_CLIENT_SECRET).
#pragma once

#include <string>
#include <vector>

namespace agenthost::github {

struct GitHubSettings {
    std::string api_base_url = "https://api.github.com";  // GitHub Enterprise: https://HOST/api/v3
    std::string oauth_base_url = "https://github.com";    // where /login/oauth/access_token is
    std::string token;                                    // the account's token: /github/repos, pull requests
    std::string client_id, client_secret;                 // the GitHub App's OAuth client
    std::vector<std::string> local_repositories;          // folders GET /github/repos lists
    double timeout_seconds = 30;
};

}  // namespace agenthost::github
