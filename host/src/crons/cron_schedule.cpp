#include "crons/cron_schedule.hpp"

#include "crons/civil_time.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>
#include <vector>

namespace agenthost::crons {
namespace {

struct FieldSpec {
    const char* name;
    int low, high;
    const char* const* names;  // names[0] is the value `low`; null: numbers only
};

const char* const kMonthNames[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                   "jul", "aug", "sep", "oct", "nov", "dec", nullptr};
const char* const kWeekdayNames[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat", nullptr};

const FieldSpec kFields[] = {{"minute", 0, 59, nullptr},
                             {"hour", 0, 23, nullptr},
                             {"day of month", 1, 31, nullptr},
                             {"month", 1, 12, kMonthNames},
                             {"day of week", 0, 7, kWeekdayNames}};

std::vector<std::string> split(const std::string& text, char separator) {
    std::vector<std::string> parts;
    std::string part;
    std::istringstream in(text);
    while (std::getline(in, part, separator)) parts.push_back(part);
    if (!text.empty() && text.back() == separator) parts.push_back("");
    return parts;
}

int value_of(const FieldSpec& spec, const std::string& text) {
    if (text.empty()) throw CronSyntaxError(spec.name, "a value is missing");
    if (std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); })) {
        if (text.size() > 3) throw CronSyntaxError(spec.name, "'" + text + "' is out of range");
        int value = std::stoi(text);
        if (value < spec.low || value > spec.high)
            throw CronSyntaxError(spec.name, "'" + text + "' is out of range " + std::to_string(spec.low) + "-" +
                                                 std::to_string(spec.high));
        return value;
    }
    if (spec.names != nullptr) {
        std::string lower = text;
        std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
        for (int i = 0; spec.names[i] != nullptr; ++i)
            if (lower == spec.names[i]) return spec.low + i;
    }
    throw CronSyntaxError(spec.name, "'" + text + "' is not a " +
                                         (spec.names != nullptr ? std::string("number or name") : "number"));
}

// Sets the values `text` selects; returns whether it starts with "*".
template <size_t N>
bool parse_field(const FieldSpec& spec, const std::string& text, std::bitset<N>& bits) {
    if (text.empty()) throw CronSyntaxError(spec.name, "empty");
    for (const std::string& element : split(text, ',')) {
        if (element.empty()) throw CronSyntaxError(spec.name, "an empty list element in '" + text + "'");
        std::string range = element;
        int step = 1;
        size_t slash = element.find('/');
        if (slash != std::string::npos) {
            range = element.substr(0, slash);
            std::string step_text = element.substr(slash + 1);
            if (step_text.empty() || step_text.size() > 3 ||
                !std::all_of(step_text.begin(), step_text.end(), [](unsigned char c) { return std::isdigit(c); }))
                throw CronSyntaxError(spec.name, "step '" + step_text + "' is not a positive number");
            step = std::stoi(step_text);
            if (step < 1 || step > spec.high - spec.low + 1)
                throw CronSyntaxError(spec.name, "step " + step_text + " is out of range 1-" +
                                                     std::to_string(spec.high - spec.low + 1));
        }
        int low, high;
        if (range == "*") {
            low = spec.low;
            high = spec.high;
        } else if (size_t dash = range.find('-'); dash != std::string::npos) {
            low = value_of(spec, range.substr(0, dash));
            high = value_of(spec, range.substr(dash + 1));
            if (low > high)
                throw CronSyntaxError(spec.name, "range '" + range + "' runs backwards");
        } else {
            low = value_of(spec, range);
            // "a/s": from a to the end of the field.
            high = slash != std::string::npos ? spec.high : low;
        }
        for (int value = low; value <= high; value += step) bits.set(static_cast<size_t>(value % static_cast<int>(N)));
    }
    return text.front() == '*';
}

}  // namespace

CronSchedule CronSchedule::parse(const std::string& raw) {
    std::string text = raw;
    text.erase(0, text.find_first_not_of(" \t"));
    text.erase(text.find_last_not_of(" \t") + 1 == 0 ? 0 : text.find_last_not_of(" \t") + 1);
    if (text.empty()) throw CronSyntaxError("schedule", "empty");
    if (text.size() > 256) throw CronSyntaxError("schedule", "longer than 256 characters");
    CronSchedule schedule;
    schedule.text_ = text;
    if (text[0] == '@') {
        std::string lower = text;
        std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
        if (lower.rfind("@every ", 0) == 0) {
            std::string amount = lower.substr(7);
            amount.erase(0, amount.find_first_not_of(' '));
            size_t digits = 0;
            while (digits < amount.size() && std::isdigit(static_cast<unsigned char>(amount[digits]))) ++digits;
            std::string unit = amount.substr(digits);
            long long factor = unit == "s" ? 1 : unit == "m" ? 60 : unit == "h" ? 3600 : 0;
            if (digits == 0 || digits > 6 || factor == 0)
                throw CronSyntaxError("schedule", "'@every' takes a whole number of seconds, minutes or hours "
                                                  "(such as @every 30s, @every 5m, @every 1h)");
            schedule.every_seconds_ = std::stoll(amount.substr(0, digits)) * factor;
            if (schedule.every_seconds_ < 1 || schedule.every_seconds_ > 366LL * 86400)
                throw CronSyntaxError("schedule", "'@every' must be between 1s and 366 days");
            return schedule;
        }
        static const std::pair<const char*, const char*> macros[] = {
            {"@yearly", "0 0 1 1 *"}, {"@annually", "0 0 1 1 *"}, {"@monthly", "0 0 1 * *"},
            {"@weekly", "0 0 * * 0"}, {"@daily", "0 0 * * *"},    {"@midnight", "0 0 * * *"},
            {"@hourly", "0 * * * *"}};
        for (const auto& [name, expansion] : macros)
            if (lower == name) {
                CronSchedule expanded = parse(expansion);
                expanded.text_ = text;
                return expanded;
            }
        throw CronSyntaxError("schedule", "unknown macro '" + text + "'");
    }
    std::vector<std::string> fields;
    std::istringstream in(text);
    for (std::string field; in >> field;) fields.push_back(field);
    if (fields.size() != 5)
        throw CronSyntaxError("schedule", "needs five fields (minute hour day-of-month month day-of-week), got " +
                                              std::to_string(fields.size()));
    parse_field(kFields[0], fields[0], schedule.minutes_);
    parse_field(kFields[1], fields[1], schedule.hours_);
    schedule.any_day_of_month_ = parse_field(kFields[2], fields[2], schedule.days_);
    parse_field(kFields[3], fields[3], schedule.months_);
    schedule.any_day_of_week_ = parse_field(kFields[4], fields[4], schedule.weekdays_);  // 7 folds onto 0
    return schedule;
}

bool CronSchedule::day_matches(long long days) const {
    CivilDate date = civil_from_days(days);
    bool by_month_day = days_[static_cast<size_t>(date.day)];
    bool by_weekday = weekdays_[static_cast<size_t>(weekday_from_days(days))];
    if (any_day_of_month_ || any_day_of_week_) return by_month_day && by_weekday;
    return by_month_day || by_weekday;
}

std::optional<long long> CronSchedule::next_after(long long after_ms, const TimeZone& zone) const {
    long long after = floor_div(after_ms, 1000);  // a tick at after's own second is not after it
    if (every_seconds_ > 0) return (floor_div(after, every_seconds_) + 1) * every_seconds_ * 1000;
    // Walk local wall-clock minutes from the one after `after`, skipping
    // whole months, days and hours that cannot match.
    long long local = floor_div(after + zone.offset_at(after), 60) * 60 + 60;
    const long long limit = local + 5LL * 366 * 86400;
    while (local < limit) {
        long long days = floor_div(local, 86400);
        long long second_of_day = local - days * 86400;
        CivilDate date = civil_from_days(days);
        if (!months_[static_cast<size_t>(date.month)]) {
            int month = date.month == 12 ? 1 : date.month + 1;
            long long year = date.month == 12 ? date.year + 1 : date.year;
            local = days_from_civil(year, month, 1) * 86400;
            continue;
        }
        if (!day_matches(days)) {
            local = (days + 1) * 86400;
            continue;
        }
        int hour = static_cast<int>(second_of_day / 3600);
        if (!hours_[static_cast<size_t>(hour)]) {
            local = days * 86400 + (hour + 1) * 3600LL;
            continue;
        }
        int minute = static_cast<int>(second_of_day % 3600 / 60);
        if (!minutes_[static_cast<size_t>(minute)]) {
            local += 60;
            continue;
        }
        TimeZone::Resolved resolved = zone.resolve(local);
        // Repeated local time: its first occurrence only. Skipped: the
        // first instant after the gap.
        long long instant = resolved.instants.empty() ? resolved.gap_end : resolved.instants.front();
        if (instant > after) return instant * 1000;
        local += 60;
    }
    return std::nullopt;
}

}  // namespace agenthost::crons
