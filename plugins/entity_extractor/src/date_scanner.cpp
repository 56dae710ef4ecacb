// Dates, numeric and spelled out:
//   2024-03-15, 2024/03/15          -> "2024-03-15"
//   15/03/2024, 03/15/2024, 15.03.2024
//   March 15, 2024; Mar. 15th 2024; Friday, March 15, 2024
//   15 March 2024; 15th of March, 2024
//   Mar 3rd, 15 March               -> "--03-03", "--03-15" (ISO 8601 without year)
//   March 2024                      -> "2024-03"
// Impossible dates ("February 30") are not dates.
#include "calendar.hpp"
#include "pattern_scanners.hpp"
#include "scan_helpers.hpp"

#include <cstdio>
#include <optional>
#include <string>

namespace entity_extractor {

namespace {

struct DatePart {
    int value;
    std::size_t end;
};

struct FoundDate {
    std::size_t end;
    int year;  // 0 when not written
    int month;
    int day;  // 0 when not written
};

int to_int(std::string_view digits) {
    int value = 0;
    for (char c : digits) value = value * 10 + (c - '0');
    return value;
}

std::size_t ascii_word_end(std::string_view text, std::size_t pos) {
    while (pos < text.size() && is_ascii_alpha(text[pos])) ++pos;
    return pos;
}

// A capitalised month name, with the dot of an abbreviation ("Sept.").
std::optional<DatePart> read_month(std::string_view text, std::size_t pos) {
    if (pos >= text.size() || !is_ascii_upper(text[pos])) return std::nullopt;
    std::size_t end = ascii_word_end(text, pos);
    if (word_char_at(text, end)) return std::nullopt;
    MonthName month = month_from_name(text.substr(pos, end - pos));
    if (month.month == 0) return std::nullopt;
    if (month.abbreviated && char_at(text, end, '.')) ++end;
    return DatePart{month.month, end};
}

// 1 or 2 digits with an optional ordinal suffix ("3rd").
std::optional<DatePart> read_day(std::string_view text, std::size_t pos) {
    std::size_t end = digits_end(text, pos);
    if (end == pos || end - pos > 2) return std::nullopt;
    int day = to_int(text.substr(pos, end - pos));
    for (std::string_view suffix : {"st", "nd", "rd", "th"}) {
        if (word_at(text, end, suffix)) {
            end += 2;
            break;
        }
    }
    if (word_char_at(text, end) || day < 1 || day > 31) return std::nullopt;
    return DatePart{day, end};
}

std::optional<DatePart> read_year(std::string_view text, std::size_t pos) {
    std::size_t end = digits_end(text, pos);
    if (end - pos != 4 || word_char_at(text, end)) return std::nullopt;
    if (char_at(text, end, ',') && digit_at(text, end + 1)) return std::nullopt;  // "2024,000" is a number
    int year = to_int(text.substr(pos, 4));
    if (year < 1000 || year > 2999) return std::nullopt;
    return DatePart{year, end};
}

// ", 2024" or " 2024" after a day or month.
std::optional<DatePart> read_trailing_year(std::string_view text, std::size_t pos) {
    std::size_t p = pos;
    if (char_at(text, p, ',')) ++p;
    std::size_t year_start = skip_inline_spaces(text, p);
    if (year_start == p && p == pos) return std::nullopt;  // the year must be set apart
    return read_year(text, year_start);
}

bool is_valid(const FoundDate& date) {
    return date.month >= 1 && date.month <= 12 &&
           (date.day == 0 || date.day <= days_in_month(date.month, date.year));
}

// "March 15, 2024", "Mar 3rd", "March 2024"
std::optional<FoundDate> read_month_first(std::string_view text, std::size_t pos) {
    std::optional<DatePart> month = read_month(text, pos);
    if (!month) return std::nullopt;
    std::size_t after_month = skip_inline_spaces(text, month->end);
    if (after_month == month->end) return std::nullopt;
    if (std::optional<DatePart> day = read_day(text, after_month)) {
        FoundDate date{day->end, 0, month->value, day->value};
        if (std::optional<DatePart> year = read_trailing_year(text, day->end)) {
            date.year = year->value;
            date.end = year->end;
        }
        return date;
    }
    if (std::optional<DatePart> year = read_year(text, after_month))
        return FoundDate{year->end, year->value, month->value, 0};
    return std::nullopt;
}

// "15 March 2024", "15th of March, 2024", "15 March"
std::optional<FoundDate> read_day_first(std::string_view text, std::size_t pos) {
    std::optional<DatePart> day = read_day(text, pos);
    if (!day) return std::nullopt;
    std::size_t p = skip_inline_spaces(text, day->end);
    if (p == day->end) return std::nullopt;
    if (word_at(text, p, "of")) p = skip_inline_spaces(text, p + 2);
    std::optional<DatePart> month = read_month(text, p);
    if (!month) return std::nullopt;
    FoundDate date{month->end, 0, month->value, day->value};
    if (std::optional<DatePart> year = read_trailing_year(text, month->end)) {
        date.year = year->value;
        date.end = year->end;
    }
    return date;
}

// A numeric date must not run on into a longer token; "2024-03-15T09:30" is
// fine (the date part is still a date).
bool numeric_date_ends_cleanly(std::string_view text, std::size_t end, char separator) {
    if (char_at(text, end, 'T') && digit_at(text, end + 1)) return true;
    if (word_char_at(text, end)) return false;
    return !((char_at(text, end, separator) || char_at(text, end, '.')) && digit_at(text, end + 1));
}

struct NumericParts {
    std::string_view first, second, third;
    char separator;
    std::size_t end;
};

// Three digit runs joined by one repeated separator: '-', '/' or '.'.
std::optional<NumericParts> read_numeric_parts(std::string_view text, std::size_t pos) {
    std::size_t first_end = digits_end(text, pos);
    if (first_end == pos || first_end >= text.size()) return std::nullopt;
    char separator = text[first_end];
    if (separator != '-' && separator != '/' && separator != '.') return std::nullopt;
    std::size_t second_end = digits_end(text, first_end + 1);
    if (second_end == first_end + 1 || !char_at(text, second_end, separator)) return std::nullopt;
    std::size_t third_end = digits_end(text, second_end + 1);
    if (third_end == second_end + 1 || !numeric_date_ends_cleanly(text, third_end, separator)) return std::nullopt;
    return NumericParts{text.substr(pos, first_end - pos), text.substr(first_end + 1, second_end - first_end - 1),
                        text.substr(second_end + 1, third_end - second_end - 1), separator, third_end};
}

std::optional<FoundDate> read_numeric(std::string_view text, std::size_t pos, NumericDateOrder order) {
    std::optional<NumericParts> parts = read_numeric_parts(text, pos);
    if (!parts) return std::nullopt;
    auto short_part = [](std::string_view part) { return part.size() == 1 || part.size() == 2; };
    if (parts->first.size() == 4 && short_part(parts->second) && short_part(parts->third))
        return FoundDate{parts->end, to_int(parts->first), to_int(parts->second), to_int(parts->third)};
    if (!short_part(parts->first) || !short_part(parts->second) || parts->third.size() != 4) return std::nullopt;

    int first = to_int(parts->first);
    int second = to_int(parts->second);
    bool day_first = parts->separator == '.' || first > 12 || (second <= 12 && order == NumericDateOrder::day_first);
    int year = to_int(parts->third);
    return day_first ? FoundDate{parts->end, year, second, first} : FoundDate{parts->end, year, first, second};
}

// "Friday, " or "Fri " before a date; returns where the date itself starts.
std::optional<std::size_t> skip_weekday(std::string_view text, std::size_t pos) {
    std::size_t end = ascii_word_end(text, pos);
    if (end == pos || word_char_at(text, end) || !is_weekday_name(text.substr(pos, end - pos))) return std::nullopt;
    if (char_at(text, end, '.')) ++end;
    if (char_at(text, end, ',')) ++end;
    std::size_t next = skip_inline_spaces(text, end);
    if (next == end) return std::nullopt;
    return next;
}

std::optional<FoundDate> read_date(std::string_view text, std::size_t pos, NumericDateOrder order) {
    if (is_ascii_digit(text[pos])) {
        if (pos >= 2 && (text[pos - 1] == '-' || text[pos - 1] == '/' || text[pos - 1] == '.') &&
            is_ascii_digit(text[pos - 2]))
            return std::nullopt;  // the tail of a longer numeric run
        if (std::optional<FoundDate> date = read_numeric(text, pos, order)) return date;
        return read_day_first(text, pos);
    }
    if (!is_ascii_upper(text[pos])) return std::nullopt;
    if (std::optional<std::size_t> date_start = skip_weekday(text, pos)) {
        std::optional<FoundDate> date = read_month_first(text, *date_start);
        return date ? date : read_day_first(text, *date_start);
    }
    return read_month_first(text, pos);
}

std::string normalize(const FoundDate& date) {
    char buffer[16];
    if (date.year == 0)
        std::snprintf(buffer, sizeof buffer, "--%02d-%02d", date.month, date.day);
    else if (date.day == 0)
        std::snprintf(buffer, sizeof buffer, "%04d-%02d", date.year, date.month);
    else
        std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", date.year, date.month, date.day);
    return buffer;
}

}  // namespace

void scan_dates(std::string_view text, NumericDateOrder order, std::vector<Candidate>& out) {
    for (std::size_t pos = 0; pos < text.size();) {
        std::optional<FoundDate> date;
        if (!word_char_before(text, pos)) date = read_date(text, pos, order);
        if (date && is_valid(*date)) {
            out.push_back({EntityType::date, pos, date->end, normalize(*date)});
            pos = date->end;
        } else {
            ++pos;
        }
    }
}

}  // namespace entity_extractor
