// Timestamps as clients read them: RFC 3339 UTC with milliseconds.
#pragma once

#include <optional>
#include <string>

namespace agenthost {

// 1763755200123 -> "2025-11-21T20:00:00.123Z".
std::string iso8601_ms(long long epoch_ms);
// "2026-03-29T02:30:00Z", with optional fractional seconds and a "+HH:MM" /
// "-HH:MM" offset instead of Z -> epoch milliseconds; nullopt otherwise.
std::optional<long long> parse_rfc3339_ms(const std::string& text);

}  // namespace agenthost
