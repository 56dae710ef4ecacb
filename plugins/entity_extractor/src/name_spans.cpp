#include "name_spans.hpp"

#include "gazetteers.hpp"

namespace entity_extractor {

namespace {

// In all-caps headings every word is capitalised; "FROM" and "THE" there
// are still not parts of a name ("UPDATE FROM THE BOARD").
bool is_name_word(const Token& token) {
    return token.kind == TokenKind::word && token.capitalised && !token.has_digit &&
           !(token.all_caps && gazetteer::is_function_word(token.key));
}

bool is_mark(const Token& token, const char* mark) {
    return token.kind == TokenKind::punctuation && token.key == mark;
}

// A dot glued to the word before it.
bool dot_follows(const std::vector<Token>& tokens, std::size_t index) {
    return index + 1 < tokens.size() && is_mark(tokens[index + 1], ".") && !tokens[index + 1].space_before;
}

// Abbreviations whose dot belongs to the name and ends it: "Acme Inc.", "Smith Jr.".
bool ends_name_with_dot(const Token& word) {
    return gazetteer::is_legal_form(word.key) || gazetteer::is_generational_suffix(word.key) ||
           word.key == "co" || word.key == "bros";
}

// Abbreviations whose dot belongs to the name that goes on: "Dr. Jane", "John F. Kennedy", "St. Louis".
bool continues_name_after_dot(const Token& word) {
    return is_initial(word) || word.key == "st" || (gazetteer::is_person_title(word.key) && word.key.size() <= 4);
}

// The token at `index` may continue a name: on the same line, after a space.
bool joins(const std::vector<Token>& tokens, std::size_t index) {
    return index < tokens.size() && !tokens[index].line_break_before;
}

bool can_take_of(const Token& word) {
    return gazetteer::is_organization_head(word.key) || gazetteer::is_location_head(word.key);
}

// "and" joins two names into one only between organisation words:
// "Securities and Exchange Commission", not "Berlin and Munich" or
// "Deutsche Bank and Commerzbank".
bool and_joins_organization(const std::vector<Token>& tokens, std::size_t index, const Token& previous_word) {
    if (!gazetteer::is_organization_suffix(previous_word.key) || gazetteer::is_legal_form(previous_word.key))
        return false;
    constexpr std::size_t max_words_to_suffix = 3;
    for (std::size_t i = index + 1; i <= index + max_words_to_suffix && joins(tokens, i) && is_name_word(tokens[i]);
         ++i)
        if (gazetteer::is_organization_suffix(tokens[i].key)) return true;
    return false;
}

// How many connector tokens at `index` join the name word before them to a
// name word after them ("Procter & Gamble", "Charles de Gaulle",
// "Bank of America", "Bank of the West", "Securities and Exchange
// Commission"); 0 when none.
std::size_t connector_length(const std::vector<Token>& tokens, std::size_t index, const Token& previous_word) {
    auto name_word_at = [&](std::size_t i) { return joins(tokens, i) && is_name_word(tokens[i]); };
    if (!joins(tokens, index)) return 0;
    const Token& token = tokens[index];
    if (is_mark(token, "&") && name_word_at(index + 1)) return 1;
    if (token.kind != TokenKind::word || token.capitalised) return 0;
    if (gazetteer::is_name_particle(token.key) && name_word_at(index + 1)) return 1;
    if (token.key == "and" && and_joins_organization(tokens, index, previous_word)) return 1;
    if (token.key == "of" && can_take_of(previous_word)) {
        if (name_word_at(index + 1)) return 1;
        if (joins(tokens, index + 1) && tokens[index + 1].key == "the" && name_word_at(index + 2)) return 2;
    }
    return 0;
}

// Maximal runs of capitalised words and their connectors.
std::vector<NameSpan> raw_runs(const std::vector<Token>& tokens) {
    std::vector<NameSpan> runs;
    for (std::size_t i = 0; i < tokens.size();) {
        if (!is_name_word(tokens[i])) {
            ++i;
            continue;
        }
        NameSpan run{i, i};
        std::size_t word = i;
        while (true) {
            const Token& current = tokens[word];
            if (current.possessive) break;
            std::size_t next = word + 1;
            if (dot_follows(tokens, word)) {
                if (ends_name_with_dot(current)) {
                    run.last_token = word + 1;
                    break;
                }
                if (!continues_name_after_dot(current)) break;
                run.last_token = word + 1;
                next = word + 2;
            }
            next += connector_length(tokens, next, current);
            if (!joins(tokens, next) || !is_name_word(tokens[next])) break;
            word = next;
            run.last_token = word;
        }
        runs.push_back(run);
        i = run.last_token + 1;
    }
    return runs;
}

// The span from name word `from` to name word `to`, with the dot of an
// abbreviation at its end ("Acme Inc." in "Acme Inc. Announces").
NameSpan sub_span(const std::vector<Token>& tokens, std::size_t from, std::size_t to) {
    return {from, dot_follows(tokens, to) ? to + 1 : to};
}

// Cuts "Apple CEO Tim Cook" before the title and "Acme Inc Announces" after
// the legal form. A title only cuts when a name follows it, so "Stephen King"
// and "Burger King Corp" stay whole.
void split_run(const std::vector<Token>& tokens, const NameSpan& run, std::vector<NameSpan>& out) {
    std::vector<std::size_t> words = name_word_indices(tokens, run);
    std::size_t piece_start = 0;
    for (std::size_t w = 1; w < words.size(); ++w) {
        const Token& word = tokens[words[w]];
        bool title_starts_name = gazetteer::is_person_title(word.key) && w + 1 < words.size() &&
                                 !gazetteer::is_organization_suffix(tokens[words[w + 1]].key) &&
                                 !gazetteer::is_location_suffix(tokens[words[w + 1]].key) &&
                                 !gazetteer::is_generational_suffix(tokens[words[w + 1]].key);
        bool legal_form_ends_name = gazetteer::is_legal_form(tokens[words[w - 1]].key);
        if (!title_starts_name && !legal_form_ends_name) continue;
        std::size_t cut = w;
        while (title_starts_name && cut > piece_start + 1 && gazetteer::is_title_modifier(tokens[words[cut - 1]].key))
            --cut;  // "Acme Vice President Jane Doe": the modifier goes with the title
        out.push_back(sub_span(tokens, words[piece_start], words[cut - 1]));
        piece_start = cut;
    }
    out.push_back({words[piece_start], run.last_token});
}

bool ends_like_organization_or_place(const Token& last_word) {
    return gazetteer::is_organization_suffix(last_word.key) || gazetteer::is_location_suffix(last_word.key);
}

// Drops sentence openers ("Yesterday Acme Corp") and personal titles
// ("Dr. Jane Smith", "Prime Minister Jane Smith") from the front.
// Returns false when nothing of a name is left.
bool trim_front(const std::vector<Token>& tokens, NameSpan& span) {
    std::vector<std::size_t> words = name_word_indices(tokens, span);
    std::size_t first = 0;
    while (first < words.size() && gazetteer::is_function_word(tokens[words[first]].key)) ++first;
    if (first == words.size()) return false;

    std::size_t title_end = first;
    bool has_title = false;
    while (title_end + 1 < words.size()) {
        const std::string& key = tokens[words[title_end]].key;
        if (gazetteer::is_person_title(key))
            has_title = true;
        else if (!gazetteer::is_title_modifier(key))
            break;
        ++title_end;
    }
    // "King County" and "Chief Executives Group" are not people with titles.
    if (has_title && !ends_like_organization_or_place(tokens[words.back()])) {
        first = title_end;
        span.had_title = true;
    }
    span.first_token = words[first];
    return true;
}

}  // namespace

std::vector<std::size_t> name_word_indices(const std::vector<Token>& tokens, const NameSpan& span) {
    std::vector<std::size_t> words;
    for (std::size_t i = span.first_token; i <= span.last_token; ++i)
        if (is_name_word(tokens[i])) words.push_back(i);
    return words;
}

std::string span_key(const std::vector<Token>& tokens, const NameSpan& span) {
    std::string key;
    for (std::size_t i = span.first_token; i <= span.last_token; ++i) {
        if (is_mark(tokens[i], ".")) continue;
        if (!key.empty()) key += ' ';
        key += tokens[i].key;
    }
    return key;
}

std::vector<NameSpan> find_name_spans(const std::vector<Token>& tokens) {
    std::vector<NameSpan> pieces;
    for (const NameSpan& run : raw_runs(tokens)) split_run(tokens, run, pieces);

    std::vector<NameSpan> spans;
    for (NameSpan& piece : pieces) {
        // "The Hague" and "The Netherlands" keep their article.
        std::string key = span_key(tokens, piece);
        bool known = gazetteer::is_known_location(key) || gazetteer::is_known_organization(key);
        if (known || trim_front(tokens, piece)) spans.push_back(piece);
    }
    return spans;
}

}  // namespace entity_extractor
