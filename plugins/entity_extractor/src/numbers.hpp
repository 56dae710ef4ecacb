// Decimal numbers as written in prose, kept as digit strings so scaling
// "2.5 million" stays exact. Both groupings are read: "1,200.50" and, where
// unambiguous, the continental "1.200.000" and "1.200,50".
#ifndef ENTITY_EXTRACTOR_NUMBERS_HPP
#define ENTITY_EXTRACTOR_NUMBERS_HPP

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace entity_extractor {

struct DecimalNumber {
    std::size_t begin;
    std::size_t end;
    std::string integer_digits;   // without thousands separators
    std::string fraction_digits;  // empty when there is no decimal part
    bool grouped = false;         // thousands separators were written
};

// Whether "30,50" (no grouping, one or two digits after a comma) is a
// decimal. Money and percentages accept it, as they are only taken with
// their sign next to the number; in running text "1,5" is as likely a list.
enum class DecimalComma { rejected, accepted };

// Parses the number starting at `pos`. Returns nullopt when `pos` is inside a
// longer token (a digit or letter before it) or when the number runs on into
// something that is not a plain amount ("1.2.3", "10.0.0.1").
std::optional<DecimalNumber> parse_number(std::string_view text, std::size_t pos,
                                          DecimalComma decimal_comma = DecimalComma::rejected);

// The number times 10^exponent as plain decimal text: ("2.5", 6) -> "2500000",
// ("50", -2) -> "0.50".
std::string format_scaled(const DecimalNumber& number, int exponent);

}  // namespace entity_extractor

#endif
