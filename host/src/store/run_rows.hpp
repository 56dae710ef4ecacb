// How a run row is read: the column list every run query selects and its
// mapping to RunRecord, shared by the repository's files.
#pragma once

#include "store/records.hpp"

#include <soci/soci.h>

#include <string>

namespace agenthost::store {

extern const char* kRunColumns;
// The column after kRunColumns in a claim's RETURNING list.
inline constexpr size_t kColumnAfterRun = 36;

RunRecord run_from_row(const soci::row& row);

// JSON string literal of `text`, for event data built beside SQL.
std::string quoted(const std::string& text);

}  // namespace agenthost::store
