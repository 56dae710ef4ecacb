#include <textkit/sentences.hpp>

#include <algorithm>

#include "abbreviations.hpp"
#include "characters.hpp"
#include "utf8.hpp"

namespace textkit {
namespace {

using detail::CodePoint;

// Walks the decoded text once, cutting a sentence at each boundary. All
// positions are code point indices into `chars_`.
class SentenceSplitter {
  public:
    explicit SentenceSplitter(std::string_view text) : text_(text), chars_(detail::decode_utf8(text)) {}

    std::vector<Sentence> split() {
        std::size_t start = skip_to_sentence_start(0);
        std::size_t at = start;
        while (at < chars_.size()) {
            if (is_hard_line_break(at)) {
                emit(start, at);
                start = at = skip_to_sentence_start(at);
                continue;
            }
            if (!detail::is_sentence_terminator(value(at))) {
                ++at;
                continue;
            }
            const std::size_t run_end = skip_while(at, detail::is_sentence_terminator);
            const std::size_t sentence_end = skip_while(run_end, detail::is_closing_punctuation);
            if (ends_sentence(at, run_end, sentence_end)) {
                emit(start, sentence_end);
                start = skip_to_sentence_start(sentence_end);
            }
            at = std::max(sentence_end, start);
        }
        emit(start, chars_.size());
        return std::move(sentences_);
    }

  private:
    char32_t value(std::size_t at) const { return chars_[at].value; }

    template <typename Predicate>
    std::size_t skip_while(std::size_t at, Predicate matches) const {
        while (at < chars_.size() && matches(value(at))) ++at;
        return at;
    }

    std::size_t skip_spaces(std::size_t at) const { return skip_while(at, detail::is_space); }

    std::size_t skip_horizontal_spaces(std::size_t at) const {
        return skip_while(at, [](char32_t c) { return detail::is_space(c) && !detail::is_line_break(c); });
    }

    bool at_line_start(std::size_t at) const {
        while (at > 0 && detail::is_space(value(at - 1))) {
            if (detail::is_line_break(value(at - 1))) return true;
            --at;
        }
        return at == 0;
    }

    // The position after a list marker ("- ", "* ", "• ", "1. ", "2) ",
    // "a) ") starting at `at`, or `at` when there is none.
    std::size_t after_list_marker(std::size_t at) const {
        std::size_t marker_end = at;
        if (at < chars_.size() && (value(at) == '-' || value(at) == '*' || value(at) == 0x2022)) {
            marker_end = at + 1;
        } else {
            const std::size_t digits_end = skip_while(at, detail::is_ascii_digit);
            const std::size_t digit_count = digits_end - at;
            const bool letter = digit_count == 0 && at < chars_.size() && detail::is_lowercase_letter(value(at));
            const std::size_t label_end = letter ? at + 1 : digits_end;
            const bool numbered = digit_count >= 1 && digit_count <= 3;
            if ((numbered || letter) && label_end < chars_.size() &&
                (value(label_end) == ')' || (numbered && value(label_end) == '.'))) {
                marker_end = label_end + 1;
            }
        }
        const bool followed_by_space = marker_end < chars_.size() && detail::is_space(value(marker_end));
        return marker_end > at && followed_by_space ? marker_end : at;
    }

    // Skips whitespace, and a list marker when it opens a line.
    std::size_t skip_to_sentence_start(std::size_t at) const {
        at = skip_spaces(at);
        if (at_line_start(at)) at = skip_spaces(after_list_marker(at));
        return at;
    }

    // A line break that ends the sentence no matter the punctuation: one
    // followed by a blank line or by a list item.
    bool is_hard_line_break(std::size_t at) const {
        if (!detail::is_line_break(value(at))) return false;
        if (value(at) == 0x2029) return true;
        const std::size_t next_line = skip_horizontal_spaces(at + 1);
        if (next_line < chars_.size() && detail::is_line_break(value(next_line))) return true;
        return after_list_marker(next_line) != next_line;
    }

    // The terminators [run_begin, run_end) and closing quotes up to
    // `sentence_end`: do they end the sentence?
    bool ends_sentence(std::size_t run_begin, std::size_t run_end, std::size_t sentence_end) const {
        bool exclaims_or_asks = false;
        for (std::size_t at = run_begin; at < run_end; ++at) {
            if (detail::is_fullwidth_terminator(value(at))) return true;
            exclaims_or_asks = exclaims_or_asks || (value(at) != '.' && value(at) != 0x2026);
        }
        if (sentence_end == chars_.size()) return true;
        // "3.5", "example.com", "U.S" before its last period: no space, no end.
        if (!detail::is_space(value(sentence_end))) return false;

        const std::size_t next_word = skip_while(skip_spaces(sentence_end), detail::is_opening_punctuation);
        if (next_word == chars_.size()) return true;
        // A sentence starts with a capital: "\"Why?\" she asked" goes on.
        if (detail::is_lowercase_letter(value(next_word))) return false;

        const bool ellipsis = run_end - run_begin > 1 || value(run_begin) == 0x2026;
        if (exclaims_or_asks || ellipsis) return true;
        return period_ends_sentence(run_begin, next_word);
    }

    // A single period followed by a word that does not start in lower case.
    bool period_ends_sentence(std::size_t period, std::size_t next_word) const {
        const std::string word = lower_ascii_word_before(period);
        if (word.empty()) return true;
        switch (detail::classify_abbreviation(word)) {
            case detail::Abbreviation::title:
            case detail::Abbreviation::continuing:
                return false;
            case detail::Abbreviation::numbered:
                return !detail::is_ascii_digit(value(next_word));
            case detail::Abbreviation::may_end:
                return detail::is_common_sentence_starter(lower_ascii_word_at(next_word));
            case detail::Abbreviation::none:
                break;
        }
        return true;
    }

    // The whitespace-delimited word ending just before `end`, without
    // leading quotes or brackets, lower-cased. Apostrophes inside it stay:
    // "don't" must not look like the initial "t".
    std::string lower_ascii_word_before(std::size_t end) const {
        std::size_t begin = end;
        while (begin > 0 && !detail::is_space(value(begin - 1))) --begin;
        while (begin < end && detail::is_opening_punctuation(value(begin))) ++begin;
        return lower_ascii(begin, end);
    }

    // The run of letters starting at `begin`, lower-cased.
    std::string lower_ascii_word_at(std::size_t begin) const {
        return lower_ascii(begin, skip_while(begin, detail::is_word_char));
    }

    std::string lower_ascii(std::size_t begin, std::size_t end) const {
        std::string word(detail::slice(text_, chars_, begin, end));
        std::transform(word.begin(), word.end(), word.begin(),
                       [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
        return word;
    }

    // Records the span [begin, end) without trailing whitespace, if it holds
    // any letter or digit.
    void emit(std::size_t begin, std::size_t end) {
        while (end > begin && detail::is_space(value(end - 1))) --end;
        const bool has_word = std::any_of(chars_.begin() + static_cast<std::ptrdiff_t>(begin),
                                          chars_.begin() + static_cast<std::ptrdiff_t>(end),
                                          [](const CodePoint& c) { return detail::is_word_char(c.value); });
        if (!has_word) return;
        sentences_.push_back(Sentence{std::string(detail::slice(text_, chars_, begin, end)), begin, end});
    }

    std::string_view text_;
    std::vector<CodePoint> chars_;
    std::vector<Sentence> sentences_;
};

}  // namespace

std::vector<Sentence> split_sentences(std::string_view text) { return SentenceSplitter(text).split(); }

}  // namespace textkit
