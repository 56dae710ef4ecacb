// Phone numbers. Digit runs are everywhere in prose (years, amounts, IDs), so
// a run of digit groups is accepted only in shapes that are phone numbers:
//  - international: "+" and 8 to 15 digits ("+1 415 555 0100", "+44 20 7946 0958",
//    "+49 (0)30 1234567");
//  - North American: 3-3-4 digits with an optional leading 1 ("(415) 555-0100",
//    "415.555.0100", "1-800-555-0199");
//  - national with a trunk 0: groups separated by spaces or hyphens, 9 to 12
//    digits ("020 7946 0958", "(030) 1234567").
// An extension ("ext. 204", "x204") joins the number.
#include "pattern_scanners.hpp"
#include "scan_helpers.hpp"

#include <optional>
#include <string>

namespace entity_extractor {

namespace {

constexpr std::size_t max_groups = 8;
constexpr std::size_t max_group_digits = 15;

struct DigitGroup {
    std::size_t digits_begin;
    std::size_t digits_end;
    bool parenthesised;
    char separator_before;  // ' ', '-', '.', ')' (straight after a bracket), or 0 for the first group
    std::size_t end;        // after the closing bracket, if any

    std::size_t length() const { return digits_end - digits_begin; }
};

struct PhoneShape {
    bool international;
    std::vector<DigitGroup> groups;
};

bool is_group_separator(char c) { return c == ' ' || c == '-' || c == '.'; }

PhoneShape read_digit_groups(std::string_view text, std::size_t start) {
    PhoneShape shape{text[start] == '+', {}};
    std::size_t pos = shape.international ? start + 1 : start;
    char separator = 0;
    while (shape.groups.size() < max_groups) {
        bool parenthesised = char_at(text, pos, '(');
        std::size_t digits_begin = parenthesised ? pos + 1 : pos;
        std::size_t digits_stop = digits_end(text, digits_begin);
        if (digits_stop == digits_begin || digits_stop - digits_begin > max_group_digits) break;
        if (parenthesised && !char_at(text, digits_stop, ')')) break;
        std::size_t end = parenthesised ? digits_stop + 1 : digits_stop;
        shape.groups.push_back({digits_begin, digits_stop, parenthesised, separator, end});

        std::size_t next = end;
        if (next < text.size() && is_group_separator(text[next])) {
            separator = text[next];
            ++next;
        } else if (parenthesised) {
            separator = ')';
        } else {
            break;
        }
        if (!digit_at(text, next) && !char_at(text, next, '(')) break;
        pos = next;
    }
    return shape;
}

std::size_t total_digits(const std::vector<DigitGroup>& groups, std::size_t count) {
    std::size_t digits = 0;
    for (std::size_t i = 0; i < count; ++i) digits += groups[i].length();
    return digits;
}

bool is_north_american(std::string_view text, const std::vector<DigitGroup>& groups, std::size_t count) {
    std::size_t first = 0;
    if (count == 4 && groups[0].length() == 1 && text[groups[0].digits_begin] == '1' && !groups[0].parenthesised)
        first = 1;
    if (count - first != 3) return false;
    const DigitGroup& area = groups[first];
    if (area.length() != 3 || groups[first + 1].length() != 3 || groups[first + 2].length() != 4) return false;
    if (groups[first + 1].parenthesised || groups[first + 2].parenthesised) return false;
    return text[area.digits_begin] >= '2';  // area codes never start with 0 or 1
}

bool is_national_with_trunk_zero(std::string_view text, const std::vector<DigitGroup>& groups, std::size_t count) {
    if (count < 2 || text[groups[0].digits_begin] != '0') return false;
    std::size_t digits = total_digits(groups, count);
    if (digits < 9 || digits > 12) return false;
    for (std::size_t i = 0; i < count; ++i) {
        if (groups[i].length() < 2) return false;
        if (i > 0 && (groups[i].parenthesised || groups[i].separator_before == '.')) return false;
    }
    return true;
}

bool is_international(std::string_view text, const std::vector<DigitGroup>& groups, std::size_t count) {
    std::size_t digits = total_digits(groups, count);
    if (digits < 8 || digits > 15 || groups[0].parenthesised) return false;
    if (count == 1) return true;
    if (groups[0].length() > 3) return false;  // the country code
    // "+1" is North America: the rest must be a 3-3-4 number.
    if (groups[0].length() == 1 && text[groups[0].digits_begin] == '1')
        return count == 4 && is_north_american(text, groups, count);
    return true;
}

bool is_phone_shape(std::string_view text, const PhoneShape& shape, std::size_t count) {
    if (shape.international) return is_international(text, shape.groups, count);
    return is_north_american(text, shape.groups, count) || is_national_with_trunk_zero(text, shape.groups, count);
}

// The number must not run on into a longer token ("415-555-0100-22", "...0100%").
bool ends_cleanly(std::string_view text, std::size_t end) {
    if (word_char_at(text, end) || char_at(text, end, '%')) return false;
    bool continues = char_at(text, end, '-') || char_at(text, end, '.') || char_at(text, end, '/');
    return !(continues && digit_at(text, end + 1));
}

bool starts_cleanly(std::string_view text, std::size_t start) {
    if (word_char_before(text, start)) return false;
    if (start >= 1 && (text[start - 1] == '+' || text[start - 1] == '(' || text[start - 1] == '$')) return false;
    // Inside "12.415 555 0100" or "7/415 555 0100": part of another number.
    bool joined = start >= 2 && (text[start - 1] == '.' || text[start - 1] == ',' || text[start - 1] == '-' ||
                                 text[start - 1] == '/');
    return !(joined && is_ascii_digit(text[start - 2]));
}

struct Extension {
    std::size_t end;
    std::string_view digits;
};

// ", ext. 204", " extension 204", " x204" after the number.
std::optional<Extension> read_extension(std::string_view text, std::size_t pos) {
    std::size_t p = skip_inline_spaces(text, pos);
    if (char_at(text, p, ',')) p = skip_inline_spaces(text, p + 1);
    if (word_at(text, p, "extension")) {
        p += 9;
    } else if (prefix_at_ignore_case(text, p, "ext")) {
        p += 3;
        if (char_at(text, p, '.')) ++p;
    } else if (char_at(text, p, 'x')) {
        ++p;
    } else {
        return std::nullopt;
    }
    p = skip_inline_spaces(text, p);
    std::size_t end = digits_end(text, p);
    if (end == p || end - p > 6 || word_char_at(text, end)) return std::nullopt;
    return Extension{end, text.substr(p, end - p)};
}

// "+" (when international) and the digits, leaving out the "(0)" that
// European numbers write after the country code but do not dial from abroad.
std::string normalize(std::string_view text, const PhoneShape& shape, std::size_t count,
                      const std::optional<Extension>& extension) {
    std::string digits = shape.international ? "+" : "";
    for (std::size_t i = 0; i < count; ++i) {
        const DigitGroup& group = shape.groups[i];
        bool dropped_trunk_zero = shape.international && i == 1 && group.parenthesised &&
                                  group.length() == 1 && text[group.digits_begin] == '0';
        if (!dropped_trunk_zero) digits.append(text.substr(group.digits_begin, group.length()));
    }
    if (extension) digits.append(";ext=").append(extension->digits);
    return digits;
}

}  // namespace

void scan_phones(std::string_view text, std::vector<Candidate>& out) {
    for (std::size_t pos = 0; pos < text.size();) {
        char c = text[pos];
        bool may_start = (is_ascii_digit(c) || ((c == '+' || c == '(') && digit_at(text, pos + 1))) &&
                         starts_cleanly(text, pos);
        if (!may_start) {
            ++pos;
            continue;
        }
        PhoneShape shape = read_digit_groups(text, pos);
        std::size_t matched_groups = 0;
        // Longest first: "415 555 0100 2024" still yields the phone number.
        for (std::size_t count = shape.groups.size(); count > 0 && matched_groups == 0; --count) {
            if (is_phone_shape(text, shape, count) && ends_cleanly(text, shape.groups[count - 1].end))
                matched_groups = count;
        }
        if (matched_groups == 0) {
            pos = shape.groups.empty() ? pos + 1 : shape.groups.front().end;
            continue;
        }
        std::size_t end = shape.groups[matched_groups - 1].end;
        std::optional<Extension> extension = read_extension(text, end);
        if (extension) end = extension->end;
        out.push_back({EntityType::phone, pos, end, normalize(text, shape, matched_groups, extension)});
        pos = end;
    }
}

}  // namespace entity_extractor
