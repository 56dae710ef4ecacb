// `agentctl keys ...` against the database itself (--data-dir or
// --database-url), with no host running: how the first admin key is made.
#pragma once

#include <string>
#include <vector>

namespace agentctl {

struct KeyOptions {
    std::string name;
    std::string scopes;
    std::string tenant;
    std::string expires;
    std::string data_dir;
    std::string database_url;
};

// words: {"keys", "create"|"list"|"revoke", [ID]}. Prints JSON on stdout;
// returns the exit status (0 done, 1 refused, 2 usage or database error).
int offline_keys(const std::vector<std::string>& words, const KeyOptions& options);

}  // namespace agentctl
