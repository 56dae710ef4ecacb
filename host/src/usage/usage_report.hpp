// GET /usage and `agentctl usage`: the rollups for a range of UTC days,
// grouped by key, tenant, agent or day, as one JSON document. Reads only the
// rollup tables (never the runs), so it costs the same however many runs
// there were.
#pragma once

#include "store/store.hpp"

#include <stdexcept>
#include <string>

namespace agenthost::usage {

enum class GroupBy { key, tenant, agent, day };

struct UsageRequest {
    std::string from;  // inclusive, YYYY-MM-DD
    std::string to;    // inclusive
    GroupBy group_by = GroupBy::day;
    // Only this tenant's usage (a principal that does not see every tenant).
    bool by_tenant = false;
    std::string tenant;
};

// A parameter that is not what it should be; the message names it.
struct BadUsageParameter : std::invalid_argument {
    BadUsageParameter(std::string parameter, const std::string& message)
        : std::invalid_argument(message), parameter(std::move(parameter)) {}
    std::string parameter;
};

// From the query's values ("" when absent): `to` defaults to today (UTC),
// `from` to the first day of to's month, group_by to day. At most 366 days.
UsageRequest parse_usage_request(const std::string& from, const std::string& to, const std::string& group_by,
                                 long long now_ms);

// {"from","to","group_by","groups":[{<group fields>, "runs", "runs_by_status",
// "run_seconds", "llm": {...}, "llm_by_model": [...]}], "totals": {...}}
std::string usage_report_json(store::Store& store, const UsageRequest& request);

}  // namespace agenthost::usage
