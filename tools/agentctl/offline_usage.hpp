// `agentctl usage ...` against the database itself (--data-dir or
// --database-url): the same report GET /usage answers, with no host running.
#pragma once

#include <string>

namespace agentctl {

struct UsageOptions {
    std::string from;
    std::string to;
    std::string group_by;
    std::string tenant;  // offline only: one tenant's usage (empty: all)
    std::string data_dir;
    std::string database_url;
};

// The query string for GET /usage ("" when nothing is asked for).
std::string usage_query(const UsageOptions& options);

// Prints the report's JSON on stdout; returns the exit status (0 done, 2 a
// bad option or a database error).
int offline_usage(const UsageOptions& options);

}  // namespace agentctl
