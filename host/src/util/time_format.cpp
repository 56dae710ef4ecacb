#include "util/time_format.hpp"

#include "util/utc_calendar.hpp"

#include <cctype>
#include <cstdio>
#include <ctime>

namespace agenthost {

namespace {

// Writes `value` as exactly `digits` decimal digits at `out`.
void put_digits(char* out, int value, int digits) {
    for (int i = digits - 1; i >= 0; --i) {
        out[i] = static_cast<char>('0' + value % 10);
        value /= 10;
    }
}

}  // namespace

// Every run in a listing carries three of these: gmtime_r takes glibc's
// time-zone lock and snprintf parses its format each time, so the civil
// date is computed directly (Howard Hinnant's days_from_civil inverse).
std::string iso8601_ms(long long epoch_ms) {
    long long millis = epoch_ms % 1000, seconds = epoch_ms / 1000;
    if (millis < 0) {
        millis += 1000;
        --seconds;
    }
    long long days = seconds / 86400, second_of_day = seconds % 86400;
    if (second_of_day < 0) {
        second_of_day += 86400;
        --days;
    }
    long long z = days + 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    long long day_of_era = z - era * 146097;
    long long year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    long long day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    long long mp = (5 * day_of_year + 2) / 153;
    int day = static_cast<int>(day_of_year - (153 * mp + 2) / 5 + 1);
    int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    long long year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
    if (year < 0 || year > 9999) {
        // Outside what four digits hold (never a real timestamp here).
        char text[64];
        std::snprintf(text, sizeof text, "%lld-%02d-%02dT%02d:%02d:%02d.%03dZ", year, month, day,
                      static_cast<int>(second_of_day / 3600), static_cast<int>(second_of_day / 60 % 60),
                      static_cast<int>(second_of_day % 60), static_cast<int>(millis));
        return text;
    }
    std::string text = "0000-00-00T00:00:00.000Z";
    put_digits(&text[0], static_cast<int>(year), 4);
    put_digits(&text[5], month, 2);
    put_digits(&text[8], day, 2);
    put_digits(&text[11], static_cast<int>(second_of_day / 3600), 2);
    put_digits(&text[14], static_cast<int>(second_of_day / 60 % 60), 2);
    put_digits(&text[17], static_cast<int>(second_of_day % 60), 2);
    put_digits(&text[20], static_cast<int>(millis), 3);
    return text;
}

std::optional<long long> parse_rfc3339_ms(const std::string& text) {
    // YYYY-MM-DDTHH:MM:SS
    if (text.size() < 20 || (text[10] != 'T' && text[10] != 't' && text[10] != ' ')) return std::nullopt;
    auto days = parse_day(text.substr(0, 10));
    if (!days) return std::nullopt;
    auto two = [&](size_t at, int max) -> int {
        if (!std::isdigit(static_cast<unsigned char>(text[at])) || !std::isdigit(static_cast<unsigned char>(text[at + 1])))
            return -1;
        int value = (text[at] - '0') * 10 + (text[at + 1] - '0');
        return value > max ? -1 : value;
    };
    int hour = two(11, 23), minute = two(14, 59), second = two(17, 60);
    if (text[13] != ':' || text[16] != ':' || hour < 0 || minute < 0 || second < 0) return std::nullopt;
    size_t at = 19;
    long long millis = 0;
    if (at < text.size() && text[at] == '.') {
        int digits = 0;
        for (++at; at < text.size() && std::isdigit(static_cast<unsigned char>(text[at])); ++at, ++digits)
            if (digits < 3) millis = millis * 10 + (text[at] - '0');
        if (digits == 0) return std::nullopt;
        for (; digits < 3; ++digits) millis *= 10;
    }
    long long offset = 0;
    if (at < text.size() && (text[at] == 'Z' || text[at] == 'z')) {
        ++at;
    } else if (at + 6 == text.size() && (text[at] == '+' || text[at] == '-') && text[at + 3] == ':') {
        int hours = two(at + 1, 23), minutes = two(at + 4, 59);
        if (hours < 0 || minutes < 0) return std::nullopt;
        offset = (text[at] == '-' ? -1 : 1) * (hours * 3600LL + minutes * 60LL);
        at += 6;
    } else {
        return std::nullopt;
    }
    if (at != text.size()) return std::nullopt;
    return ((*days * 86400 + hour * 3600LL + minute * 60LL + second) - offset) * 1000 + millis;
}

}  // namespace agenthost
