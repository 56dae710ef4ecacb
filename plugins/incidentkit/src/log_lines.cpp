// Reading log lines: plain text (timestamp, level, [service], message),
// logfmt's level=, access-log status codes, and JSON lines.
#include <cctype>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <rapidjson/document.h>

#include <devkit/text.hpp>

#include "incident.hpp"

namespace incident {
namespace {

bool digits(std::string_view text, std::size_t at, std::size_t count) {
    if (at + count > text.size()) return false;
    for (std::size_t i = at; i < at + count; ++i)
        if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
    return true;
}
int number(std::string_view text, std::size_t at, std::size_t count) {
    int value = 0;
    for (std::size_t i = at; i < at + count; ++i) value = value * 10 + (text[i] - '0');
    return value;
}

// The length of the timestamp at the start of `text` (0 when none) and its value.
std::size_t leading_time(std::string_view text, double& value) {
    // YYYY-MM-DD[T ]HH:MM:SS
    if (!(digits(text, 0, 4) && text.size() > 19 && text[4] == '-' && digits(text, 5, 2) && text[7] == '-' &&
          digits(text, 8, 2) && (text[10] == 'T' || text[10] == ' ') && digits(text, 11, 2) && text[13] == ':' &&
          digits(text, 14, 2) && text[16] == ':' && digits(text, 17, 2)))
        return 0;
    std::tm tm{};
    tm.tm_year = number(text, 0, 4) - 1900;
    tm.tm_mon = number(text, 5, 2) - 1;
    tm.tm_mday = number(text, 8, 2);
    tm.tm_hour = number(text, 11, 2);
    tm.tm_min = number(text, 14, 2);
    tm.tm_sec = number(text, 17, 2);
    if (tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
        return 0;
    value = static_cast<double>(timegm(&tm));
    std::size_t at = 19;
    if (at < text.size() && (text[at] == '.' || text[at] == ',')) {
        double scale = 0.1, fraction = 0;
        ++at;
        while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at]))) {
            fraction += (text[at++] - '0') * scale;
            scale /= 10;
        }
        value += fraction;
    }
    if (at < text.size() && text[at] == 'Z') {
        ++at;
    } else if (at + 5 < text.size() + 1 && at < text.size() && (text[at] == '+' || text[at] == '-') &&
               digits(text, at + 1, 2)) {
        const int sign = text[at] == '+' ? 1 : -1;
        const int hours = number(text, at + 1, 2);
        std::size_t next = at + 3;
        if (next < text.size() && text[next] == ':') ++next;
        const int minutes = digits(text, next, 2) ? number(text, next, 2) : 0;
        if (digits(text, next, 2)) next += 2;
        value -= sign * (hours * 3600 + minutes * 60);
        at = next;
    }
    return at;
}

std::optional<Level> level_of(std::string_view word) {
    std::string w;
    for (char c : word)
        if (std::isalpha(static_cast<unsigned char>(c))) w += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (w == "TRACE") return Level::trace;
    if (w == "DEBUG" || w == "DBG") return Level::debug;
    if (w == "INFO" || w == "INF" || w == "NOTICE") return Level::info;
    if (w == "WARN" || w == "WARNING" || w == "WRN") return Level::warn;
    if (w == "ERROR" || w == "ERR" || w == "SEVERE") return Level::error;
    if (w == "FATAL" || w == "CRITICAL" || w == "CRIT" || w == "PANIC" || w == "EMERG" || w == "ALERT")
        return Level::fatal;
    return std::nullopt;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    return text;
}

// An access log's status (… "GET /x HTTP/1.1" 503 …): 5xx is an error.
void apply_status(std::string_view message, LogEvent& event) {
    const std::size_t http = message.find(" HTTP/");
    if (http == std::string_view::npos) return;
    const std::size_t quote = message.find('"', http);
    if (quote == std::string_view::npos || quote + 4 >= message.size()) return;
    if (message[quote + 1] == ' ' && digits(message, quote + 2, 3) && message[quote + 2] == '5' &&
        event.level < Level::error)
        event.level = Level::error;
}

void infer_level(LogEvent& event) {
    const std::string& m = event.message;
    if (m.find("Exception") != std::string::npos || m.find("Traceback") != std::string::npos ||
        m.find("panic:") != std::string::npos)
        event.level = std::max(event.level, Level::error);
}

std::string json_text(const rapidjson::Value& object, std::initializer_list<const char*> names) {
    for (const char* name : names) {
        auto found = object.FindMember(name);
        if (found == object.MemberEnd()) continue;
        if (found->value.IsString()) return std::string(found->value.GetString(), found->value.GetStringLength());
        if (found->value.IsNumber()) {
            char buffer[32];
            std::snprintf(buffer, sizeof buffer, "%.17g", found->value.GetDouble());
            return buffer;
        }
    }
    return {};
}

bool parse_json_line(std::string_view line, LogEvent& event) {
    rapidjson::Document document;
    document.Parse(line.data(), line.size());
    if (document.HasParseError() || !document.IsObject()) return false;
    const std::string time = json_text(document, {"time", "timestamp", "ts", "@timestamp", "t"});
    if (!time.empty()) {
        if (auto parsed = parse_time(time)) {
            event.time = *parsed;
        } else {
            char* end = nullptr;
            const double seconds = std::strtod(time.c_str(), &end);
            // Epoch seconds, or milliseconds when implausibly large.
            if (end != time.c_str() && *end == '\0') event.time = seconds > 1e11 ? seconds / 1000 : seconds;
        }
    }
    if (auto level = level_of(json_text(document, {"level", "severity", "lvl", "log.level", "levelname"})))
        event.level = *level;
    event.service = json_text(document, {"service", "service.name", "app", "logger", "component"});
    event.message = json_text(document, {"msg", "message", "event", "error", "err"});
    const std::string status = json_text(document, {"status", "status_code", "http.status_code"});
    if (status.size() == 3 && status[0] == '5' && event.level < Level::error) event.level = Level::error;
    if (event.message.empty()) event.message = std::string(line);
    return true;
}

}  // namespace

std::string level_name(Level level) {
    switch (level) {
        case Level::trace: return "trace";
        case Level::debug: return "debug";
        case Level::info: return "info";
        case Level::warn: return "warn";
        case Level::error: return "error";
        case Level::fatal:
        default: return "fatal";
    }
}

std::optional<double> parse_time(std::string_view text) {
    double value = 0;
    const std::size_t length = leading_time(trim(text), value);
    if (length == 0 || length != trim(text).size()) return std::nullopt;
    return value;
}

std::string format_time(double unix_seconds) { return devkit::utc_timestamp(unix_seconds); }

LogEvent parse_line(std::string_view line, std::size_t number) {
    LogEvent event;
    event.line = number;
    line = trim(line);
    event.raw = std::string(line);
    if (!line.empty() && line.front() == '{' && parse_json_line(line, event)) {
        infer_level(event);
        return event;
    }
    std::string_view rest = line;
    if (!rest.empty() && rest.front() == '[') {  // "[2026-…] ERROR …"
        double value = 0;
        const std::size_t length = leading_time(rest.substr(1), value);
        if (length > 0 && length + 1 < rest.size() && rest[length + 1] == ']') {
            event.time = value;
            rest.remove_prefix(length + 2);
        }
    } else {
        double value = 0;
        if (const std::size_t length = leading_time(rest, value)) {
            event.time = value;
            rest.remove_prefix(length);
        }
    }
    rest = trim(rest);
    if (!rest.empty() && (rest.front() == '|' || rest.front() == '-')) rest = trim(rest.substr(1));
    // The level word, alone or bracketed.
    std::size_t space = rest.find(' ');
    if (auto level = level_of(rest.substr(0, space)); level && space != std::string_view::npos && space <= 10) {
        event.level = *level;
        rest = trim(rest.substr(space));
    } else if (const std::size_t at = rest.find("level="); at != std::string_view::npos) {
        const std::size_t end = rest.find(' ', at);
        if (auto logfmt = level_of(rest.substr(at + 6, end == std::string_view::npos ? end : end - at - 6)))
            event.level = *logfmt;
    }
    // A bracketed component: "[payments] …" or "payments: …".
    if (!rest.empty() && rest.front() == '[') {
        const std::size_t close = rest.find(']');
        if (close != std::string_view::npos && close < 64) {
            event.service = std::string(rest.substr(1, close - 1));
            rest = trim(rest.substr(close + 1));
        }
    }
    event.message = std::string(rest);
    apply_status(rest, event);
    infer_level(event);
    return event;
}

}  // namespace incident
