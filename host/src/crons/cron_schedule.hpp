// A cron schedule: when its ticks fall, in a time zone.
//
// Five fields, "minute hour day-of-month month day-of-week", each "*", a
// number, a range "a-b", a step "*/s", "a-b/s" or "a/s" (a to the field's
// end), or a comma list of those; months and weekdays also by their English
// three-letter names (JAN..DEC, SUN..SAT; weekday 7 is Sunday too). When
// both day fields are restricted a day matching either fires (Vixie cron);
// a field starting with "*" leaves the day to the other. Macros: @yearly
// (@annually), @monthly, @weekly, @daily (@midnight), @hourly.
//
// Extension: "@every N[s|m|h]" ticks every N seconds, minutes or hours,
// aligned to the epoch (so every host computes the same ticks), UTC-based.
// It exists so a cron can tick every second (tests, and fast periodic checks).
//
// DST: a local time that does not exist (skipped by a spring-forward) fires
// once, at the first instant after the gap; a local time that repeats
// (fall-back) fires once, at its first occurrence.
#pragma once

#include "crons/time_zone.hpp"

#include <bitset>
#include <optional>
#include <stdexcept>
#include <string>

namespace agenthost::crons {

// A schedule that does not parse; `field` names the part at fault
// ("minute", "hour", "day of month", "month", "day of week", "schedule").
class CronSyntaxError : public std::runtime_error {
  public:
    CronSyntaxError(std::string field, const std::string& message)
        : std::runtime_error(field + ": " + message), field(std::move(field)) {}
    std::string field;
};

class CronSchedule {
  public:
    // Throws CronSyntaxError.
    static CronSchedule parse(const std::string& text);

    // The first tick strictly after `after_ms` (UTC epoch milliseconds), or
    // nullopt when there is none within the next five years (such as
    // "0 0 30 2 *").
    std::optional<long long> next_after(long long after_ms, const TimeZone& zone) const;

    const std::string& text() const { return text_; }
    // Seconds between ticks of an @every schedule (0 for the calendar form).
    long long every_seconds() const { return every_seconds_; }

  private:
    bool day_matches(long long days) const;

    std::string text_;
    long long every_seconds_ = 0;
    std::bitset<60> minutes_;
    std::bitset<24> hours_;
    std::bitset<32> days_;    // 1..31
    std::bitset<13> months_;  // 1..12
    std::bitset<7> weekdays_;  // 0 = Sunday
    bool any_day_of_month_ = false;
    bool any_day_of_week_ = false;
};

}  // namespace agenthost::crons
