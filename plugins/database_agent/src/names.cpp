// Identifiers: snake_case names both dialects accept, English plurals for
// table names, and quoting for the reserved words of either dialect (a
// table called "order" or "user" must work on PostgreSQL and SQLite alike).
#include <algorithm>
#include <array>
#include <cctype>
#include <functional>
#include <string>

#include "schema.hpp"

namespace dbagent {
namespace {

// PostgreSQL's reserved (and non-column-name) key words together with
// SQLite's key words: a name on this list is always quoted.
constexpr std::array<std::string_view, 218> reserved = {
    "abort", "action", "add", "after", "all", "alter", "always", "analyse", "analyze", "and", "any", "array", "as",
    "asc", "asymmetric", "attach", "authorization", "autoincrement", "before", "begin", "between", "bigint", "binary",
    "bit", "boolean", "both", "by", "cascade", "case", "cast", "char", "character", "check", "coalesce", "collate",
    "collation", "column", "commit", "concurrently", "conflict", "constraint", "create", "cross", "current",
    "current_catalog", "current_date", "current_role", "current_schema", "current_time", "current_timestamp",
    "current_user", "database", "dec", "decimal", "default", "deferrable", "deferred", "delete", "desc", "detach",
    "distinct", "do", "drop", "each", "else", "end", "escape", "except", "exclude", "exclusive", "exists", "explain",
    "extract", "fail", "false", "fetch", "filter", "first", "float", "following", "for", "foreign", "freeze", "from",
    "full", "generated", "glob", "grant", "greatest", "group", "groups", "having", "if", "ignore", "ilike",
    "immediate", "in", "index", "indexed", "initially", "inner", "inout", "insert", "instead", "int", "integer",
    "intersect", "interval", "into", "is", "isnull", "join", "key", "last", "lateral", "leading", "least", "left",
    "like", "limit", "localtime", "localtimestamp", "match", "materialized", "national", "natural", "nchar", "no",
    "none", "normalize", "not", "nothing", "notnull", "null", "nullif", "nulls", "numeric", "of", "offset", "on",
    "only", "or", "order", "others", "out", "outer", "over", "overlaps", "overlay", "partition", "placing", "plan",
    "position", "pragma", "preceding", "primary", "query", "raise", "range", "real", "recursive", "references",
    "regexp", "reindex", "release", "rename", "replace", "restrict", "returning", "right", "rollback", "row", "rows",
    "savepoint", "select", "session_user", "set", "setof", "similar", "smallint", "some", "substring", "symmetric",
    "table", "tablesample", "temp", "temporary", "then", "ties", "time", "timestamp", "to", "trailing",
    "transaction", "treat", "trigger", "trim", "true", "unbounded", "union", "unique", "update", "user", "using",
    "vacuum", "values", "varchar", "variadic", "verbose", "view", "virtual", "when", "where", "window", "with",
    "within", "without", "xmlattributes"};

bool is_vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

struct Irregular {
    std::string_view one, many;
};
constexpr std::array<Irregular, 10> irregular = {{{"person", "people"},
                                                  {"child", "children"},
                                                  {"man", "men"},
                                                  {"woman", "women"},
                                                  {"mouse", "mice"},
                                                  {"datum", "data"},
                                                  {"index", "indices"},
                                                  {"criterion", "criteria"},
                                                  {"analysis", "analyses"},
                                                  {"medium", "media"}}};
// Words whose plural is the word itself.
constexpr std::array<std::string_view, 9> uncountable = {"news",   "series", "species", "equipment", "information",
                                                         "metadata", "staff", "feedback", "inventory"};

template <typename List>
bool in(std::string_view word, const List& list) {
    return std::find(list.begin(), list.end(), word) != list.end();
}

// The last word of a snake_case name, and what comes before it.
std::pair<std::string, std::string> split_last(std::string_view name) {
    const auto cut = name.rfind('_');
    if (cut == std::string_view::npos) return {"", std::string(name)};
    return {std::string(name.substr(0, cut + 1)), std::string(name.substr(cut + 1))};
}

}  // namespace

bool is_reserved_word(std::string_view word) {
    std::string lower(word);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return in(std::string_view(lower), reserved);
}

std::string quote_identifier(std::string_view name) {
    bool plain = !name.empty() && (std::islower(static_cast<unsigned char>(name[0])) || name[0] == '_');
    for (char c : name)
        if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_'))
            plain = false;
    if (plain && !is_reserved_word(name)) return std::string(name);
    std::string out = "\"";
    for (char c : name) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

std::string identifier_of(std::string_view text) {
    std::string out;
    char previous = 0;
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isupper(u) && std::islower(static_cast<unsigned char>(previous))) out += '_';  // camelCase
        if (std::isalnum(u) && u < 128) {
            out += static_cast<char>(std::tolower(u));
        } else if (!out.empty() && out.back() != '_') {
            out += '_';
        }
        previous = c;
    }
    while (!out.empty() && out.back() == '_') out.pop_back();
    if (!out.empty() && std::isdigit(static_cast<unsigned char>(out[0]))) out = "t_" + out;
    if (out.size() > 63) {
        // Keep names distinct when cut: a short hash of the whole name.
        const std::size_t hash = std::hash<std::string>{}(out) % 0xfffff;
        char suffix[8];
        std::snprintf(suffix, sizeof suffix, "_%05zx", hash);
        out = out.substr(0, 57) + suffix;
    }
    return out;
}

std::string plural(std::string_view name) {
    auto [head, word] = split_last(name);
    if (word.empty() || in(std::string_view(word), uncountable)) return std::string(name);
    for (const auto& pair : irregular) {
        if (word == pair.one || word == pair.many) return head + std::string(pair.many);
    }
    if (looks_plural(word)) return head + word;
    const std::size_t n = word.size();
    if (n >= 2 && word[n - 1] == 'y' && !is_vowel(word[n - 2])) return head + word.substr(0, n - 1) + "ies";
    if (word.back() == 's' || word.back() == 'x' || word.back() == 'z' ||
        (n >= 2 && (word.compare(n - 2, 2, "ch") == 0 || word.compare(n - 2, 2, "sh") == 0)))
        return head + word + "es";
    return head + word + "s";
}

bool looks_plural(std::string_view word) {
    const auto cut = word.rfind('_');
    if (cut != std::string_view::npos) word = word.substr(cut + 1);
    for (const auto& pair : irregular)
        if (word == pair.many) return true;
    if (in(word, uncountable)) return true;
    const std::size_t n = word.size();
    if (n < 3 || word.back() != 's') return false;
    // status, address, class, analysis, bus: singular words ending in s.
    for (std::string_view singular_end : {"ss", "us", "is", "os"})
        if (word.compare(n - 2, 2, singular_end) == 0) return false;
    return true;
}

std::string singular(std::string_view name) {
    auto [head, word] = split_last(name);
    if (in(std::string_view(word), uncountable)) return std::string(name);
    for (const auto& pair : irregular)
        if (word == pair.many) return head + std::string(pair.one);
    if (!looks_plural(word)) return head + word;
    const std::size_t n = word.size();
    if (n > 3 && word.compare(n - 3, 3, "ies") == 0) return head + word.substr(0, n - 3) + "y";
    for (std::string_view es : {"sses", "shes", "ches", "xes", "zes", "uses"})
        if (n > es.size() && word.compare(n - es.size(), es.size(), es) == 0) return head + word.substr(0, n - 2);
    return head + word.substr(0, n - 1);
}

std::string dialect_name(Dialect dialect) { return dialect == Dialect::postgresql ? "postgresql" : "sqlite"; }

std::optional<Dialect> dialect_from(std::string_view name) {
    std::string lower(name);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == "postgresql" || lower == "postgres" || lower == "pg") return Dialect::postgresql;
    if (lower == "sqlite" || lower == "sqlite3") return Dialect::sqlite;
    return std::nullopt;
}

const Column* Table::column(std::string_view wanted) const {
    for (const auto& c : columns)
        if (c.name == wanted) return &c;
    return nullptr;
}

const Table* Schema::table(std::string_view wanted) const {
    for (const auto& t : tables)
        if (t.name == wanted) return &t;
    return nullptr;
}

Table* Schema::table(std::string_view wanted) {
    for (auto& t : tables)
        if (t.name == wanted) return &t;
    return nullptr;
}

}  // namespace dbagent
