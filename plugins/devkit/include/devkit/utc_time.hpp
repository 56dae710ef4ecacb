// The current time as ISO 8601 UTC with milliseconds, for records agents
// keep (deployment records, template versions). Header-only.
#pragma once

#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

namespace devkit {

inline std::string utc_now_iso8601() {
    auto now = std::chrono::system_clock::now();
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
    char full[48];
    std::snprintf(full, sizeof full, "%s.%03dZ", text, static_cast<int>(ms));
    return full;
}

}  // namespace devkit
