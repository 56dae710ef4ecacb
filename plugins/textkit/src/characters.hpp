// Character classes the splitters need, for code points.
//
// Deliberately small: full Unicode tables would be a dependency. ASCII is
// classified exactly; outside ASCII, the whitespace and punctuation blocks
// that occur in English prose are known and everything else counts as a
// letter, which is right for accented Latin, Greek, Cyrillic and CJK text.
#ifndef TEXTKIT_CHARACTERS_HPP
#define TEXTKIT_CHARACTERS_HPP

namespace textkit::detail {

bool is_space(char32_t c);
// A line break that can end a paragraph ("\n", U+2029 paragraph separator).
bool is_line_break(char32_t c);
// Letters and digits: what words are made of.
bool is_word_char(char32_t c);
bool is_ascii_digit(char32_t c);
// Lower-case ASCII and Latin-1 letters; other scripts report false.
bool is_lowercase_letter(char32_t c);
// "'" and U+2019, which doubles as the typographic apostrophe.
bool is_apostrophe(char32_t c);
// Quotes and brackets that open a quotation or parenthesis.
bool is_opening_punctuation(char32_t c);
// Quotes and brackets that close one, and so belong to the sentence before.
bool is_closing_punctuation(char32_t c);
// Sentence-final punctuation: . ! ? and their Unicode forms.
bool is_sentence_terminator(char32_t c);
// CJK full stops end a sentence even with no space after them.
bool is_fullwidth_terminator(char32_t c);

}  // namespace textkit::detail

#endif  // TEXTKIT_CHARACTERS_HPP
