#include <algorithm>
#include <cctype>
#include <iterator>

#include "abbreviations.hpp"

namespace textkit::detail {
namespace {

constexpr std::string_view titles[] = {
    "mr",  "mrs", "ms",  "mx",   "messrs", "dr",   "prof", "rev", "hon", "gen",
    "sen", "rep", "gov", "pres", "capt",   "cmdr", "lt",   "col", "sgt", "supt",
};

constexpr std::string_view continuing[] = {
    "e.g", "i.e", "eg", "ie", "vs", "cf", "viz", "approx", "ca", "resp",
};

constexpr std::string_view numbered[] = {
    "no",  "nos", "fig", "figs", "vol", "p",   "pp",  "ch",  "sec",  "art", "eq",  "ref",
    "jan", "feb", "mar", "apr",  "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
};

constexpr std::string_view may_end[] = {
    "etc", "inc", "ltd", "co", "corp", "llc", "plc", "bros", "jr", "sr", "st", "ave", "dept", "ph.d",
};

constexpr std::string_view sentence_starters[] = {
    "a",     "after", "all",    "also", "although",  "an",    "and",   "as",    "at",    "because", "before",  "both",
    "but",   "by",    "during", "each", "for",       "from",  "he",    "her",   "his",   "how",     "however", "i",
    "if",    "in",    "it",     "its",  "meanwhile", "most",  "my",    "no",    "now",   "on",      "once",    "our",
    "she",   "since", "so",     "some", "that",      "the",   "their", "then",  "there", "these",   "they",    "this",
    "those", "to",    "we",     "what", "when",      "where", "which", "while", "who",   "why",     "with",    "you",
};

template <std::size_t N>
bool contains(const std::string_view (&words)[N], std::string_view word) {
    return std::find(std::begin(words), std::end(words), word) != std::end(words);
}

// "u.s", "a.m", "j": single letters, optionally joined by periods.
bool is_initialism(std::string_view word) {
    for (std::size_t i = 0; i < word.size(); ++i) {
        const bool letter_expected = i % 2 == 0;
        const auto c = static_cast<unsigned char>(word[i]);
        if (letter_expected ? !std::isalpha(c) : c != '.') return false;
    }
    return word.size() % 2 == 1;
}

}  // namespace

Abbreviation classify_abbreviation(std::string_view lower_word) {
    if (contains(titles, lower_word)) return Abbreviation::title;
    if (contains(continuing, lower_word)) return Abbreviation::continuing;
    if (contains(numbered, lower_word)) return Abbreviation::numbered;
    if (contains(may_end, lower_word) || is_initialism(lower_word)) return Abbreviation::may_end;
    return Abbreviation::none;
}

bool is_common_sentence_starter(std::string_view lower_word) { return contains(sentence_starters, lower_word); }

}  // namespace textkit::detail
