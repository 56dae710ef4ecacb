#include "util/utc_calendar.hpp"

#include <cstdio>

namespace agenthost {
namespace {

constexpr long long kDayMs = 86400000LL;

// Howard Hinnant's civil-from-days and days-from-civil.
long long days_from_civil(long long y, unsigned m, unsigned d) {
    y -= m <= 2;
    const long long era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<long long>(doe) - 719468;
}

void civil_from_days(long long z, long long& y, unsigned& m, unsigned& d) {
    z += 719468;
    const long long era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = static_cast<long long>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
}

long long floor_div(long long a, long long b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

std::string day_from_number(long long days) {
    long long y;
    unsigned m, d;
    civil_from_days(days, y, m, d);
    char text[16];
    std::snprintf(text, sizeof text, "%04lld-%02u-%02u", y, m, d);
    return text;
}

std::string utc_day(long long epoch_ms) { return day_from_number(floor_div(epoch_ms, kDayMs)); }

std::optional<long long> parse_day(const std::string& day) {
    if (day.size() != 10 || day[4] != '-' || day[7] != '-') return std::nullopt;
    for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (day[i] < '0' || day[i] > '9') return std::nullopt;
    long long y = std::stoll(day.substr(0, 4));
    unsigned m = static_cast<unsigned>(std::stoi(day.substr(5, 2)));
    unsigned d = static_cast<unsigned>(std::stoi(day.substr(8, 2)));
    if (m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
    long long number = days_from_civil(y, m, d);
    // 2026-02-30 would come back as 2026-03-02.
    if (day_from_number(number) != day) return std::nullopt;
    return number;
}

std::string month_start(const std::string& day) { return day.substr(0, 8) + "01"; }

long long next_midnight_ms(long long epoch_ms) { return (floor_div(epoch_ms, kDayMs) + 1) * kDayMs; }

long long next_month_ms(long long epoch_ms) {
    long long y;
    unsigned m, d;
    civil_from_days(floor_div(epoch_ms, kDayMs), y, m, d);
    if (++m > 12) {
        m = 1;
        ++y;
    }
    return days_from_civil(y, m, 1) * kDayMs;
}

}  // namespace agenthost
