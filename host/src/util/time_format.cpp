#include "util/time_format.hpp"

#include "util/utc_calendar.hpp"

#include <cctype>
#include <cstdio>
#include <ctime>

namespace agenthost {

std::string iso8601_ms(long long epoch_ms) {
    std::time_t seconds = static_cast<std::time_t>(epoch_ms / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[64];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                  utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(epoch_ms % 1000));
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
