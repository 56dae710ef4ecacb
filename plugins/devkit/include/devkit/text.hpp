// Small text helpers the DevOps agents share: case folding, suffixes and
// UTC timestamps as they appear in reports. Header-only.
#pragma once

#include <cctype>
#include <cmath>
#include <ctime>
#include <string>
#include <string_view>

namespace devkit {

inline std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

inline bool ends_with(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// "2026-12-06T14:02:11Z" (whole seconds); "-" for NaN.
inline std::string utc_timestamp(double unix_seconds) {
    if (std::isnan(unix_seconds)) return "-";
    const std::time_t time = static_cast<std::time_t>(unix_seconds);
    std::tm utc{};
    gmtime_r(&time, &utc);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return buffer;
}

}  // namespace devkit
