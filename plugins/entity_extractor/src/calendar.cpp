#include "calendar.hpp"

#include "scan_helpers.hpp"

#include <array>

namespace entity_extractor {

namespace {

bool equals_ignore_case(std::string_view word, std::string_view lower) {
    return word.size() == lower.size() && prefix_at_ignore_case(word, 0, lower);
}

constexpr std::array<std::string_view, 12> month_names = {"january", "february", "march",     "april",
                                                          "may",     "june",     "july",      "august",
                                                          "september", "october", "november", "december"};

}  // namespace

MonthName month_from_name(std::string_view word) {
    for (std::size_t i = 0; i < month_names.size(); ++i) {
        if (equals_ignore_case(word, month_names[i])) return {static_cast<int>(i) + 1, false};
        if (word.size() == 3 && equals_ignore_case(word, month_names[i].substr(0, 3)))
            return {static_cast<int>(i) + 1, true};
    }
    if (equals_ignore_case(word, "sept")) return {9, true};
    return {0, false};
}

bool is_weekday_name(std::string_view word) {
    static constexpr std::array<std::string_view, 17> names = {
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon", "tue",
        "tues",   "wed",     "thu",       "thur",     "thurs",  "fri",      "sat",    "sun"};
    for (std::string_view name : names)
        if (equals_ignore_case(word, name)) return true;
    return false;
}

bool is_leap_year(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int month, int year) {
    static constexpr std::array<int, 12> lengths = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12) return 0;
    if (month == 2 && (year == 0 || is_leap_year(year))) return 29;
    return lengths[static_cast<std::size_t>(month - 1)];
}

}  // namespace entity_extractor
