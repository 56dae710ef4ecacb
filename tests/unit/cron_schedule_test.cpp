// Cron schedules: every field form, invalid ones naming the field, and DST
// in Europe/Berlin and America/New_York read from the system's tzdata.
#include "crons/cron_schedule.hpp"
#include "crons/time_zone.hpp"
#include "util/time_format.hpp"

#include <catch2/catch.hpp>

using agenthost::iso8601_ms;
using agenthost::parse_rfc3339_ms;
using agenthost::crons::CronSchedule;
using agenthost::crons::CronSyntaxError;
using agenthost::crons::TimeZone;

namespace {

long long at(const std::string& rfc3339) {
    auto ms = parse_rfc3339_ms(rfc3339);
    REQUIRE(ms);
    return *ms;
}

TimeZone zone(const std::string& name) {
    std::string error;
    auto loaded = TimeZone::load(name, error);
    INFO(error);
    REQUIRE(loaded);
    return *loaded;
}

// The next tick after `after` as RFC 3339 UTC ("never" when none).
std::string next(const std::string& schedule, const std::string& after, const std::string& tz = "UTC") {
    auto found = CronSchedule::parse(schedule).next_after(at(after), zone(tz));
    return found ? iso8601_ms(*found) : "never";
}

// The ticks after `after`, `count` of them.
std::vector<std::string> ticks(const std::string& schedule, const std::string& after, const std::string& tz, int count) {
    CronSchedule parsed = CronSchedule::parse(schedule);
    TimeZone z = zone(tz);
    std::vector<std::string> out;
    long long from = at(after);
    for (int i = 0; i < count; ++i) {
        auto found = parsed.next_after(from, z);
        REQUIRE(found);
        out.push_back(iso8601_ms(*found));
        from = *found;
    }
    return out;
}

std::string field_of(const std::string& schedule) {
    try {
        CronSchedule::parse(schedule);
    } catch (const CronSyntaxError& e) {
        return e.field;
    }
    return "";
}

}  // namespace

TEST_CASE("cron fields: numbers, ranges, steps, lists and names") {
    CHECK(next("* * * * *", "2026-01-01T10:00:30Z") == "2026-01-01T10:01:00.000Z");
    CHECK(next("5 * * * *", "2026-01-01T10:05:00Z") == "2026-01-01T11:05:00.000Z");  // strictly after
    CHECK(next("*/15 * * * *", "2026-01-01T10:16:00Z") == "2026-01-01T10:30:00.000Z");
    CHECK(next("10-20/5 * * * *", "2026-01-01T10:16:00Z") == "2026-01-01T10:20:00.000Z");
    CHECK(next("10-20/5 * * * *", "2026-01-01T10:20:00Z") == "2026-01-01T11:10:00.000Z");
    CHECK(next("50/5 * * * *", "2026-01-01T10:51:00Z") == "2026-01-01T10:55:00.000Z");  // a/s: a to the end
    CHECK(next("0 8,12,18 * * *", "2026-01-01T12:00:00Z") == "2026-01-01T18:00:00.000Z");
    CHECK(next("0 0 1 jan,Jul *", "2026-02-01T00:00:00Z") == "2026-07-01T00:00:00.000Z");
    CHECK(next("0 9 * * MON-FRI", "2026-01-02T10:00:00Z") == "2026-01-05T09:00:00.000Z");  // Fri -> Mon
    CHECK(next("0 9 * * 7", "2026-01-01T00:00:00Z") == "2026-01-04T09:00:00.000Z");  // 7 is Sunday
    CHECK(next("0 9 * * sun", "2026-01-01T00:00:00Z") == "2026-01-04T09:00:00.000Z");
    CHECK(next("0 0 29 2 *", "2026-01-01T00:00:00Z") == "2028-02-29T00:00:00.000Z");  // leap day
    CHECK(next("0 0 31 * *", "2026-04-01T00:00:00Z") == "2026-05-31T00:00:00.000Z");
    // Both day fields restricted: either matches (the 13th, or a Friday).
    CHECK(next("0 0 13 * 5", "2026-01-01T00:00:00Z") == "2026-01-02T00:00:00.000Z");
    CHECK(next("0 0 13 * 5", "2026-01-10T00:00:00Z") == "2026-01-13T00:00:00.000Z");
    // One starting with "*": the other decides alone.
    CHECK(next("0 0 */2 * 5", "2026-01-01T00:00:00Z") == "2026-01-09T00:00:00.000Z");
    CHECK(next("0 0 30 2 *", "2026-01-01T00:00:00Z") == "never");
}

TEST_CASE("cron macros and the @every extension") {
    CHECK(next("@hourly", "2026-01-01T10:00:00Z") == "2026-01-01T11:00:00.000Z");
    CHECK(next("@daily", "2026-01-01T10:00:00Z") == "2026-01-02T00:00:00.000Z");
    CHECK(next("@midnight", "2026-01-01T10:00:00Z") == "2026-01-02T00:00:00.000Z");
    CHECK(next("@weekly", "2026-01-01T10:00:00Z") == "2026-01-04T00:00:00.000Z");
    CHECK(next("@monthly", "2026-01-01T10:00:00Z") == "2026-02-01T00:00:00.000Z");
    CHECK(next("@yearly", "2026-01-01T10:00:00Z") == "2027-01-01T00:00:00.000Z");
    CHECK(next("@annually", "2026-01-01T10:00:00Z") == "2027-01-01T00:00:00.000Z");
    CHECK(next("@every 1s", "2026-01-01T10:00:00.400Z") == "2026-01-01T10:00:01.000Z");
    CHECK(next("@every 1s", "2026-01-01T10:00:01Z") == "2026-01-01T10:00:02.000Z");
    CHECK(next("@every 5m", "2026-01-01T10:01:00Z") == "2026-01-01T10:05:00.000Z");
    CHECK(next("@every 2h", "2026-01-01T10:01:00Z") == "2026-01-01T12:00:00.000Z");
    CHECK(CronSchedule::parse("@every 30s").every_seconds() == 30);
}

TEST_CASE("invalid schedules name the field at fault") {
    CHECK(field_of("60 * * * *") == "minute");
    CHECK(field_of("* 24 * * *") == "hour");
    CHECK(field_of("* * 0 * *") == "day of month");
    CHECK(field_of("* * 32 * *") == "day of month");
    CHECK(field_of("* * * 13 *") == "month");
    CHECK(field_of("* * * foo *") == "month");
    CHECK(field_of("* * * * 8") == "day of week");
    CHECK(field_of("* * * * mon-") == "day of week");
    CHECK(field_of("5-1 * * * *") == "minute");  // backwards
    CHECK(field_of("*/0 * * * *") == "minute");
    CHECK(field_of("*/61 * * * *") == "minute");
    CHECK(field_of("1,,2 * * * *") == "minute");
    CHECK(field_of("a * * * *") == "minute");
    CHECK(field_of("* * * *") == "schedule");
    CHECK(field_of("* * * * * *") == "schedule");
    CHECK(field_of("") == "schedule");
    CHECK(field_of("@fortnightly") == "schedule");
    CHECK(field_of("@every") == "schedule");
    CHECK(field_of("@every 0s") == "schedule");
    CHECK(field_of("@every 5x") == "schedule");
    CHECK(field_of(std::string(300, '*')) == "schedule");
    CHECK(field_of("99999999999 * * * *") == "minute");
    CHECK(field_of("  0 9 * * 1  ") == "");  // surrounding blanks are fine
}

TEST_CASE("time zones: offsets from tzdata, unknown and hostile names refused") {
    TimeZone berlin = zone("Europe/Berlin");
    CHECK(berlin.offset_at(at("2026-01-15T12:00:00Z") / 1000) == 3600);
    CHECK(berlin.offset_at(at("2026-07-15T12:00:00Z") / 1000) == 7200);
    // Far past the file's last transition: the footer's rule still gives DST.
    CHECK(berlin.offset_at(at("2077-07-15T12:00:00Z") / 1000) == 7200);
    CHECK(berlin.offset_at(at("2077-12-15T12:00:00Z") / 1000) == 3600);
    TimeZone new_york = zone("America/New_York");
    CHECK(new_york.offset_at(at("2026-01-15T12:00:00Z") / 1000) == -5 * 3600);
    CHECK(new_york.offset_at(at("2026-07-15T12:00:00Z") / 1000) == -4 * 3600);
    CHECK(zone("UTC").offset_at(0) == 0);
    std::string error;
    CHECK_FALSE(TimeZone::load("Mars/Olympus", error));
    CHECK(error.find("unknown time zone") != std::string::npos);
    CHECK_FALSE(TimeZone::load("../../etc/passwd", error));
    CHECK_FALSE(TimeZone::load("/etc/passwd", error));
    CHECK_FALSE(TimeZone::from_tzif("Broken/Zone", "TZif2 and then nothing", error));
    CHECK_FALSE(TimeZone::from_tzif("Broken/Zone", "not a zone at all, longer than forty-four bytes.......", error));
}

TEST_CASE("DST in Europe/Berlin: a skipped time fires once after the gap, a repeated one once") {
    // 2026-03-29: 02:00 CET jumps to 03:00 CEST (01:00 UTC).
    CHECK(next("30 2 * * *", "2026-03-28T12:00:00Z", "Europe/Berlin") == "2026-03-29T01:00:00.000Z");
    CHECK(next("30 2 * * *", "2026-03-29T01:00:00Z", "Europe/Berlin") == "2026-03-30T00:30:00.000Z");
    // Every 30 minutes across the gap: 01:30 CET, then 03:00 CEST once (02:00 and 02:30 do not exist).
    CHECK(ticks("*/30 * * * *", "2026-03-29T00:00:00Z", "Europe/Berlin", 4) ==
          std::vector<std::string>{"2026-03-29T00:30:00.000Z", "2026-03-29T01:00:00.000Z", "2026-03-29T01:30:00.000Z",
                                   "2026-03-29T02:00:00.000Z"});
    // 2026-10-25: 03:00 CEST falls back to 02:00 CET (01:00 UTC); 02:30 happens twice.
    CHECK(ticks("30 2 * * *", "2026-10-24T12:00:00Z", "Europe/Berlin", 2) ==
          std::vector<std::string>{"2026-10-25T00:30:00.000Z", "2026-10-26T01:30:00.000Z"});
    // Hourly through the overlap: 02:00 local fires once (CEST), then 03:00 CET.
    CHECK(ticks("0 * * * *", "2026-10-24T23:30:00Z", "Europe/Berlin", 3) ==
          std::vector<std::string>{"2026-10-25T00:00:00.000Z", "2026-10-25T02:00:00.000Z", "2026-10-25T03:00:00.000Z"});
    // Midnight local is 23:00 UTC in winter, 22:00 in summer.
    CHECK(next("@daily", "2026-01-10T12:00:00Z", "Europe/Berlin") == "2026-01-10T23:00:00.000Z");
    CHECK(next("@daily", "2026-07-10T12:00:00Z", "Europe/Berlin") == "2026-07-10T22:00:00.000Z");
}

TEST_CASE("DST in America/New_York") {
    // 2026-03-08: 02:00 EST jumps to 03:00 EDT (07:00 UTC).
    CHECK(next("30 2 * * *", "2026-03-07T12:00:00Z", "America/New_York") == "2026-03-08T07:00:00.000Z");
    CHECK(next("30 2 * * *", "2026-03-08T07:00:00Z", "America/New_York") == "2026-03-09T06:30:00.000Z");
    // 2026-11-01: 02:00 EDT falls back to 01:00 EST; 01:30 happens twice, fires once (EDT).
    CHECK(ticks("30 1 * * *", "2026-10-31T12:00:00Z", "America/New_York", 2) ==
          std::vector<std::string>{"2026-11-01T05:30:00.000Z", "2026-11-02T06:30:00.000Z"});
    CHECK(next("0 9 * * MON-FRI", "2026-07-03T14:00:00Z", "America/New_York") == "2026-07-06T13:00:00.000Z");
}

TEST_CASE("RFC 3339 times for end_time") {
    CHECK(parse_rfc3339_ms("1970-01-01T00:00:00Z") == 0);
    CHECK(parse_rfc3339_ms("2026-03-29T02:30:00.5+02:00") == at("2026-03-29T00:30:00.500Z"));
    CHECK(parse_rfc3339_ms("2026-03-29T02:30:00-05:00") == at("2026-03-29T07:30:00Z"));
    CHECK_FALSE(parse_rfc3339_ms("2026-02-30T00:00:00Z"));
    CHECK_FALSE(parse_rfc3339_ms("2026-01-01 00:00"));
    CHECK_FALSE(parse_rfc3339_ms("2026-01-01T25:00:00Z"));
    CHECK_FALSE(parse_rfc3339_ms("2026-01-01T00:00:00"));
    CHECK_FALSE(parse_rfc3339_ms("tomorrow"));
}
