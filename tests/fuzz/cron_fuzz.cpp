// Cron schedules (POST /runs/crons' "schedule") and TZif data: the first
// line is parsed as a schedule and its next tick computed in UTC and in
// Europe/Berlin; the rest is read as a TZif file and asked for offsets and
// local times.
#include "crons/cron_schedule.hpp"
#include "crons/time_zone.hpp"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace agenthost::crons;
    std::string text(reinterpret_cast<const char*>(data), size);
    size_t newline = text.find('\n');
    std::string schedule_text = text.substr(0, newline);
    std::string error;
    static const TimeZone utc = *TimeZone::load("UTC", error);
    static const std::optional<TimeZone> berlin = TimeZone::load("Europe/Berlin", error);
    try {
        CronSchedule schedule = CronSchedule::parse(schedule_text);
        schedule.next_after(1774746000000LL, utc);  // 2026-03-29T01:00:00Z, a DST change in Berlin
        if (berlin) schedule.next_after(1774746000000LL, *berlin);
    } catch (const CronSyntaxError&) {
    }
    if (newline != std::string::npos) {
        if (auto zone = TimeZone::from_tzif("Fuzz/Zone", text.substr(newline + 1), error)) {
            for (long long at : {-4000000000LL, 0LL, 1774746000LL, 4000000000LL}) {
                zone->offset_at(at);
                zone->resolve(at);
            }
        }
    }
    return 0;
}
