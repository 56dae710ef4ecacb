#include "util/time_format.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <ctime>
#include <random>
#include <string>

using agenthost::iso8601_ms;

namespace {

// The reference: the C library's calendar.
std::string with_gmtime(long long epoch_ms) {
    std::time_t seconds = static_cast<std::time_t>(epoch_ms / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[64];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                  utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(epoch_ms % 1000));
    return text;
}

}  // namespace

TEST_CASE("timestamps are written as the C library's UTC calendar would") {
    CHECK(iso8601_ms(0) == "1970-01-01T00:00:00.000Z");
    CHECK(iso8601_ms(951782400000LL) == "2000-02-29T00:00:00.000Z");   // a leap day of a 400-year
    CHECK(iso8601_ms(4107542399999LL) == "2100-02-28T23:59:59.999Z");  // 2100 is no leap year
    CHECK(iso8601_ms(4107542400000LL) == "2100-03-01T00:00:00.000Z");
    CHECK(iso8601_ms(1796612241179LL) == with_gmtime(1796612241179LL));
    std::mt19937_64 random(14);
    // Every day boundary of the next few centuries, and random instants up
    // to year 9999.
    for (long long day = 0; day < 365LL * 300; day += 1) {
        long long ms = day * 86400000LL;
        REQUIRE(iso8601_ms(ms) == with_gmtime(ms));
        REQUIRE(iso8601_ms(ms - 1 + 86400000LL) == with_gmtime(ms - 1 + 86400000LL));
    }
    std::uniform_int_distribution<long long> instant(0, 253402300799999LL);
    for (int i = 0; i < 200000; ++i) {
        long long ms = instant(random);
        INFO(ms);
        REQUIRE(iso8601_ms(ms) == with_gmtime(ms));
    }
}
