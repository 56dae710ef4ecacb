// UTC days and months as usage counts them: rollups are keyed by the UTC
// date a run ended ("YYYY-MM-DD"), quotas reset at UTC midnight (runs per
// day) and on the first of the month (tokens per month).
#pragma once

#include <optional>
#include <string>

namespace agenthost {

// "YYYY-MM-DD" of an epoch-milliseconds instant.
std::string utc_day(long long epoch_ms);
// Days since 1970-01-01 of a valid "YYYY-MM-DD"; nullopt for anything else
// (including dates that do not exist, such as 2026-02-30).
std::optional<long long> parse_day(const std::string& day);
std::string day_from_number(long long days);
// "YYYY-MM-01" of the month holding `day`.
std::string month_start(const std::string& day);
// Epoch milliseconds of the next UTC midnight after `epoch_ms`, and of the
// first instant of the next month.
long long next_midnight_ms(long long epoch_ms);
long long next_month_ms(long long epoch_ms);

}  // namespace agenthost
