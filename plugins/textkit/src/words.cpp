#include <textkit/words.hpp>

#include "characters.hpp"
#include "utf8.hpp"

namespace textkit {
namespace {

using detail::CodePoint;

bool is_letter(char32_t c) { return detail::is_word_char(c) && !detail::is_ascii_digit(c); }

// May the character at `at` join the word it is in the middle of? Only
// apostrophes between letters and number separators between digits may.
bool joins_word(const std::vector<CodePoint>& chars, std::size_t at) {
    if (at == 0 || at + 1 >= chars.size()) return false;
    const char32_t before = chars[at - 1].value;
    const char32_t c = chars[at].value;
    const char32_t after = chars[at + 1].value;
    if (detail::is_apostrophe(c)) return is_letter(before) && is_letter(after);
    if (c == '.' || c == ',') return detail::is_ascii_digit(before) && detail::is_ascii_digit(after);
    return false;
}

std::string normalize(std::string_view word) {
    static constexpr std::string_view typographic_apostrophe = "\u2019";
    std::string lower;
    lower.reserve(word.size());
    for (std::size_t i = 0; i < word.size(); ++i) {
        if (word.substr(i, typographic_apostrophe.size()) == typographic_apostrophe) {
            lower += '\'';
            i += typographic_apostrophe.size() - 1;
        } else {
            const char c = word[i];
            lower += c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
        }
    }
    return lower;
}

}  // namespace

std::vector<Word> split_words(std::string_view text) {
    const std::vector<CodePoint> chars = detail::decode_utf8(text);
    std::vector<Word> words;
    std::size_t at = 0;
    while (at < chars.size()) {
        if (!detail::is_word_char(chars[at].value)) {
            ++at;
            continue;
        }
        const std::size_t begin = at;
        while (at < chars.size() && (detail::is_word_char(chars[at].value) || joins_word(chars, at))) ++at;
        const std::string_view word = detail::slice(text, chars, begin, at);
        words.push_back(Word{std::string(word), normalize(word)});
    }
    return words;
}

}  // namespace textkit
