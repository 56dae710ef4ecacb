// Review mode: the migration rules that bite in production (those squawk
// and strong_migrations enforce), each finding with why it hurts and the
// safe way to do the same thing. Tables created in the same set are new and
// empty, so the rules about locking and rows do not apply to them.
#include <algorithm>
#include <limits>
#include <map>
#include <set>
#include <string>

#include "schema.hpp"
#include "sql_tokens.hpp"

namespace dbagent {
namespace {

bool ends(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string excerpt(const std::string& statement) {
    std::string out;
    for (char c : statement) {
        if (c == '\n' || c == '\t' || c == '\r') c = ' ';
        if (c == ' ' && !out.empty() && out.back() == ' ') continue;
        out += c;
    }
    return out.size() > 200 ? out.substr(0, 197) + "..." : out;
}

// A type's family and width, to tell whether a change narrows it.
struct Width {
    std::string family;
    double size = std::numeric_limits<double>::infinity();
};
Width width_of(std::string type) {
    for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto paren = type.find('(');
    std::string base = type.substr(0, paren);
    while (!base.empty() && base.back() == ' ') base.pop_back();
    double bound = std::numeric_limits<double>::infinity();
    if (paren != std::string::npos) {
        try {
            bound = std::stod(type.substr(paren + 1));
        } catch (...) {
        }
    }
    if (base == "smallint" || base == "int2") return {"integer", 2};
    if (base == "integer" || base == "int" || base == "int4" || base == "serial") return {"integer", 4};
    if (base == "bigint" || base == "int8" || base == "bigserial") return {"integer", 8};
    if (base == "text" || base == "varchar" || base == "character varying" || base == "char" || base == "character" ||
        base == "citext")
        return {"text", bound};
    if (base == "numeric" || base == "decimal") return {"numeric", bound};
    if (base == "real" || base == "float4") return {"float", 4};
    if (base == "double precision" || base == "float8" || base == "float") return {"float", 8};
    if (base == "timestamptz" || base == "timestamp with time zone" || base == "timestamp") return {"time", 8};
    if (base == "date") return {"time", 4};
    return {base, std::numeric_limits<double>::infinity()};
}

bool bounded(const Width& w) { return w.size != std::numeric_limits<double>::infinity(); }

// Defaults PostgreSQL must compute row by row, rewriting the table.
bool volatile_default(const std::string& sql) {
    std::string lower = sql;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (std::string_view f : {"random(", "gen_random_uuid(", "uuid_generate_v", "clock_timestamp(", "timeofday(",
                               "nextval(", "statement_timestamp("})
        if (lower.find(f) != std::string::npos) return true;
    return false;
}

struct Reviewer {
    Dialect dialect;
    std::vector<Finding> findings;
    std::set<std::string> created;  // tables made in this set
    std::map<std::string, std::map<std::string, std::string>> types;  // table -> column -> type, as created here
    struct Key {
        std::string table, column, file, statement;
    };
    std::vector<Key> foreign_keys;
    std::set<std::pair<std::string, std::string>> indexed;  // (table, leading column)

    void add(const std::string& rule, const std::string& severity, const std::string& file,
             const std::string& statement, std::string message, std::string why, std::string safe) {
        findings.push_back({rule, severity, file, excerpt(statement), std::move(message), std::move(why),
                            std::move(safe)});
    }

    bool existing(const std::string& table) const { return !created.count(table); }

    void statement(const std::string& file, const std::string& text) {
        const std::vector<Token> t = tokenize_sql(text);
        if (t.empty()) return;
        std::size_t i = 1;
        if (t[0].is("create")) {
            while (i < t.size() && (t[i].is("temp") || t[i].is("temporary") || t[i].is("unlogged"))) ++i;
            if (i < t.size() && t[i].is("table")) return create_table(file, text);
            const bool unique = i < t.size() && t[i].is("unique");
            if (unique) ++i;
            if (i < t.size() && t[i].is("index")) return create_index(file, text, t, i + 1, unique);
        } else if (t[0].is("alter") && t.size() > 1 && t[1].is("table")) {
            return alter_table(file, text, t);
        } else if (t[0].is("drop") && t.size() > 1 && t[1].is("table")) {
            std::size_t k = 2;
            if (k + 1 < t.size() && t[k].is("if") && t[k + 1].is("exists")) k += 2;
            const std::string table = read_name(t, k);
            if (existing(table))
                add("drop-table", "warning", file, text, "drops table " + table + " and its data",
                    "Code still reading the table fails at once, and the data cannot be restored by a down migration.",
                    "Stop using the table in a deploy first; drop it in a later release, after a backup.");
        }
    }

    void create_table(const std::string& file, const std::string& text) {
        Schema one = parse_schema(text, "context.migrations (" + file + ")");
        for (const auto& table : one.tables) {
            created.insert(table.name);
            for (const auto& c : table.columns) types[table.name][c.name] = c.type;
            if (!table.primary_key.empty()) indexed.insert({table.name, table.primary_key[0]});
            for (const auto& c : table.columns)
                if (c.unique) indexed.insert({table.name, c.name});
            for (const auto& fk : table.foreign_keys) foreign_keys.push_back({table.name, fk.columns[0], file, text});
        }
        for (const auto& index : one.indexes) indexed.insert({index.table, index.columns[0]});
    }

    void create_index(const std::string& file, const std::string& text, const std::vector<Token>& t, std::size_t i,
                      bool unique) {
        const bool concurrently = i < t.size() && t[i].is("concurrently");
        if (concurrently) ++i;
        if (i + 2 < t.size() && t[i].is("if") && t[i + 1].is("not") && t[i + 2].is("exists")) i += 3;
        if (i < t.size() && !t[i].is("on")) read_name(t, i);
        if (i < t.size() && t[i].is("on")) ++i;
        if (i < t.size() && t[i].is("only")) ++i;
        const std::string table = read_name(t, i);
        if (i < t.size() && t[i].is("using")) i += 2;
        const auto columns = read_name_list(t, i);
        if (!columns.empty()) indexed.insert({table, columns[0]});
        if (dialect == Dialect::postgresql && !concurrently && existing(table))
            add("create-index-not-concurrently", "error", file, text,
                std::string("builds ") + (unique ? "a unique " : "an ") + "index on " + table + " without CONCURRENTLY",
                "CREATE INDEX takes a SHARE lock: every INSERT, UPDATE and DELETE on " + table +
                    " waits until the whole index is built.",
                "CREATE INDEX CONCURRENTLY, in a migration of its own that runs outside a transaction (check for an "
                "INVALID index if it fails, drop it and retry).");
    }

    void alter_table(const std::string& file, const std::string& text, const std::vector<Token>& t) {
        std::size_t i = 2;
        if (i + 1 < t.size() && t[i].is("if") && t[i + 1].is("exists")) i += 2;
        if (i < t.size() && t[i].is("only")) ++i;
        const std::string table = read_name(t, i);
        const bool old = existing(table);
        for (auto [b, e] : split_commas(t, i, t.size())) {
            std::size_t k = b;
            if (t[k].is("add")) {
                ++k;
                if (k < e && (t[k].is("constraint") || t[k].is("foreign") || t[k].is("check") || t[k].is("unique") ||
                              t[k].is("primary"))) {
                    add_constraint(file, text, t, table, k, e, old);
                    continue;
                }
                if (k < e && t[k].is("column")) ++k;
                if (k + 2 < e && t[k].is("if") && t[k + 1].is("not") && t[k + 2].is("exists")) k += 3;
                if (k >= e) continue;
                const ParsedColumn parsed = parse_column(t, k, e);
                const Column& c = parsed.column;
                types[table][c.name] = c.type;
                if (parsed.references) foreign_keys.push_back({table, c.name, file, text});
                if (c.unique || parsed.primary_key) indexed.insert({table, c.name});
                if (old && c.not_null && c.default_sql.empty())
                    add("not-null-without-default", "error", file, text,
                        "adds NOT NULL column " + table + "." + c.name + " without a default",
                        "Every existing row would hold NULL: the migration fails on a populated table (and SQLite "
                        "refuses it outright).",
                        "Add the column as NULL (or with a constant DEFAULT), backfill it in batches, then set NOT "
                        "NULL in a later migration (on PostgreSQL: a CHECK (" + c.name +
                            " IS NOT NULL) NOT VALID constraint, VALIDATE it, then SET NOT NULL).");
                if (old && dialect == Dialect::postgresql && volatile_default(c.default_sql))
                    add("volatile-default", "error", file, text,
                        "adds " + table + "." + c.name + " with the volatile default " + c.default_sql,
                        "A volatile default is computed for every row: PostgreSQL rewrites the whole table under an "
                        "ACCESS EXCLUSIVE lock, blocking reads and writes until it is done.",
                        "Add the column without a default (or NULL), set the default for new rows with ALTER COLUMN "
                        "SET DEFAULT, and backfill existing rows in batches.");
            } else if (t[k].is("drop")) {
                ++k;
                if (k < e && t[k].is("constraint")) continue;
                if (k < e && t[k].is("column")) ++k;
                if (k + 1 < e && t[k].is("if") && t[k + 1].is("exists")) k += 2;
                if (k >= e || !old) continue;
                add("drop-column", "error", file, text, "drops column " + table + "." + t[k].text,
                    "Running code (and the previous release during a rolling deploy) still selects or writes it and "
                    "fails the moment it is gone; its data is lost.",
                    "First deploy code that no longer uses the column (Rails: ignored_columns), then drop it in a "
                    "later migration.");
            } else if (t[k].is("rename")) {
                ++k;
                if (k < e && t[k].is("constraint")) continue;
                if (k < e && t[k].is("to")) {
                    if (old)
                        add("rename-table", "error", file, text, "renames table " + table,
                            "Code that uses the old name breaks as soon as the migration runs.",
                            "Create the new table (or a view under the new name), write to both, move readers, then "
                            "drop the old one.");
                    continue;
                }
                if (k < e && t[k].is("column")) ++k;
                if (old && k < e)
                    add("rename-column", "error", file, text, "renames column " + table + "." + t[k].text,
                        "Running code still uses the old name and fails until it is redeployed.",
                        "Add the new column, write to both, backfill, move reads to the new one, then drop the old "
                        "column in a later release.");
            } else if (t[k].is("alter")) {
                ++k;
                if (k < e && t[k].is("column")) ++k;
                if (k >= e) continue;
                const std::string column = t[k].text;
                ++k;
                if (k + 1 < e && t[k].is("set") && t[k + 1].is("data")) k += 2;
                if (k < e && t[k].is("type")) {
                    std::size_t j = k + 1;
                    while (j < e && !t[j].is("using") && !t[j].is("collate")) ++j;
                    std::string type = join_tokens(t, k + 1, j);
                    alter_type(file, text, table, column, type, old);
                } else if (k + 1 < e && t[k].is("set") && t[k + 1].is("not") && old &&
                           dialect == Dialect::postgresql) {
                    add("set-not-null", "warning", file, text, "sets " + table + "." + column + " NOT NULL",
                        "PostgreSQL scans the whole table to check it under an ACCESS EXCLUSIVE lock.",
                        "Add CHECK (" + column + " IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT it (no write lock), "
                        "then SET NOT NULL (PostgreSQL 12+ uses the valid check and skips the scan).");
                }
            }
        }
    }

    void alter_type(const std::string& file, const std::string& text, const std::string& table,
                    const std::string& column, const std::string& type, bool old) {
        const auto known = types[table].find(column);
        const Width to = width_of(type);
        if (known != types[table].end()) {
            const Width from = width_of(known->second);
            if (from.family == to.family && to.size < from.size)
                add("narrowing-type", "error", file, text,
                    "narrows " + table + "." + column + " from " + known->second + " to " + type,
                    "Values that fit the old type fail the cast (the migration aborts) or, for numerics, lose "
                    "precision; code still writing wide values fails after it.",
                    "Add a new column of the narrower type, backfill with a checked conversion, switch code over, "
                    "then drop the old column.");
            types[table][column] = type;
        } else if (bounded(to) || to.size <= 4) {
            add("narrowing-type", "warning", file, text,
                "changes " + table + "." + column + " to the bounded type " + type + " (may narrow it)",
                "If existing values are wider than " + type + ", the cast fails and the migration aborts; if they "
                                                              "fit, precision or range can still be lost.",
                "Check the largest existing value first; to change safely add a new column, backfill, switch code, "
                "drop the old one.");
        }
        if (old && dialect == Dialect::postgresql)
            add("alter-column-type", "error", file, text, "changes the type of " + table + "." + column + " to " + type,
                "ALTER COLUMN TYPE rewrites the table and its indexes under an ACCESS EXCLUSIVE lock: reads and "
                "writes wait for the whole rewrite (only a few binary-compatible changes skip it).",
                "Add a new column of the new type, backfill in batches, switch reads and writes, then drop the old "
                "column; or for varchar limits use a CHECK constraint added NOT VALID and validated.");
    }

    void add_constraint(const std::string& file, const std::string& text, const std::vector<Token>& t,
                        const std::string& table, std::size_t k, std::size_t e, bool old) {
        if (t[k].is("constraint")) k += 2;
        if (k >= e) return;
        bool not_valid = false;
        for (std::size_t j = k; j + 1 < e; ++j) not_valid = not_valid || (t[j].is("not") && t[j + 1].is("valid"));
        if (t[k].is("foreign")) {
            std::size_t j = k + 2;
            const auto columns = read_name_list(t, j);
            if (!columns.empty()) foreign_keys.push_back({table, columns[0], file, text});
        }
        if ((t[k].is("primary") || t[k].is("unique"))) {
            std::size_t j = k + (t[k].is("primary") ? 2 : 1);
            const auto columns = read_name_list(t, j);
            if (!columns.empty()) indexed.insert({table, columns[0]});
        }
        if (old && !not_valid && dialect == Dialect::postgresql && (t[k].is("foreign") || t[k].is("check")))
            add("constraint-validation-lock", "warning", file, text,
                "adds a " + std::string(t[k].is("foreign") ? "foreign key" : "check") + " constraint to " + table +
                    " and validates it at once",
                "Validation scans every row while holding a lock that blocks writes (a foreign key also locks the "
                "referenced table).",
                "Add the constraint NOT VALID, then ALTER TABLE ... VALIDATE CONSTRAINT in a separate migration "
                "(it takes a weaker lock).");
    }

    void finish() {
        for (const auto& key : foreign_keys) {
            if (indexed.count({key.table, key.column})) continue;
            add("foreign-key-without-index", "error", key.file, key.statement,
                "foreign key " + key.table + "." + key.column + " has no index",
                "Joins on it scan the table, and every DELETE or key UPDATE on the referenced table scans " +
                    key.table + " to check it, holding locks meanwhile.",
                "CREATE INDEX" + std::string(dialect == Dialect::postgresql ? " CONCURRENTLY" : "") + " ON " +
                    key.table + " (" + key.column + ");");
        }
    }
};

}  // namespace

std::vector<Finding> review_migrations(const std::vector<MigrationFile>& given, Dialect dialect) {
    std::vector<MigrationFile> files = given;
    std::stable_sort(files.begin(), files.end(),
                     [](const MigrationFile& a, const MigrationFile& b) { return a.path < b.path; });
    Reviewer reviewer{dialect, {}, {}, {}, {}, {}};
    std::set<std::string> downs;
    for (const auto& file : files)
        if (ends(file.path, ".down.sql") && !split_statements(file.content).empty())
            downs.insert(file.path.substr(0, file.path.size() - 9));
    for (const auto& file : files) {
        if (ends(file.path, ".down.sql")) continue;  // a down undoes; its drops are the point
        const std::vector<std::string> statements = split_statements(file.content);
        for (const auto& statement : statements) reviewer.statement(file.path, statement);
        // CONCURRENTLY cannot run in a transaction block, and a file of several
        // statements runs as one (psql -1, most migration tools, libpq's PQexec).
        if (dialect == Dialect::postgresql && statements.size() > 1)
            for (const auto& statement : statements) {
                const auto t = tokenize_sql(statement);
                bool concurrently = false;
                for (std::size_t i = 0; i + 1 < t.size() && i < 4; ++i)
                    concurrently = concurrently || ((t[i].is("index")) && t[i + 1].is("concurrently"));
                if (!concurrently) continue;
                reviewer.add("concurrently-in-transaction", "error", file.path, statement,
                             "runs CREATE/DROP INDEX CONCURRENTLY in a file with other statements",
                             "CONCURRENTLY cannot run inside a transaction block; a migration file run as one "
                             "transaction fails with 'cannot run inside a transaction block'.",
                             "Put each CONCURRENTLY statement in a migration of its own and mark it to run outside a "
                             "transaction (golang-migrate: one statement per file; Rails: disable_ddl_transaction!).");
            }
        if (ends(file.path, ".up.sql") && !downs.count(file.path.substr(0, file.path.size() - 7)))
            reviewer.add("missing-down-migration", "error", file.path, "",
                         file.path + " has no down migration (" + file.path.substr(0, file.path.size() - 7) +
                             ".down.sql is missing or empty)",
                         "Without it a failed deploy cannot be rolled back by the migration tool, and nobody has "
                         "thought through what undoing the change means.",
                         "Write the .down.sql that reverses every statement of the up (in reverse order); if the "
                         "change truly cannot be undone, make the down fail loudly with a comment saying why.");
    }
    reviewer.finish();
    return reviewer.findings;
}

}  // namespace dbagent
