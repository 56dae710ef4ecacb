// What a word before a period says about whether the period ends a sentence.
#ifndef TEXTKIT_ABBREVIATIONS_HPP
#define TEXTKIT_ABBREVIATIONS_HPP

#include <string_view>

namespace textkit::detail {

enum class Abbreviation {
    none,        // an ordinary word: its period ends the sentence
    title,       // "Mr.", "Dr.": a name always follows
    continuing,  // "e.g.", "vs.": the sentence always goes on
    numbered,    // "No.", "Fig.", "Jan.": goes on when a number follows
    may_end,     // "etc.", "Inc.", "U.S.": ends only before a likely sentence start
};

// Classifies the word before a period, given lower-cased and without that
// final period ("mr", "e.g", "u.s"). Dotted initialisms and single letters
// ("u.s", "a.m", "j") are `may_end` even when not listed.
Abbreviation classify_abbreviation(std::string_view lower_word);

// True for lower-cased words that often start an English sentence ("the",
// "it", "we", "however"): evidence that an abbreviation also closed one.
bool is_common_sentence_starter(std::string_view lower_word);

}  // namespace textkit::detail

#endif  // TEXTKIT_ABBREVIATIONS_HPP
