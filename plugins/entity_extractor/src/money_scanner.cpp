// Amounts of money: a number tied to a currency by a symbol ("$1,200.50",
// "€30", "30 €", "US$5"), an ISO code ("USD 500", "500 EUR") or a currency
// word ("2.5 million dollars", "50 cents"), with an optional scale
// ("$2.5 million", "$5M", "£3bn"). Continental amounts ("1.200,50 €") are
// read too. Normalized to "<amount> <ISO code>" with the scale applied
// exactly: "$2.5 million" -> "2500000 USD".
#include "numbers.hpp"
#include "pattern_scanners.hpp"
#include "scan_helpers.hpp"

#include <array>
#include <optional>
#include <string>

namespace entity_extractor {

namespace {

struct CurrencySign {
    std::string_view text;
    std::string_view code;
};

// Longest first where one sign starts another ("US$" before "$").
constexpr std::array<CurrencySign, 16> currency_signs = {{
    {"US$", "USD"}, {"CA$", "CAD"}, {"C$", "CAD"}, {"A$", "AUD"}, {"AU$", "AUD"}, {"NZ$", "NZD"},
    {"HK$", "HKD"}, {"S$", "SGD"},  {"R$", "BRL"}, {"$", "USD"},  {"€", "EUR"},   {"£", "GBP"},
    {"¥", "JPY"},   {"₹", "INR"},   {"₽", "RUB"},  {"₩", "KRW"},
}};

constexpr std::array<std::string_view, 30> iso_codes = {
    "USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "NZD", "CNY", "RMB", "HKD", "SGD", "INR", "KRW", "RUB",
    "BRL", "MXN", "ZAR", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "TRY", "AED", "SAR", "ILS", "THB", "NGN"};

struct CurrencyWord {
    std::string_view word;
    std::string_view code;
    int exponent;  // cents and pence are hundredths
};

// Words ambiguous in prose ("pounds" of weight, "won" the verb) are left out.
constexpr std::array<CurrencyWord, 20> currency_words = {{
    {"dollars", "USD", 0}, {"dollar", "USD", 0},  {"euros", "EUR", 0},   {"euro", "EUR", 0},
    {"pounds sterling", "GBP", 0}, {"sterling", "GBP", 0}, {"yen", "JPY", 0}, {"yuan", "CNY", 0},
    {"renminbi", "CNY", 0}, {"francs", "CHF", 0}, {"franc", "CHF", 0},  {"rupees", "INR", 0},
    {"rupee", "INR", 0},   {"rubles", "RUB", 0},  {"roubles", "RUB", 0}, {"rand", "ZAR", 0},
    {"cents", "USD", -2},  {"cent", "USD", -2},   {"pence", "GBP", -2},  {"kronor", "SEK", 0},
}};

struct CurrencyQualifier {
    std::string_view words;
    std::string_view code;
};

// "500 US dollars", "100 Swiss francs": the qualifier decides the currency.
constexpr std::array<CurrencyQualifier, 9> currency_qualifiers = {{
    {"us", "USD"}, {"u.s.", "USD"}, {"canadian", "CAD"}, {"australian", "AUD"}, {"new zealand", "NZD"},
    {"hong kong", "HKD"}, {"singapore", "SGD"}, {"swiss", "CHF"}, {"indian", "INR"},
}};

struct Scale {
    std::string_view word;
    int exponent;
    bool may_stand_apart;  // "5 bn" yes, "5 m" no (metres)
};

constexpr std::array<Scale, 11> scales = {{
    {"thousand", 3, true}, {"million", 6, true}, {"billion", 9, true}, {"trillion", 12, true},
    {"mln", 6, true},      {"mn", 6, true},      {"bn", 9, true},      {"tn", 12, true},
    {"k", 3, false},       {"m", 6, false},      {"b", 9, false},
}};

struct Match {
    std::size_t end;
    std::string_view code;
    int exponent;
};

std::optional<Match> currency_sign_at(std::string_view text, std::size_t pos) {
    for (const CurrencySign& sign : currency_signs)
        if (text.substr(pos, sign.text.size()) == sign.text) return Match{pos + sign.text.size(), sign.code, 0};
    return std::nullopt;
}

std::optional<Match> iso_code_at(std::string_view text, std::size_t pos) {
    if (pos + 3 > text.size()) return std::nullopt;
    std::string_view word = text.substr(pos, 3);
    for (std::string_view code : iso_codes)
        if (word == code && !(pos + 3 < text.size() && is_ascii_alpha(text[pos + 3])))
            return Match{pos + 3, code, 0};
    return std::nullopt;
}

// "dollars", "US dollars", "Swiss francs", "pounds sterling", "cents"
std::optional<Match> currency_word_at(std::string_view text, std::size_t pos) {
    std::optional<std::string_view> qualified_code;
    std::size_t word_start = pos;
    for (const CurrencyQualifier& qualifier : currency_qualifiers) {
        std::size_t after = pos + qualifier.words.size();
        bool dotted = qualifier.words.back() == '.';  // "U.S." ends in a dot, not a word boundary
        if (dotted ? prefix_at_ignore_case(text, pos, qualifier.words) : word_at(text, pos, qualifier.words)) {
            std::size_t next = skip_inline_spaces(text, after);
            if (next == after) continue;
            qualified_code = qualifier.code;
            word_start = next;
            break;
        }
    }
    for (const CurrencyWord& currency : currency_words) {
        if (!word_at(text, word_start, currency.word)) continue;
        bool qualifiable = currency.word.substr(0, 6) == "dollar" || currency.word.substr(0, 5) == "franc" ||
                           currency.word.substr(0, 5) == "rupee";
        if (qualified_code && !qualifiable) return std::nullopt;
        return Match{word_start + currency.word.size(), qualified_code ? *qualified_code : currency.code,
                     currency.exponent};
    }
    return std::nullopt;
}

// A scale right after the number ("5M", "2.5 million"); returns its end and exponent.
Match read_scale(std::string_view text, std::size_t number_end) {
    for (const Scale& scale : scales)
        if (word_at(text, number_end, scale.word)) return {number_end + scale.word.size(), {}, scale.exponent};
    std::size_t apart = skip_inline_spaces(text, number_end);
    if (apart > number_end) {
        for (const Scale& scale : scales)
            if (scale.may_stand_apart && word_at(text, apart, scale.word))
                return {apart + scale.word.size(), {}, scale.exponent};
    }
    return {number_end, {}, 0};
}

struct MoneyMatch {
    std::size_t end;
    std::string normalized;
};

// `scale_exponent` is that of a written scale ("million"); `unit_exponent`
// that of the currency unit (-2 for cents).
MoneyMatch make_match(DecimalNumber number, std::size_t end, std::string_view code, int scale_exponent,
                      int unit_exponent = 0) {
    // "€1.200" is twelve hundred: money is not written to three decimals,
    // unless scaled ("$1.125 billion").
    if (scale_exponent == 0 && !number.grouped && number.integer_digits.size() <= 3 &&
        number.fraction_digits.size() == 3) {
        number.integer_digits += number.fraction_digits;
        number.fraction_digits.clear();
    }
    return {end, format_scaled(number, scale_exponent + unit_exponent) + " " + std::string(code)};
}

// Sign or code first: "$1,200.50", "€ 30", "USD 500", "$2.5 million".
std::optional<MoneyMatch> read_currency_first(std::string_view text, std::size_t pos) {
    if (word_char_before(text, pos)) return std::nullopt;
    std::optional<Match> currency = currency_sign_at(text, pos);
    if (!currency) currency = iso_code_at(text, pos);
    if (!currency) return std::nullopt;
    std::optional<DecimalNumber> number =
        parse_number(text, skip_inline_spaces(text, currency->end), DecimalComma::accepted);
    if (!number) return std::nullopt;
    Match scale = read_scale(text, number->end);
    if (word_char_at(text, scale.end)) return std::nullopt;
    return make_match(*number, scale.end, currency->code, scale.exponent);
}

// Number first: "30 €", "30€", "500 USD", "2.5 million dollars", "50 cents".
std::optional<MoneyMatch> read_amount_first(std::string_view text, std::size_t pos) {
    std::optional<DecimalNumber> number = parse_number(text, pos, DecimalComma::accepted);
    if (!number) return std::nullopt;
    Match scale = read_scale(text, number->end);
    std::size_t next = skip_inline_spaces(text, scale.end);
    bool spaced = next > scale.end;
    std::optional<Match> currency = currency_sign_at(text, next);
    if (!currency && spaced) currency = iso_code_at(text, next);
    if (!currency && spaced) currency = currency_word_at(text, next);
    if (!currency || word_char_at(text, currency->end)) return std::nullopt;
    return make_match(*number, currency->end, currency->code, scale.exponent, currency->exponent);
}

// Cheap pre-check so the sign and code tables are consulted only where a
// sign (ASCII '$', a capital letter, or a multi-byte character) may start.
bool may_start_currency(char c) { return c == '$' || is_ascii_upper(c) || static_cast<unsigned char>(c) >= 0xC2; }

}  // namespace

void scan_money(std::string_view text, std::vector<Candidate>& out) {
    for (std::size_t pos = 0; pos < text.size();) {
        char c = text[pos];
        std::optional<MoneyMatch> money = is_ascii_digit(c)        ? read_amount_first(text, pos)
                                          : may_start_currency(c) ? read_currency_first(text, pos)
                                                                  : std::nullopt;
        if (money) {
            out.push_back({EntityType::money, pos, money->end, std::move(money->normalized)});
            pos = money->end;
        } else {
            ++pos;
        }
    }
}

}  // namespace entity_extractor
