// Percentages: "12%", "12 %", "-2.5%", "3,5 %", "3.5 percent", "3.5 per cent", "4 pct".
// Normalized to the signed number ("12", "-2.5").
#include "numbers.hpp"
#include "pattern_scanners.hpp"
#include "scan_helpers.hpp"

#include <optional>

namespace entity_extractor {

namespace {

// End of a percent sign or word starting at `pos`; `spaced` says whether a
// space separated it from the number (words need one, '%' does not).
std::optional<std::size_t> percent_marker_end(std::string_view text, std::size_t pos, bool spaced) {
    if (char_at(text, pos, '%')) return pos + 1;
    if (!spaced) return std::nullopt;
    if (word_at(text, pos, "percent")) return pos + 7;
    if (word_at(text, pos, "pct")) return pos + 3;
    if (word_at(text, pos, "per")) {
        std::size_t cent = skip_inline_spaces(text, pos + 3);
        if (cent > pos + 3 && word_at(text, cent, "cent")) return cent + 4;
    }
    return std::nullopt;
}

// A '-' or '+' (or U+2212 minus) glued to the number and not joining two
// numbers as in "10-12%". Returns the sign's length in bytes.
std::size_t sign_length_before(std::string_view text, std::size_t number_begin) {
    std::size_t length = 0;
    if (number_begin >= 1 && (text[number_begin - 1] == '-' || text[number_begin - 1] == '+'))
        length = 1;
    else if (number_begin >= 3 && text.substr(number_begin - 3, 3) == "\xE2\x88\x92")
        length = 3;
    if (length == 0 || word_char_before(text, number_begin - length)) return 0;
    return length;
}

}  // namespace

void scan_percentages(std::string_view text, std::vector<Candidate>& out) {
    for (std::size_t pos = 0; pos < text.size();) {
        std::optional<DecimalNumber> number =
            is_ascii_digit(text[pos]) ? parse_number(text, pos, DecimalComma::accepted) : std::nullopt;
        if (!number) {
            ++pos;
            continue;
        }
        std::size_t marker = skip_inline_spaces(text, number->end);
        std::optional<std::size_t> end = percent_marker_end(text, marker, marker > number->end);
        if (!end) {
            pos = number->end;
            continue;
        }
        std::size_t sign_length = sign_length_before(text, pos);
        bool negative = sign_length > 0 && text[pos - 1] != '+';
        std::string normalized = (negative ? "-" : "") + format_scaled(*number, 0);
        out.push_back({EntityType::percentage, pos - sign_length, *end, std::move(normalized)});
        pos = *end;
    }
}

}  // namespace entity_extractor
