// Emails: an '@' with a plausible local part on its left and a dotted domain
// ending in an alphabetic top-level domain on its right.
#include "pattern_scanners.hpp"
#include "scan_helpers.hpp"

namespace entity_extractor {

namespace {

bool is_local_part_char(char c) {
    return is_ascii_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

bool is_domain_char(char c) { return is_ascii_alnum(c) || c == '.' || c == '-'; }

// Labels separated by single dots, none starting or ending with '-', the
// last (the top-level domain) alphabetic and at least two letters long.
bool is_valid_domain(std::string_view domain) {
    std::size_t label_count = 0;
    std::string_view last_label;
    for (std::size_t start = 0; start <= domain.size();) {
        std::size_t dot = domain.find('.', start);
        if (dot == std::string_view::npos) dot = domain.size();
        std::string_view label = domain.substr(start, dot - start);
        if (label.empty() || label.front() == '-' || label.back() == '-') return false;
        last_label = label;
        ++label_count;
        start = dot + 1;
    }
    if (label_count < 2 || last_label.size() < 2) return false;
    for (char c : last_label)
        if (!is_ascii_alpha(c)) return false;
    return true;
}

std::string ascii_lowercase(std::string_view text) {
    std::string lower(text);
    for (char& c : lower) c = ascii_lower(c);
    return lower;
}

}  // namespace

void scan_emails(std::string_view text, std::vector<Candidate>& out) {
    std::size_t search_from = 0;
    while (true) {
        std::size_t at = text.find('@', search_from);
        if (at == std::string_view::npos) return;
        search_from = at + 1;

        std::size_t begin = at;
        while (begin > 0 && is_local_part_char(text[begin - 1])) --begin;
        while (begin < at && text[begin] == '.') ++begin;  // a local part cannot start with a dot
        std::size_t end = at + 1;
        while (end < text.size() && is_domain_char(text[end])) ++end;
        while (end > at + 1 && (text[end - 1] == '.' || text[end - 1] == '-')) --end;  // sentence punctuation

        if (begin == at || text[at - 1] == '.') continue;
        if (!is_valid_domain(text.substr(at + 1, end - at - 1))) continue;
        out.push_back({EntityType::email, begin, end, ascii_lowercase(text.substr(begin, end - begin))});
        search_from = end;
    }
}

}  // namespace entity_extractor
