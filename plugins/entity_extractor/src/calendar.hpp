// English month and weekday names and month lengths, shared by the date
// scanner and the name finder (which must not take "March" for a person).
#ifndef ENTITY_EXTRACTOR_CALENDAR_HPP
#define ENTITY_EXTRACTOR_CALENDAR_HPP

#include <string_view>

namespace entity_extractor {

struct MonthName {
    int month;  // 1..12, 0 when the word is not a month
    bool abbreviated;
};

// "March", "mar", "Sept" (any letter case; no trailing dot).
MonthName month_from_name(std::string_view word);
// "Monday", "Mon", "Tues" (any letter case; no trailing dot).
bool is_weekday_name(std::string_view word);

bool is_leap_year(int year);
// `year` 0 means unknown: February then has 29 days.
int days_in_month(int month, int year);

}  // namespace entity_extractor

#endif
