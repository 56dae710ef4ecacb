// SQL text both ways: CREATE TABLE / CREATE INDEX statements written for a
// dialect, and statements split on ';' outside quotes, comments and
// dollar-quoted bodies.
#include <string>

#include "schema.hpp"

namespace dbagent {
namespace {

std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& name : names) out += (out.empty() ? "" : ", ") + quote_identifier(name);
    return out;
}

}  // namespace

std::string column_definition_sql(const Column& column) {
    std::string out = quote_identifier(column.name) + " " + column.type;
    const bool check = column.extra.rfind("CHECK", 0) == 0;
    if (!column.extra.empty() && !check) out += " " + column.extra;
    if (column.not_null) out += " NOT NULL";
    if (!column.default_sql.empty()) out += " DEFAULT " + column.default_sql;
    if (column.unique) out += " UNIQUE";
    if (check) out += " " + column.extra;
    return out;
}

std::string create_table_sql(const Table& table, Dialect dialect, bool with_foreign_keys) {
    std::vector<std::string> lines;
    for (const auto& column : table.columns) {
        std::string line = column_definition_sql(column);
        // SQLite: INTEGER PRIMARY KEY is the rowid, assigned on insert.
        if (table.primary_key.size() == 1 && table.primary_key[0] == column.name) {
            if (dialect == Dialect::sqlite) {
                line = quote_identifier(column.name) + " integer PRIMARY KEY";
                if (column.type != "integer") line = column_definition_sql(column) + " PRIMARY KEY";
            } else {
                line += " PRIMARY KEY";
            }
        }
        lines.push_back(line);
    }
    if (table.primary_key.size() > 1) lines.push_back("PRIMARY KEY (" + joined(table.primary_key) + ")");
    if (with_foreign_keys) {
        for (const auto& fk : table.foreign_keys) {
            std::string line = "CONSTRAINT " + quote_identifier(identifier_of("fk_" + table.name + "_" + fk.columns[0])) +
                               " FOREIGN KEY (" + joined(fk.columns) + ") REFERENCES " + quote_identifier(fk.table) +
                               " (" + joined(fk.ref_columns) + ")";
            if (!fk.on_delete.empty()) line += " ON DELETE " + fk.on_delete;
            lines.push_back(line);
        }
    }
    std::string out = "CREATE TABLE " + quote_identifier(table.name) + " (\n";
    for (std::size_t i = 0; i < lines.size(); ++i) out += "    " + lines[i] + (i + 1 < lines.size() ? ",\n" : "\n");
    return out + ");";
}

std::string create_index_sql(const Index& index, Dialect dialect, bool concurrently) {
    return std::string("CREATE ") + (index.unique ? "UNIQUE " : "") + "INDEX " +
           (concurrently && dialect == Dialect::postgresql ? "CONCURRENTLY " : "") + "IF NOT EXISTS " +
           quote_identifier(index.name) + " ON " + quote_identifier(index.table) + " (" + joined(index.columns) + ");";
}

std::string drop_index_sql(const Index& index, Dialect dialect, bool concurrently) {
    return std::string("DROP INDEX ") + (concurrently && dialect == Dialect::postgresql ? "CONCURRENTLY " : "") +
           "IF EXISTS " + quote_identifier(index.name) + ";";
}

std::vector<std::string> split_statements(std::string_view sql) {
    std::vector<std::string> out;
    std::string current;
    auto flush = [&] {
        std::size_t begin = current.find_first_not_of(" \t\r\n");
        if (begin != std::string::npos) {
            std::size_t end = current.find_last_not_of(" \t\r\n");
            out.push_back(current.substr(begin, end - begin + 1));
        }
        current.clear();
    };
    std::size_t i = 0;
    while (i < sql.size()) {
        const char c = sql[i];
        if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {  // line comment: dropped
            while (i < sql.size() && sql[i] != '\n') ++i;
            continue;
        }
        if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {  // block comment: dropped
            const auto end = sql.find("*/", i + 2);
            i = end == std::string_view::npos ? sql.size() : end + 2;
            current += ' ';
            continue;
        }
        if (c == '\'' || c == '"' || c == '`') {
            std::size_t j = i + 1;
            while (j < sql.size()) {
                if (sql[j] == c) {
                    if (j + 1 < sql.size() && sql[j + 1] == c) {
                        j += 2;
                        continue;
                    }
                    break;
                }
                ++j;
            }
            const std::size_t end = j < sql.size() ? j + 1 : sql.size();
            current.append(sql.substr(i, end - i));
            i = end;
            continue;
        }
        if (c == '$') {  // $$ or $tag$ body
            std::size_t j = i + 1;
            while (j < sql.size() && (std::isalnum(static_cast<unsigned char>(sql[j])) || sql[j] == '_')) ++j;
            if (j < sql.size() && sql[j] == '$') {
                const std::string_view tag = sql.substr(i, j - i + 1);
                const auto close = sql.find(tag, j + 1);
                const std::size_t end = close == std::string_view::npos ? sql.size() : close + tag.size();
                current.append(sql.substr(i, end - i));
                i = end;
                continue;
            }
        }
        if (c == ';') {
            flush();
            ++i;
            continue;
        }
        current += c;
        ++i;
    }
    flush();
    return out;
}

}  // namespace dbagent
