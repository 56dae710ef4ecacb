// URLs: "http://", "https://" or "www." at a word start, running to the next
// space or quote, minus the sentence punctuation that usually follows a URL
// in prose ("see https://x.org/a." or "(https://x.org/a)").
#include "pattern_scanners.hpp"
#include "scan_helpers.hpp"
#include "utf8.hpp"

namespace entity_extractor {

namespace {

bool ends_url(char32_t c) {
    if (c < 0x80)
        return c <= ' ' || c == 0x7F || c == '<' || c == '>' || c == '"' || c == '`' || c == '{' || c == '}' ||
               c == '|' || c == '\\' || c == '^';
    // Spaces and typographic punctuation: quotes, dashes, ellipsis, CJK punctuation.
    return utf8::is_space(c) || c == 0xAB || c == 0xBB || (c >= 0x2000 && c <= 0x206F) ||
           (c >= 0x3000 && c <= 0x303F);
}

bool is_trailing_punctuation(char c) {
    return c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == '\'' || c == '*';
}

// Drops sentence punctuation after the URL, and closing brackets the URL did
// not open ("(see https://x.org/a)" but "wiki/Foo_(bar)").
std::size_t trim_url_end(std::string_view text, std::size_t host_begin, std::size_t end) {
    long open_parens = 0;
    long open_brackets = 0;
    for (std::size_t i = host_begin; i < end; ++i) {
        open_parens += text[i] == '(' ? 1 : text[i] == ')' ? -1 : 0;
        open_brackets += text[i] == '[' ? 1 : text[i] == ']' ? -1 : 0;
    }
    while (end > host_begin) {
        char last = text[end - 1];
        if (last == ')' && open_parens < 0)
            ++open_parens;
        else if (last == ']' && open_brackets < 0)
            ++open_brackets;
        else if (!is_trailing_punctuation(last))
            break;
        --end;
    }
    return end;
}

// Length of the prefix ("https://" or "www.") at `pos`; 0 when none.
std::size_t url_prefix_length(std::string_view text, std::size_t pos) {
    if (prefix_at_ignore_case(text, pos, "https://")) return 8;
    if (prefix_at_ignore_case(text, pos, "http://")) return 7;
    if (prefix_at_ignore_case(text, pos, "www.")) return 4;
    return 0;
}

bool is_host_char(char c) { return is_ascii_alnum(c) || c == '.' || c == '-' || static_cast<unsigned char>(c) >= 0x80; }

// Checked before scanning to the URL's end so that text full of failed
// prefixes is not scanned again and again.
bool has_plausible_host(std::string_view text, std::size_t host_begin, bool after_www) {
    if (host_begin >= text.size()) return false;
    char first = text[host_begin];
    if (!after_www) return is_ascii_alnum(first) || first == '[' || static_cast<unsigned char>(first) >= 0x80;
    // "www." needs a dotted host: "www.example.com", not "www.", "www..", "www.example".
    std::size_t host_end = host_begin;
    while (host_end < text.size() && is_host_char(text[host_end])) ++host_end;
    while (host_end > host_begin && text[host_end - 1] == '.') --host_end;
    std::size_t dot = text.find('.', host_begin);
    return host_end > host_begin && first != '.' && dot < host_end;
}

}  // namespace

void scan_urls(std::string_view text, std::vector<Candidate>& out) {
    for (std::size_t pos = 0; pos < text.size();) {
        std::size_t prefix_length = word_char_before(text, pos) ? 0 : url_prefix_length(text, pos);
        std::size_t host_begin = pos + prefix_length;
        if (prefix_length == 0 || !has_plausible_host(text, host_begin, prefix_length == 4)) {
            pos += prefix_length == 0 ? 1 : prefix_length;
            continue;
        }
        std::size_t end = host_begin;
        while (end < text.size()) {
            utf8::DecodedChar decoded = utf8::decode(text, end);
            if (ends_url(decoded.code_point)) break;
            end += decoded.length;
        }
        end = trim_url_end(text, host_begin, end);
        out.push_back({EntityType::url, pos, end, {}});
        pos = end;
    }
}

}  // namespace entity_extractor
