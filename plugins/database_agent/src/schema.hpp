// The database agent's model: tables, columns, keys and indexes of one
// relational schema, the entities and relations a design starts from, and
// the migrations it writes. Plain C++ and rapidjson, no SDK types.
#pragma once

#include <devkit/artifacts.hpp>
#include <rapidjson/document.h>

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace dbagent {

// Bad input; the message starts with the field it is about (the plugin
// turns it into a 422).
struct InputError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

enum class Dialect { postgresql, sqlite };
std::string dialect_name(Dialect dialect);
// "postgresql", "postgres", "pg" or "sqlite"/"sqlite3"; nullopt otherwise.
std::optional<Dialect> dialect_from(std::string_view name);

struct Column {
    std::string name;
    std::string type;  // as the dialect spells it: "bigint", "text", "timestamptz"
    bool not_null = false;
    std::string default_sql;  // empty: no default
    bool unique = false;
    std::string extra;  // text kept verbatim after the type (identity, checks)
};

struct ForeignKey {
    std::vector<std::string> columns;
    std::string table;
    std::vector<std::string> ref_columns;
    std::string on_delete;  // "CASCADE", "SET NULL" or empty (NO ACTION)
};

struct Index {
    std::string name;
    std::string table;
    std::vector<std::string> columns;
    bool unique = false;
};

struct Table {
    std::string name;
    std::vector<Column> columns;
    std::vector<std::string> primary_key;
    std::vector<ForeignKey> foreign_keys;
    const Column* column(std::string_view name) const;
};

struct Schema {
    std::vector<Table> tables;
    std::vector<Index> indexes;
    const Table* table(std::string_view name) const;
    Table* table(std::string_view name);
};

// ---- design input ---------------------------------------------------------

struct FieldSpec {
    std::string name;
    std::string type;  // logical: text, integer, bigint, numeric, boolean, timestamp, ... ("" = from the name)
    std::optional<bool> nullable;
    std::optional<std::string> default_value;
    bool unique = false;
};

struct EntitySpec {
    std::string table;  // the table's name
    std::vector<FieldSpec> fields;
};

enum class RelationKind { one_to_many, one_to_one, many_to_many };

struct RelationSpec {
    std::string from;  // the parent (one side); for many_to_many either side
    std::string to;    // the child, which gets from's key
    RelationKind kind = RelationKind::one_to_many;
    std::string on_delete;
    bool optional = false;  // the child's key may be NULL
    std::string column;     // the child's key column ("" = <singular of from>_id)
};

struct DesignSpec {
    Dialect dialect = Dialect::postgresql;
    std::vector<EntitySpec> entities;
    std::vector<RelationSpec> relations;
    std::vector<std::string> assumptions;  // what was inferred, for the summary
};

// context.entities / context.relations as JSON, else the task's text.
// Throws InputError naming the field; an input with no entities at all is
// an error too.
DesignSpec read_design(const rapidjson::Value& context, std::string_view task, Dialect dialect);
// The free-text reader on its own (task_text.cpp).
DesignSpec design_from_text(std::string_view text, Dialect dialect);
// The dialect the context or the task names (postgresql when neither does).
Dialect read_dialect(const rapidjson::Value& context, std::string_view task);

// The schema for a design: tables with keys, types, defaults, timestamps,
// one index per foreign key.
Schema design_schema(const DesignSpec& spec);
// One field's column (type from the field or guessed from its name).
Column design_column(const FieldSpec& field, Dialect dialect, const std::string& where);

// "add a column phone to users", "add an index on orders (status)", "drop
// column legacy from users", applied to `schema` (tables it does not know
// are taken to exist with an id). False when the text asks for no change.
bool apply_text_changes(std::string_view task, Dialect dialect, Schema& current, Schema& target,
                        std::vector<std::string>& applied);

// ---- SQL ------------------------------------------------------------------

std::string quote_identifier(std::string_view name);  // quoted only when it must be
bool is_reserved_word(std::string_view word);
std::string create_table_sql(const Table& table, Dialect dialect, bool with_foreign_keys = true);
std::string create_index_sql(const Index& index, Dialect dialect, bool concurrently);
std::string drop_index_sql(const Index& index, Dialect dialect, bool concurrently);
std::string column_definition_sql(const Column& column);

// CREATE TABLE / CREATE INDEX statements read back into a schema (what the
// evolve mode diffs); other statements are ignored. Throws InputError
// naming `field` when the text holds no table or a statement cannot be read.
Schema parse_schema(std::string_view ddl, const std::string& field);

// Statements split on ';' outside quotes, comments and dollar quotes.
std::vector<std::string> split_statements(std::string_view sql);

// ---- migrations -----------------------------------------------------------

struct Migration {
    std::string name;  // "create_users"
    std::vector<std::string> up;
    std::vector<std::string> down;
    bool no_transaction = false;  // holds CREATE/DROP INDEX CONCURRENTLY
};

struct MigrationSet {
    std::vector<Migration> migrations;
    std::vector<std::string> warnings;
};

// The files: migrations/0001_name.up.sql and .down.sql, from `first`.
std::vector<devkit::Artifact> migration_files(const std::vector<Migration>& migrations, int first);

// A new schema as migrations: one per table, parents first.
MigrationSet create_migrations(const Schema& schema, Dialect dialect);
// What turns `from` into `to`: add/drop tables, columns and indexes.
MigrationSet diff_migrations(const Schema& from, const Schema& to, Dialect dialect);

// ---- review ---------------------------------------------------------------

struct MigrationFile {
    std::string path;
    std::string content;
};

struct Finding {
    std::string rule;
    std::string severity;  // error | warning
    std::string file;
    std::string statement;
    std::string message;
    std::string why;
    std::string safe_alternative;
};

std::vector<Finding> review_migrations(const std::vector<MigrationFile>& files, Dialect dialect);

// ---- names ----------------------------------------------------------------

std::string identifier_of(std::string_view text);  // snake_case, [a-z_][a-z0-9_]*, <= 63
std::string plural(std::string_view noun);
std::string singular(std::string_view noun);
bool looks_plural(std::string_view noun);

}  // namespace dbagent
