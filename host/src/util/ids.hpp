// Identifiers the host hands out: request ids, run ids, thread ids.
#pragma once

#include <string>

namespace agenthost {

// A random RFC 4122 version-4 UUID in canonical text form.
std::string new_uuid();

// An RFC 9562 version-7 UUID: 48 bits of Unix time in milliseconds, then 74
// random bits. Ids made later sort later, so rows keyed by them (runs, their
// events, their threads) go to the last pages of each B-tree index instead
// of random ones: a group commit of a hundred runs rewrites a few index
// pages rather than hundreds, in SQLite's log and PostgreSQL's alike.
std::string new_time_ordered_uuid();

// True when `id` is safe to echo and store as a client-chosen identifier:
// 1 to 128 characters from [A-Za-z0-9._:-].
bool is_valid_client_id(const std::string& id);

}  // namespace agenthost
