#include "name_tokens.hpp"

#include "gazetteers.hpp"
#include "utf8.hpp"

namespace entity_extractor {

namespace {

bool is_apostrophe(char32_t c) { return c == '\'' || c == 0x2019; }

struct WordEnd {
    std::size_t end;
    std::size_t resume;  // after a possessive "'s" that is not part of the word
};

// A word runs over letters and digits, and over '-', '&', apostrophes and
// dots that sit between letters ("Coca-Cola", "AT&T", "O'Brien", "U.S.").
// It stops before "-based" in "Zürich-based" so the place stays a word of
// its own, and before a possessive "'s". `text` ends where the word must end
// at the latest (the next blocked span).
WordEnd read_word(std::string_view text, std::size_t begin) {
    bool starts_upper = utf8::is_upper(utf8::decode(text, begin).code_point);
    bool dotted = false;
    std::size_t pos = begin;
    std::size_t letters_since_dot = 0;
    while (pos < text.size()) {
        utf8::DecodedChar current = utf8::decode(text, pos);
        char32_t c = current.code_point;
        if (utf8::is_letter(c) || utf8::is_digit(c)) {
            pos += current.length;
            ++letters_since_dot;
            continue;
        }
        std::size_t after = pos + current.length;
        utf8::DecodedChar next = utf8::decode(text, after);
        if (!utf8::is_letter(next.code_point)) break;
        if (c == '-' && starts_upper && utf8::is_lower(next.code_point)) break;
        if (is_apostrophe(c) && (next.code_point == 's' || next.code_point == 'S') &&
            !utf8::is_letter(utf8::decode(text, after + 1).code_point))
            return {pos, after + 1};
        if (c == '.' && letters_since_dot != 1) break;  // only single letters are dotted: "U.S."
        if (c != '-' && c != '&' && c != '.' && !is_apostrophe(c)) break;
        dotted = dotted || c == '.';
        letters_since_dot = 0;
        pos = after;
    }
    if (dotted && letters_since_dot == 1 && pos < text.size() && text[pos] == '.') ++pos;  // the final dot of "U.S."
    return {pos, pos};
}

void mark_shape(std::string_view text, Token& token) {
    std::size_t letters = 0;
    std::size_t upper = 0;
    for (std::size_t pos = token.begin; pos < token.end;) {
        utf8::DecodedChar decoded = utf8::decode(text, pos);
        if (utf8::is_letter(decoded.code_point)) {
            ++letters;
            if (utf8::is_upper(decoded.code_point)) ++upper;
            if (letters == 1) token.capitalised = utf8::is_upper(decoded.code_point);
        } else if (utf8::is_digit(decoded.code_point)) {
            token.has_digit = true;
        }
        pos += decoded.length;
    }
    token.all_caps = letters >= 2 && upper == letters;
}

bool ends_sentence(const std::string& mark) { return mark == "." || mark == "!" || mark == "?"; }

bool continues_sentence(const std::string& mark) { return mark == "," || mark == ";" || mark == ":"; }

// A dot after "Dr" or an initial does not end the sentence.
bool is_abbreviation_dot(const std::vector<Token>& tokens) {
    if (tokens.size() < 2) return false;
    const Token& before = tokens[tokens.size() - 2];
    return before.kind == TokenKind::word && before.end == tokens.back().begin &&
           (is_initial(before) || gazetteer::is_person_title(before.key) || before.key == "st");
}

}  // namespace

bool is_initial(const Token& token) {
    return token.kind == TokenKind::word && token.capitalised && token.key.size() <= 2 &&
           utf8::count_code_points(token.key) == 1;
}

std::vector<Token> tokenize_for_names(std::string_view text, const std::vector<Candidate>& blocked) {
    std::vector<Token> tokens;
    auto next_blocked = blocked.begin();
    bool line_break = false;
    bool space = false;
    bool sentence_start = true;
    for (std::size_t pos = 0; pos < text.size();) {
        std::size_t limit = next_blocked == blocked.end() ? text.size() : next_blocked->begin;
        if (pos >= limit) {
            tokens.push_back({TokenKind::blocked, next_blocked->begin, next_blocked->end, {}});
            pos = next_blocked->end;
            ++next_blocked;
        } else {
            std::string_view window = text.substr(0, limit);
            utf8::DecodedChar decoded = utf8::decode(window, pos);
            char32_t c = decoded.code_point;
            if (utf8::is_space(c)) {
                space = true;
                if (c == '\n' || c == '\r') {
                    line_break = true;
                    sentence_start = true;
                }
                pos += decoded.length;
                continue;
            }
            Token token{TokenKind::punctuation, pos, pos + decoded.length, {}};
            std::size_t resume = token.end;
            if (utf8::is_letter(c)) {
                WordEnd word = read_word(window, pos);
                token.kind = TokenKind::word;
                token.end = word.end;
                token.possessive = word.resume != word.end;
                token.key = gazetteer::lookup_key(text.substr(pos, word.end - pos));
                mark_shape(text, token);
                resume = word.resume;
            } else if (utf8::is_digit(c)) {
                // "221B", "4th", "3M": one token, so no letter in it starts a name.
                token.kind = TokenKind::number;
                while (token.end < limit) {
                    utf8::DecodedChar next = utf8::decode(window, token.end);
                    if (!utf8::is_digit(next.code_point) && !utf8::is_letter(next.code_point)) break;
                    token.end += next.length;
                }
                resume = token.end;
            } else {
                token.key.assign(text.substr(pos, decoded.length));
            }
            pos = resume;
            tokens.push_back(std::move(token));
        }
        Token& added = tokens.back();
        added.line_break_before = line_break;
        added.space_before = space;
        added.sentence_start = sentence_start;
        line_break = space = false;
        if (added.kind != TokenKind::punctuation || continues_sentence(added.key))
            sentence_start = false;
        else if (ends_sentence(added.key) && !is_abbreviation_dot(tokens))
            sentence_start = true;
    }
    return tokens;
}

}  // namespace entity_extractor
