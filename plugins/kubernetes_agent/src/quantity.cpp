#include "quantity.hpp"

#include <cctype>
#include <string>
#include <utility>

namespace k8s {

std::optional<long double> quantity_value(std::string_view text) {
    std::size_t digits = 0;
    bool dot = false;
    while (digits < text.size() &&
           (std::isdigit(static_cast<unsigned char>(text[digits])) || (text[digits] == '.' && !dot))) {
        dot = dot || text[digits] == '.';
        ++digits;
    }
    if (digits == 0 || text[0] == '.' || text[digits - 1] == '.') return std::nullopt;
    long double number = 0;
    try {
        number = std::stold(std::string(text.substr(0, digits)));
    } catch (const std::exception&) {
        return std::nullopt;
    }
    static const std::pair<std::string_view, long double> suffixes[] = {
        {"", 1.0L},          {"m", 1e-3L},        {"k", 1e3L},          {"M", 1e6L},
        {"G", 1e9L},         {"T", 1e12L},        {"P", 1e15L},         {"E", 1e18L},
        {"Ki", 1024.0L},     {"Mi", 1048576.0L},  {"Gi", 1073741824.0L}, {"Ti", 1099511627776.0L},
        {"Pi", 1125899906842624.0L}, {"Ei", 1152921504606846976.0L}};
    const std::string_view suffix = text.substr(digits);
    for (const auto& [name, factor] : suffixes)
        if (suffix == name) return number * factor;
    return std::nullopt;
}

}  // namespace k8s
