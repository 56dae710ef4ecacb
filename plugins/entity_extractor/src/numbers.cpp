#include "numbers.hpp"

#include "scan_helpers.hpp"

#include <utility>

namespace entity_extractor {

namespace {

bool separator_then_digit(std::string_view text, std::size_t pos) {
    return pos < text.size() && (text[pos] == '.' || text[pos] == ',') && digit_at(text, pos + 1);
}

// A whole thousands group: the separator and exactly three digits.
bool group_at(std::string_view text, std::size_t pos, char separator) {
    return char_at(text, pos, separator) && digits_end(text, pos + 1) == pos + 4;
}

// Digits after a decimal separator at `pos`; `max_digits` 0 means any number.
std::optional<std::size_t> fraction_end(std::string_view text, std::size_t pos, char separator,
                                        std::size_t max_digits) {
    if (!char_at(text, pos, separator) || !digit_at(text, pos + 1)) return std::nullopt;
    std::size_t end = digits_end(text, pos + 1);
    if (max_digits != 0 && end - pos - 1 > max_digits) return std::nullopt;
    return end;
}

}  // namespace

std::optional<DecimalNumber> parse_number(std::string_view text, std::size_t pos, DecimalComma decimal_comma) {
    if (!digit_at(text, pos) || word_char_before(text, pos)) return std::nullopt;
    // "1.5" seen from its "5": a caller probing every digit must not find a second number.
    if (pos >= 2 && (text[pos - 1] == '.' || text[pos - 1] == ',') && is_ascii_digit(text[pos - 2]))
        return std::nullopt;

    DecimalNumber number{pos, pos, {}, {}};
    std::size_t end = digits_end(text, pos);
    number.integer_digits.assign(text.substr(pos, end - pos));

    // "1,200,000.50" groups with commas; "1.200.000" or "1.200,50" with dots,
    // recognised only when a second group or a decimal comma settles it
    // ("1.200" alone is one point two).
    char group_separator = ',';
    char decimal_separator = '.';
    bool continental =
        group_at(text, end, '.') && (group_at(text, end + 4, '.') || fraction_end(text, end + 4, ',', 2));
    if (continental) std::swap(group_separator, decimal_separator);
    if (end - pos <= 3) {
        while (group_at(text, end, group_separator)) {
            number.integer_digits.append(text.substr(end + 1, 3));
            number.grouped = true;
            end += 4;
        }
    }
    std::optional<std::size_t> fraction = fraction_end(text, end, decimal_separator, 0);
    if (!fraction && !number.grouped && decimal_comma == DecimalComma::accepted)
        fraction = fraction_end(text, end, ',', 2);
    if (fraction) {
        number.fraction_digits.assign(text.substr(end + 1, *fraction - end - 1));
        end = *fraction;
    }
    if (separator_then_digit(text, end)) return std::nullopt;
    number.end = end;
    return number;
}

std::string format_scaled(const DecimalNumber& number, int exponent) {
    std::string digits = number.integer_digits + number.fraction_digits;
    long point = static_cast<long>(number.integer_digits.size()) + exponent;
    if (point > static_cast<long>(digits.size())) digits.append(static_cast<std::size_t>(point) - digits.size(), '0');
    if (point < 1) {
        digits.insert(0, static_cast<std::size_t>(1 - point), '0');
        point = 1;
    }
    std::string integer = digits.substr(0, static_cast<std::size_t>(point));
    std::string fraction = digits.substr(static_cast<std::size_t>(point));
    std::size_t first_significant = integer.find_first_not_of('0');
    integer = first_significant == std::string::npos ? "0" : integer.substr(first_significant);
    return fraction.empty() ? integer : integer + "." + fraction;
}

}  // namespace entity_extractor
