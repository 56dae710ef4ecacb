// Identifiers the host hands out: request ids, run ids, thread ids.
#pragma once

#include <string>

namespace agenthost {

// A random RFC 4122 version-4 UUID in canonical text form.
std::string new_uuid();

// True when `id` is safe to echo and store as a client-chosen identifier:
// 1 to 128 characters from [A-Za-z0-9._:-].
bool is_valid_client_id(const std::string& id);

}  // namespace agenthost
