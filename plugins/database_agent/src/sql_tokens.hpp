// One SQL statement as tokens, for reading DDL back (parse_schema) and for
// reviewing migrations: words lower-cased, quoted identifiers unquoted,
// literals and punctuation kept as written.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dbagent {

struct Token {
    enum Kind { word, identifier, literal, number, punct } kind;
    std::string text;  // word: lower-cased; identifier: unquoted; others: as written
    std::string raw;   // as written
    bool is(std::string_view w) const { return kind == word && text == w; }
    bool is_punct(char c) const { return kind == punct && text.size() == 1 && text[0] == c; }
    bool is_name() const { return kind == word || kind == identifier; }
};

std::vector<Token> tokenize_sql(std::string_view statement);

// Tokens [begin, end) as SQL text again, single-spaced.
std::string join_tokens(const std::vector<Token>& tokens, std::size_t begin, std::size_t end);

// The index of the ')' matching the '(' at `open`, or tokens.size().
std::size_t matching_paren(const std::vector<Token>& tokens, std::size_t open);

// Top-level comma-separated ranges of (begin, end).
std::vector<std::pair<std::size_t, std::size_t>> split_commas(const std::vector<Token>& tokens, std::size_t begin,
                                                              std::size_t end);

// A name's last part ("public.orders" -> orders) read at `at`; advances `at`.
std::string read_name(const std::vector<Token>& tokens, std::size_t& at);

}  // namespace dbagent

#include "schema.hpp"

namespace dbagent {

// One column definition (tokens [begin, end): name, type, constraints).
struct ParsedColumn {
    Column column;
    bool primary_key = false;
    std::optional<ForeignKey> references;  // an inline REFERENCES
};
ParsedColumn parse_column(const std::vector<Token>& tokens, std::size_t begin, std::size_t end);

// A parenthesised name list at `open` ("(a, b)"); advances past it.
std::vector<std::string> read_name_list(const std::vector<Token>& tokens, std::size_t& open);

}  // namespace dbagent
