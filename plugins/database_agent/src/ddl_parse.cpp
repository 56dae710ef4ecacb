// DDL read back into a Schema, for the evolve mode's diff: CREATE TABLE
// (columns, inline and table constraints) and CREATE INDEX. Other
// statements (comments, inserts, views) are skipped.
#include <string>

#include "schema.hpp"
#include "sql_tokens.hpp"

namespace dbagent {
namespace {

bool is_constraint_word(const Token& t) {
    for (std::string_view w : {"not", "null", "default", "primary", "references", "unique", "check", "constraint",
                               "generated", "collate", "autoincrement", "on"})
        if (t.is(w)) return true;
    return false;
}

}  // namespace

std::vector<std::string> read_name_list(const std::vector<Token>& tokens, std::size_t& open) {
    std::vector<std::string> names;
    if (open >= tokens.size() || !tokens[open].is_punct('(')) return names;
    const std::size_t close = matching_paren(tokens, open);
    for (auto [b, e] : split_commas(tokens, open + 1, close))
        if (tokens[b].is_name()) names.push_back(tokens[b].text);
    open = close < tokens.size() ? close + 1 : close;
    return names;
}

ParsedColumn parse_column(const std::vector<Token>& tokens, std::size_t begin, std::size_t end) {
    ParsedColumn parsed;
    std::size_t i = begin;
    parsed.column.name = tokens[i++].text;
    const std::size_t type_begin = i;
    while (i < end && !is_constraint_word(tokens[i])) {
        if (tokens[i].is_punct('(')) {
            i = matching_paren(tokens, i) + 1;
            continue;
        }
        ++i;
    }
    parsed.column.type = join_tokens(tokens, type_begin, i);
    for (char& c : parsed.column.type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (auto at = parsed.column.type.find(", "); at != std::string::npos; at = parsed.column.type.find(", "))
        parsed.column.type.erase(at + 1, 1);  // numeric(12,2) as written by design
    std::string extra;
    while (i < end) {
        const Token& t = tokens[i];
        if (t.is("not") && i + 1 < end && tokens[i + 1].is("null")) {
            parsed.column.not_null = true;
            i += 2;
        } else if (t.is("null")) {
            ++i;
        } else if (t.is("primary")) {
            parsed.primary_key = true;
            parsed.column.not_null = true;
            i += 2;  // PRIMARY KEY
        } else if (t.is("unique")) {
            parsed.column.unique = true;
            ++i;
        } else if (t.is("default")) {
            std::size_t j = i + 1;
            const std::size_t start = j;
            while (j < end && (j == start || !is_constraint_word(tokens[j]))) {
                if (tokens[j].is_punct('(')) {
                    j = matching_paren(tokens, j) + 1;
                    continue;
                }
                ++j;
            }
            parsed.column.default_sql = join_tokens(tokens, start, j);
            i = j;
        } else if (t.is("references")) {
            ForeignKey fk;
            ++i;
            fk.table = read_name(tokens, i);
            fk.columns = {parsed.column.name};
            fk.ref_columns = read_name_list(tokens, i);
            if (fk.ref_columns.empty()) fk.ref_columns = {"id"};
            while (i < end && tokens[i].is("on")) {
                const bool del = i + 1 < end && tokens[i + 1].is("delete");
                i += 2;
                std::string action;
                while (i < end && (tokens[i].is("cascade") || tokens[i].is("set") || tokens[i].is("null") ||
                                   tokens[i].is("restrict") || tokens[i].is("no") || tokens[i].is("action") ||
                                   tokens[i].is("default"))) {
                    action += (action.empty() ? "" : " ") + tokens[i].raw;
                    ++i;
                }
                if (del) fk.on_delete = action;
            }
            parsed.references = fk;
        } else if (t.is("check") || t.is("generated") || t.is("collate") || t.is("constraint") || t.is("autoincrement") ||
                   t.is("on")) {
            std::size_t j = i + 1;
            if (t.is("constraint")) j = i + 2;  // CONSTRAINT name, then the constraint itself
            else {
                while (j < end && !is_constraint_word(tokens[j])) {
                    if (tokens[j].is_punct('(')) {
                        j = matching_paren(tokens, j) + 1;
                        continue;
                    }
                    ++j;
                }
                extra += (extra.empty() ? "" : " ") + join_tokens(tokens, i, j);
            }
            i = j;
        } else {
            ++i;
        }
    }
    parsed.column.extra = extra;
    return parsed;
}

Schema parse_schema(std::string_view ddl, const std::string& field) {
    Schema schema;
    for (const std::string& statement : split_statements(ddl)) {
        const std::vector<Token> t = tokenize_sql(statement);
        std::size_t i = 0;
        if (t.empty() || !t[0].is("create")) continue;
        ++i;
        while (i < t.size() && (t[i].is("temp") || t[i].is("temporary") || t[i].is("unlogged") || t[i].is("or") ||
                                t[i].is("replace")))
            ++i;
        if (i < t.size() && t[i].is("table")) {
            ++i;
            if (i + 2 < t.size() && t[i].is("if") && t[i + 1].is("not") && t[i + 2].is("exists")) i += 3;
            Table table;
            table.name = read_name(t, i);
            if (table.name.empty() || i >= t.size() || !t[i].is_punct('('))
                throw InputError(field + ": cannot read the table in '" + statement.substr(0, 80) + "'");
            const std::size_t close = matching_paren(t, i);
            for (auto [b, e] : split_commas(t, i + 1, close)) {
                std::size_t k = b;
                if (t[k].is("constraint")) k += 2;
                if (k < e && t[k].is("primary")) {
                    k += 2;
                    table.primary_key = read_name_list(t, k);
                } else if (k < e && t[k].is("foreign")) {
                    k += 2;
                    ForeignKey fk;
                    fk.columns = read_name_list(t, k);
                    if (k < e && t[k].is("references")) ++k;
                    fk.table = read_name(t, k);
                    fk.ref_columns = read_name_list(t, k);
                    if (fk.ref_columns.empty()) fk.ref_columns = {"id"};
                    for (; k + 2 < e; ++k)
                        if (t[k].is("on") && t[k + 1].is("delete")) {
                            fk.on_delete = t[k + 2].raw;
                            if (t[k + 2].is("set") && k + 3 < e) fk.on_delete += " " + t[k + 3].raw;
                        }
                    table.foreign_keys.push_back(fk);
                } else if (k < e && t[k].is("unique")) {
                    ++k;
                    auto names = read_name_list(t, k);
                    if (!names.empty())
                        schema.indexes.push_back({identifier_of(table.name + "_" + names[0] + "_key"), table.name,
                                                  names, true});
                } else if (k < e && (t[k].is("check") || t[k].is("exclude"))) {
                    continue;
                } else if (t[b].is_name()) {
                    ParsedColumn parsed = parse_column(t, b, e);
                    if (parsed.primary_key) table.primary_key = {parsed.column.name};
                    if (parsed.references) table.foreign_keys.push_back(*parsed.references);
                    table.columns.push_back(parsed.column);
                }
            }
            schema.tables.push_back(std::move(table));
        } else if (i < t.size() && (t[i].is("unique") || t[i].is("index"))) {
            Index index;
            index.unique = t[i].is("unique");
            if (index.unique) ++i;
            ++i;  // INDEX
            if (i < t.size() && t[i].is("concurrently")) ++i;
            if (i + 2 < t.size() && t[i].is("if") && t[i + 1].is("not") && t[i + 2].is("exists")) i += 3;
            if (i < t.size() && !t[i].is("on")) index.name = read_name(t, i);
            if (i < t.size() && t[i].is("on")) ++i;
            if (i < t.size() && t[i].is("only")) ++i;
            index.table = read_name(t, i);
            if (i < t.size() && t[i].is("using")) i += 2;
            index.columns = read_name_list(t, i);
            if (index.table.empty() || index.columns.empty())
                throw InputError(field + ": cannot read the index in '" + statement.substr(0, 80) + "'");
            if (index.name.empty()) index.name = identifier_of("idx_" + index.table + "_" + index.columns[0]);
            schema.indexes.push_back(index);
        }
    }
    if (schema.tables.empty()) throw InputError(field + " holds no CREATE TABLE statement");
    return schema;
}

}  // namespace dbagent
