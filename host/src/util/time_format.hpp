// Timestamps as clients read them: RFC 3339 UTC with milliseconds.
#pragma once

#include <string>

namespace agenthost {

// 1763755200123 -> "2025-11-21T20:00:00.123Z".
std::string iso8601_ms(long long epoch_ms);

}  // namespace agenthost
