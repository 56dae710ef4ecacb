// From entities and relations to tables: an id primary key, sensible types
// for each field (named or guessed from the field's name), NOT NULL unless a
// field is optional, defaults, created_at/updated_at, a foreign key for each
// relation with an index on it, and join tables for many-to-many.
#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string>

#include "schema.hpp"

namespace dbagent {
namespace {

bool starts(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }
bool ends(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// A logical type guessed from a field's name.
std::string type_from_name(const std::string& name) {
    if (name == "id" || ends(name, "_id")) return "bigint";
    if (ends(name, "_at") || name == "timestamp") return "timestamp";
    if (ends(name, "_on") || ends(name, "_date") || name == "date" || name == "birthday" || name == "dob") return "date";
    if (starts(name, "is_") || starts(name, "has_") || starts(name, "can_") || name == "active" || name == "enabled" ||
        name == "verified" || name == "published" || name == "archived" || name == "deleted")
        return "boolean";
    for (std::string_view money : {"price", "amount", "total", "cost", "balance", "subtotal", "tax", "discount", "fee",
                                   "salary", "budget"})
        if (name == money || ends(name, std::string("_") + std::string(money))) return "money";
    for (std::string_view count : {"quantity", "qty", "count", "stock", "age", "position", "rank", "rating",
                                   "priority", "year", "version", "size", "duration_seconds", "attempts"})
        if (name == count || ends(name, std::string("_") + std::string(count))) return "integer";
    if (name == "uuid" || ends(name, "_uuid") || name == "guid") return "uuid";
    if (name == "metadata" || name == "settings" || name == "attributes" || name == "payload" || name == "data" ||
        ends(name, "_json"))
        return "json";
    if (name == "latitude" || name == "longitude" || name == "lat" || name == "lng" || name == "score" ||
        name == "weight")
        return "double";
    return "text";
}

// Fields that are usually optional.
bool optional_by_name(const std::string& name) {
    if (ends(name, "_at")) return true;  // published_at, deleted_at: set later
    for (std::string_view optional : {"description", "notes", "note", "bio", "phone", "phone_number", "middle_name",
                                      "avatar_url", "website", "comment", "subtitle", "nickname", "image_url"})
        if (name == optional) return true;
    return false;
}

struct Rendered {
    std::string type;
    std::string check;  // a CHECK for a SQLite boolean
};

// The dialect's spelling of a logical type (or a type the user wrote).
Rendered render_type(const std::string& logical, Dialect dialect, const std::string& column, const std::string& field) {
    std::string t;
    for (char c : logical) t += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const bool pg = dialect == Dialect::postgresql;
    // varchar(n), char(n), numeric(p,s), decimal(p,s): keep the bounds on PostgreSQL.
    const auto paren = t.find('(');
    const std::string base = t.substr(0, paren);
    std::string args = paren == std::string::npos ? "" : t.substr(paren);
    if (!args.empty()) {
        bool ok = args.back() == ')';
        for (char c : args.substr(1, args.size() > 1 ? args.size() - 2 : 0))
            if (!(std::isdigit(static_cast<unsigned char>(c)) || c == ',' || c == ' ')) ok = false;
        if (!ok) throw InputError(field + ": type '" + logical + "' has malformed bounds");
    }
    if (base == "string" || base == "text" || base == "varchar" || base == "char" || base == "character varying" ||
        base == "email" || base == "url" || base == "enum")
        return {pg && !args.empty() && base != "text" ? (base == "char" ? "char" : "varchar") + args : "text", ""};
    if (base == "int" || base == "integer" || base == "int4") return {"integer", ""};
    if (base == "bigint" || base == "long" || base == "int8" || base == "reference") return {pg ? "bigint" : "integer", ""};
    if (base == "smallint" || base == "int2" || base == "short") return {pg ? "smallint" : "integer", ""};
    if (base == "money" || base == "currency") return {pg ? "numeric(12,2)" : "numeric", ""};
    if (base == "decimal" || base == "numeric") return {pg ? "numeric" + args : "numeric", ""};
    if (base == "float" || base == "double" || base == "real" || base == "double precision" || base == "number")
        return {pg ? "double precision" : "real", ""};
    if (base == "bool" || base == "boolean")
        return {pg ? "boolean" : "integer", pg ? "" : "CHECK (" + quote_identifier(column) + " IN (0, 1))"};
    if (base == "timestamp" || base == "timestamptz" || base == "datetime") return {pg ? "timestamptz" : "text", ""};
    if (base == "date") return {pg ? "date" : "text", ""};
    if (base == "time") return {pg ? "time" : "text", ""};
    if (base == "uuid") return {pg ? "uuid" : "text", ""};
    if (base == "json" || base == "jsonb" || base == "object") return {pg ? "jsonb" : "text", ""};
    if (base == "bytes" || base == "binary" || base == "blob" || base == "bytea") return {pg ? "bytea" : "blob", ""};
    throw InputError(field + ": unknown type '" + logical +
                     "' (use text, varchar(n), integer, bigint, smallint, numeric(p,s), money, double, boolean, "
                     "date, time, timestamp, uuid, json or bytes)");
}

// A default given as a JSON-ish value, as SQL.
std::string default_sql(const std::string& value, const std::string& logical, Dialect dialect) {
    const bool pg = dialect == Dialect::postgresql;
    const std::string lower = [&] {
        std::string out;
        for (char c : value) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return out;
    }();
    if (lower == "now" || lower == "now()" || lower == "current_timestamp") return pg ? "now()" : "CURRENT_TIMESTAMP";
    if (lower == "true" || lower == "false") return pg ? lower : (lower == "true" ? "1" : "0");
    if (lower == "null") return "NULL";
    bool numeric = !value.empty();
    for (char c : value)
        if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '-')) numeric = false;
    if (numeric && logical != "text" && logical != "string") return value;
    std::string quoted = "'";
    for (char c : value) {
        if (c == '\'') quoted += '\'';
        quoted += c;
    }
    return quoted + "'";
}

Column timestamp_column(const std::string& name, Dialect dialect) {
    Column c;
    c.name = name;
    c.type = dialect == Dialect::postgresql ? "timestamptz" : "text";
    c.not_null = true;
    c.default_sql = dialect == Dialect::postgresql ? "now()" : "CURRENT_TIMESTAMP";
    return c;
}

Column id_column(Dialect dialect) {
    Column c;
    c.name = "id";
    c.type = dialect == Dialect::postgresql ? "bigint" : "integer";
    c.not_null = true;
    if (dialect == Dialect::postgresql) c.extra = "GENERATED ALWAYS AS IDENTITY";
    return c;
}

Column key_column(const std::string& name, bool optional, Dialect dialect) {
    Column c;
    c.name = name;
    c.type = dialect == Dialect::postgresql ? "bigint" : "integer";
    c.not_null = !optional;
    return c;
}

std::string index_name(const std::string& table, const std::vector<std::string>& columns) {
    std::string name = "idx_" + table;
    for (const auto& column : columns) name += "_" + column;
    return identifier_of(name);
}

}  // namespace

Column design_column(const FieldSpec& field, Dialect dialect, const std::string& where) {
    const std::string logical = field.type.empty() ? type_from_name(field.name) : field.type;
    Rendered rendered = render_type(logical, dialect, field.name, where);
    Column column;
    column.name = field.name;
    column.type = rendered.type;
    column.extra = rendered.check;
    column.not_null = !field.nullable.value_or(optional_by_name(field.name));
    column.unique = field.unique || (field.name == "email" || field.name == "username" || field.name == "slug" ||
                                     field.name == "sku");
    if (field.default_value) {
        column.default_sql = default_sql(*field.default_value, logical, dialect);
    } else if ((logical == "boolean" || logical == "bool") && column.not_null) {
        column.default_sql = dialect == Dialect::postgresql ? "false" : "0";
    }
    return column;
}

Schema design_schema(const DesignSpec& spec) {
    Schema schema;
    const Dialect dialect = spec.dialect;
    std::set<std::string> names;
    for (const auto& entity : spec.entities) {
        if (!names.insert(entity.table).second) continue;
        Table table;
        table.name = entity.table;
        table.columns.push_back(id_column(dialect));
        table.primary_key = {"id"};
        std::set<std::string> seen = {"id", "created_at", "updated_at"};
        for (std::size_t i = 0; i < entity.fields.size(); ++i) {
            const FieldSpec& field = entity.fields[i];
            if (!seen.insert(field.name).second) continue;
            const std::string where = "context.entities: entity " + entity.table + ", field " + field.name;
            Column column = design_column(field, dialect, where);
            table.columns.push_back(column);
        }
        schema.tables.push_back(std::move(table));
    }
    for (const auto& relation : spec.relations) {
        Table* parent = schema.table(relation.from);
        Table* child = schema.table(relation.to);
        if (parent == nullptr || child == nullptr) continue;  // read_design checks names
        if (relation.kind == RelationKind::many_to_many) {
            Table join;
            join.name = identifier_of(singular(relation.from) + "_" + relation.to);
            if (schema.table(join.name) != nullptr) continue;
            const std::string left = identifier_of(singular(relation.from) + "_id");
            std::string right = identifier_of(singular(relation.to) + "_id");
            if (right == left) right = identifier_of("related_" + right);  // a self many-to-many
            join.columns = {key_column(left, false, dialect), key_column(right, false, dialect),
                            timestamp_column("created_at", dialect)};
            join.primary_key = {left, right};
            join.foreign_keys.push_back({{left}, relation.from, {"id"}, "CASCADE"});
            join.foreign_keys.push_back({{right}, relation.to, {"id"}, "CASCADE"});
            // The primary key serves lookups by its first column; the second needs its own.
            schema.indexes.push_back({index_name(join.name, {right}), join.name, {right}, false});
            schema.tables.push_back(std::move(join));
            continue;
        }
        std::string column = relation.column.empty() ? identifier_of(singular(relation.from) + "_id") : relation.column;
        if (relation.from == relation.to && relation.column.empty()) column = "parent_id";
        if (child->column(column) != nullptr) {
            // The child already names the key as a field: keep it, make its type match.
            for (auto& c : child->columns)
                if (c.name == column) c.type = dialect == Dialect::postgresql ? "bigint" : "integer";
        } else {
            const bool optional = relation.optional || relation.from == relation.to;
            Column key = key_column(column, optional, dialect);
            key.unique = relation.kind == RelationKind::one_to_one;
            child->columns.push_back(key);
        }
        std::string on_delete = relation.on_delete;
        if (on_delete.empty() && relation.from == relation.to) on_delete = "SET NULL";
        child->foreign_keys.push_back({{column}, relation.from, {"id"}, on_delete});
        // A UNIQUE key is already indexed.
        if (relation.kind != RelationKind::one_to_one)
            schema.indexes.push_back({index_name(child->name, {column}), child->name, {column}, false});
    }
    for (auto& table : schema.tables) {
        if (table.primary_key.size() != 1) continue;  // join tables keep only created_at
        table.columns.push_back(timestamp_column("created_at", dialect));
        table.columns.push_back(timestamp_column("updated_at", dialect));
    }
    return schema;
}

}  // namespace dbagent
