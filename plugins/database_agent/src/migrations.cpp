// Schemas as numbered up/down migrations: a new schema one table per
// migration with parents first, and the difference between two schemas as
// the changes that turn one into the other. Every up has a down that undoes
// it; PostgreSQL indexes on existing tables are built CONCURRENTLY, each in
// a migration of its own (it cannot run inside a transaction).
#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <string>

#include "schema.hpp"

namespace dbagent {
namespace {

std::string q(const std::string& name) { return quote_identifier(name); }

std::string add_foreign_key_sql(const Table& table, const ForeignKey& fk) {
    std::string cols, refs;
    for (const auto& c : fk.columns) cols += (cols.empty() ? "" : ", ") + q(c);
    for (const auto& c : fk.ref_columns) refs += (refs.empty() ? "" : ", ") + q(c);
    std::string out = "ALTER TABLE " + q(table.name) + " ADD CONSTRAINT " +
                      q(identifier_of("fk_" + table.name + "_" + fk.columns[0])) + " FOREIGN KEY (" + cols +
                      ") REFERENCES " + q(fk.table) + " (" + refs + ")";
    if (!fk.on_delete.empty()) out += " ON DELETE " + fk.on_delete;
    return out + ";";
}

std::string drop_foreign_key_sql(const Table& table, const ForeignKey& fk) {
    return "ALTER TABLE " + q(table.name) + " DROP CONSTRAINT IF EXISTS " +
           q(identifier_of("fk_" + table.name + "_" + fk.columns[0])) + ";";
}

// Tables in an order where each comes after the tables it references
// (among `tables`); a cycle keeps the given order for what is left.
std::vector<const Table*> parents_first(const std::vector<const Table*>& tables) {
    std::vector<const Table*> ordered;
    std::set<std::string> placed, wanted;
    for (const Table* t : tables) wanted.insert(t->name);
    bool progress = true;
    while (ordered.size() < tables.size() && progress) {
        progress = false;
        for (const Table* t : tables) {
            if (placed.count(t->name)) continue;
            bool ready = true;
            for (const auto& fk : t->foreign_keys)
                if (fk.table != t->name && wanted.count(fk.table) && !placed.count(fk.table)) ready = false;
            if (!ready) continue;
            ordered.push_back(t);
            placed.insert(t->name);
            progress = true;
        }
    }
    for (const Table* t : tables)
        if (!placed.count(t->name)) ordered.push_back(t);
    return ordered;
}

// Two spellings of one type ("int4" and "integer") are not a change.
std::string canonical_type(std::string type) {
    for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    static const std::map<std::string, std::string> aliases = {
        {"int", "integer"},          {"int4", "integer"},        {"serial", "integer"},
        {"int8", "bigint"},          {"bigserial", "bigint"},    {"int2", "smallint"},
        {"bool", "boolean"},         {"float8", "double precision"}, {"float4", "real"},
        {"timestamp with time zone", "timestamptz"}, {"timestamp without time zone", "timestamp"},
        {"decimal", "numeric"},      {"character varying", "varchar"}};
    const auto paren = type.find('(');
    std::string base = type.substr(0, paren), args = paren == std::string::npos ? "" : type.substr(paren);
    while (!base.empty() && base.back() == ' ') base.pop_back();
    auto found = aliases.find(base);
    if (found != aliases.end()) base = found->second;
    std::string compact;
    for (char c : args)
        if (c != ' ') compact += c;
    return base + compact;
}

bool same_index(const Index& a, const Index& b) {
    return a.table == b.table && a.columns == b.columns && a.unique == b.unique;
}

std::vector<Index> indexes_of(const Schema& schema, const std::string& table) {
    std::vector<Index> out;
    for (const auto& index : schema.indexes)
        if (index.table == table) out.push_back(index);
    return out;
}

// Create-table migrations for `tables` of `schema`; `existing` names the
// tables already there (foreign keys to them go inline).
void create_tables(const Schema& schema, const std::vector<const Table*>& tables, std::set<std::string> existing,
                   Dialect dialect, std::vector<Migration>& out) {
    const std::vector<const Table*> ordered = parents_first(tables);
    std::set<std::string> created = existing;
    // PostgreSQL checks a reference when it is declared: a key to a table
    // made later (a cycle) is added when that table exists.
    std::map<std::string, std::vector<std::pair<const Table*, ForeignKey>>> deferred;
    for (const Table* table : ordered) {
        Table written = *table;
        if (dialect == Dialect::postgresql) {
            written.foreign_keys.clear();
            for (const auto& fk : table->foreign_keys) {
                if (fk.table == table->name || created.count(fk.table)) written.foreign_keys.push_back(fk);
                else deferred[fk.table].push_back({table, fk});
            }
        }
        Migration m;
        m.name = identifier_of("create_" + table->name);
        m.up.push_back(create_table_sql(written, dialect));
        for (const auto& index : indexes_of(schema, table->name)) m.up.push_back(create_index_sql(index, dialect, false));
        for (const auto& [child, fk] : deferred[table->name]) {
            m.up.push_back(add_foreign_key_sql(*child, fk));
            m.down.push_back(drop_foreign_key_sql(*child, fk));
        }
        m.down.push_back("DROP TABLE IF EXISTS " + q(table->name) + ";");
        created.insert(table->name);
        out.push_back(std::move(m));
    }
}

// A column as ADD COLUMN can add it to a table that has rows: SQLite (and
// any populated table) refuses NOT NULL without a default, SQLite refuses a
// non-constant default.
Column addable(const Table& table, Column column, Dialect dialect, std::vector<std::string>& warnings) {
    const std::string where = table.name + "." + column.name;
    if (column.not_null && column.default_sql.empty()) {
        column.not_null = false;
        warnings.push_back(where + " is added as NULL: a NOT NULL column without a default cannot be added to a table "
                                   "with rows; backfill it, then set NOT NULL in a later migration");
    }
    std::string lower = column.default_sql;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (dialect == Dialect::sqlite && (lower.find('(') != std::string::npos || lower.find("current_") == 0)) {
        warnings.push_back(where + " is added without its default " + column.default_sql +
                           ": SQLite's ADD COLUMN takes only constant defaults");
        column.default_sql.clear();
        column.not_null = false;
    }
    if (column.unique) {
        column.unique = false;
        warnings.push_back(where + " is added without UNIQUE (ADD COLUMN cannot add it to a table with rows); "
                                   "a unique index enforces it");
    }
    column.extra.clear();  // identity and CHECK clauses are not added to existing rows here
    return column;
}

std::string add_column_sql(const Table& table, const Column& column, const ForeignKey* fk) {
    std::string out = "ALTER TABLE " + q(table.name) + " ADD COLUMN " + column_definition_sql(column);
    if (fk != nullptr) {
        out += " REFERENCES " + q(fk->table) + " (" + q(fk->ref_columns.empty() ? "id" : fk->ref_columns[0]) + ")";
        if (!fk->on_delete.empty()) out += " ON DELETE " + fk->on_delete;
    }
    return out + ";";
}

std::string join_names(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : "_") + n;
    return out;
}

}  // namespace

MigrationSet create_migrations(const Schema& schema, Dialect dialect) {
    MigrationSet set;
    std::vector<const Table*> tables;
    for (const auto& t : schema.tables) tables.push_back(&t);
    create_tables(schema, tables, {}, dialect, set.migrations);
    return set;
}

MigrationSet diff_migrations(const Schema& from, const Schema& to, Dialect dialect) {
    MigrationSet set;
    auto& out = set.migrations;
    const bool pg = dialect == Dialect::postgresql;

    // 1. New tables, with their indexes (new tables are empty: no CONCURRENTLY needed).
    std::vector<const Table*> added;
    std::set<std::string> existing;
    for (const auto& t : to.tables) {
        if (from.table(t.name) == nullptr) added.push_back(&t);
        else existing.insert(t.name);
    }
    create_tables(to, added, existing, dialect, out);

    // 2. New and changed columns of tables on both sides.
    for (const auto& target : to.tables) {
        const Table* current = from.table(target.name);
        if (current == nullptr) continue;
        Migration m;
        std::vector<std::string> names;
        for (const auto& column : target.columns) {
            const Column* old = current->column(column.name);
            if (old == nullptr) {
                const ForeignKey* fk = nullptr;
                for (const auto& key : target.foreign_keys)
                    if (key.columns.size() == 1 && key.columns[0] == column.name) fk = &key;
                const Column written = addable(target, column, dialect, set.warnings);
                m.up.push_back(add_column_sql(target, written, fk));
                m.down.insert(m.down.begin(),
                              "ALTER TABLE " + q(target.name) + " DROP COLUMN " + q(column.name) + ";");
                names.push_back(column.name);
            } else if (canonical_type(old->type) != canonical_type(column.type)) {
                if (!pg) {
                    set.warnings.push_back(target.name + "." + column.name + " changes type from " + old->type +
                                           " to " + column.type +
                                           ": SQLite cannot alter a column's type; rebuild the table to change it");
                    continue;
                }
                m.up.push_back("ALTER TABLE " + q(target.name) + " ALTER COLUMN " + q(column.name) + " TYPE " +
                               column.type + " USING " + q(column.name) + "::" + column.type + ";");
                m.down.insert(m.down.begin(), "ALTER TABLE " + q(target.name) + " ALTER COLUMN " + q(column.name) +
                                                  " TYPE " + old->type + " USING " + q(column.name) + "::" +
                                                  old->type + ";");
                set.warnings.push_back(target.name + "." + column.name + " changes type from " + old->type + " to " +
                                       column.type +
                                       ": ALTER COLUMN TYPE rewrites the table under an ACCESS EXCLUSIVE lock");
                names.push_back(column.name);
            }
        }
        if (m.up.empty()) continue;
        m.name = identifier_of("alter_" + target.name + "_" + join_names(names));
        if (names.size() <= 3 && m.up[0].find(" ADD COLUMN ") != std::string::npos)
            m.name = identifier_of("add_" + join_names(names) + "_to_" + target.name);
        out.push_back(std::move(m));
    }

    // 3. New indexes on tables that already exist.
    Migration sqlite_indexes;
    for (const auto& index : to.indexes) {
        if (!existing.count(index.table)) continue;
        bool present = false;
        for (const auto& old : from.indexes) present = present || same_index(old, index);
        if (present) continue;
        if (pg) {
            Migration m;
            m.name = identifier_of("add_index_" + index.name);
            m.no_transaction = true;
            m.up.push_back(create_index_sql(index, dialect, true));
            m.down.push_back(drop_index_sql(index, dialect, true));
            out.push_back(std::move(m));
        } else {
            sqlite_indexes.up.push_back(create_index_sql(index, dialect, false));
            sqlite_indexes.down.insert(sqlite_indexes.down.begin(), drop_index_sql(index, dialect, false));
        }
    }
    if (!sqlite_indexes.up.empty()) {
        sqlite_indexes.name = "add_indexes";
        out.push_back(std::move(sqlite_indexes));
    }

    // 4. Indexes that go (on tables that stay): before their columns go.
    for (const auto& index : from.indexes) {
        if (to.table(index.table) == nullptr) continue;
        bool kept = false;
        for (const auto& wanted : to.indexes) kept = kept || same_index(index, wanted);
        if (kept) continue;
        Migration m;
        m.name = identifier_of("drop_index_" + index.name);
        m.no_transaction = pg;
        m.up.push_back(drop_index_sql(index, dialect, pg));
        m.down.push_back(create_index_sql(index, dialect, pg));
        out.push_back(std::move(m));
    }

    // 5. Columns that go.
    for (const auto& current : from.tables) {
        const Table* target = to.table(current.name);
        if (target == nullptr) continue;
        Migration m;
        std::vector<std::string> names;
        for (const auto& column : current.columns) {
            if (target->column(column.name) != nullptr) continue;
            const ForeignKey* fk = nullptr;
            for (const auto& key : current.foreign_keys)
                if (std::find(key.columns.begin(), key.columns.end(), column.name) != key.columns.end()) fk = &key;
            const bool keyed = std::find(current.primary_key.begin(), current.primary_key.end(), column.name) !=
                               current.primary_key.end();
            if (!pg && (fk != nullptr || keyed || column.unique)) {
                set.warnings.push_back(current.name + "." + column.name +
                                       " is not dropped: SQLite cannot drop a key, unique or foreign-key column; "
                                       "rebuild the table to remove it");
                continue;
            }
            m.up.push_back("ALTER TABLE " + q(current.name) + " DROP COLUMN " + q(column.name) + ";");
            m.down.insert(m.down.begin(), add_column_sql(current, addable(current, column, dialect, set.warnings), fk));
            set.warnings.push_back(current.name + "." + column.name +
                                   " is dropped: deploy code that no longer reads it first; its down migration "
                                   "re-adds the column but not its data");
            names.push_back(column.name);
        }
        if (m.up.empty()) continue;
        m.name = identifier_of("drop_" + join_names(names) + "_from_" + current.name);
        out.push_back(std::move(m));
    }

    // 6. Tables that go: children before parents; each down recreates its table.
    std::vector<const Table*> dropped;
    for (const auto& t : from.tables)
        if (to.table(t.name) == nullptr) dropped.push_back(&t);
    std::vector<const Table*> order = parents_first(dropped);
    std::reverse(order.begin(), order.end());
    for (const Table* table : order) {
        Migration m;
        m.name = identifier_of("drop_" + table->name);
        m.up.push_back("DROP TABLE " + q(table->name) + ";");
        m.down.push_back(create_table_sql(*table, dialect));
        for (const auto& index : indexes_of(from, table->name)) m.down.push_back(create_index_sql(index, dialect, false));
        set.warnings.push_back("table " + table->name + " is dropped with its data");
        out.push_back(std::move(m));
    }
    return set;
}

std::vector<devkit::Artifact> migration_files(const std::vector<Migration>& migrations, int first) {
    std::vector<devkit::Artifact> files;
    int number = first;
    for (const auto& m : migrations) {
        char prefix[32];
        std::snprintf(prefix, sizeof prefix, "%04d_", number++);
        const std::string base = "migrations/" + std::string(prefix) + m.name;
        const std::string note =
            m.no_transaction ? "-- Run outside a transaction: CREATE/DROP INDEX CONCURRENTLY cannot run inside one.\n"
                             : "";
        auto body = [&](const std::vector<std::string>& statements, const char* direction) {
            std::string text = "-- " + std::string(prefix) + m.name + " (" + direction + ")\n" + note;
            for (const auto& s : statements) text += "\n" + s + "\n";
            return text;
        };
        files.push_back({base + ".up.sql", body(m.up, "up"), "application/sql"});
        files.push_back({base + ".down.sql", body(m.down, "down"), "application/sql"});
    }
    return files;
}

}  // namespace dbagent
