// The design a request asks for: context.entities and context.relations as
// JSON, or the task's prose. Prose designs get the columns such tables
// conventionally have and the usual ownership between well-known pairs
// (orders belong to users), each named in the summary as an assumption.
#include <devkit/context_fields.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "schema.hpp"

namespace dbagent {
namespace {

constexpr std::size_t max_entities = 200;
constexpr std::size_t max_fields = 250;
constexpr std::size_t max_relations = 500;

std::string text(const rapidjson::Value& v) { return std::string(v.GetString(), v.GetStringLength()); }

FieldSpec read_field(const rapidjson::Value& value, const std::string& path) {
    FieldSpec field;
    if (value.IsString()) {
        // "email" or "email:text"
        const std::string raw = text(value);
        const auto colon = raw.find(':');
        field.name = identifier_of(raw.substr(0, colon));
        if (colon != std::string::npos) field.type = raw.substr(colon + 1);
    } else if (value.IsObject()) {
        const auto name = devkit::string_field(value, "name", path + ".name");
        if (!name) throw InputError(path + ".name is required");
        field.name = identifier_of(*name);
        field.type = devkit::string_field(value, "type", path + ".type").value_or("");
        field.nullable = devkit::bool_field(value, "nullable", path + ".nullable");
        if (auto required = devkit::bool_field(value, "required", path + ".required")) field.nullable = !*required;
        field.unique = devkit::bool_field(value, "unique", path + ".unique").value_or(false);
        if (const rapidjson::Value* d = devkit::field(value, "default")) {
            if (d->IsString()) field.default_value = text(*d);
            else if (d->IsBool()) field.default_value = d->GetBool() ? "true" : "false";
            else if (d->IsInt64()) field.default_value = std::to_string(d->GetInt64());
            else if (d->IsNumber()) field.default_value = std::to_string(d->GetDouble());
            else throw InputError(path + ".default must be a string, number or boolean");
        }
    } else {
        throw InputError(path + " must be a field name or an object with a name");
    }
    if (field.name.empty()) throw InputError(path + " has no usable name (letters, digits or _)");
    if (field.type.size() > 64) throw InputError(path + ".type is too long");
    return field;
}

RelationKind kind_of(const std::string& type, const std::string& path) {
    if (type == "one_to_many" || type == "has_many" || type == "1:n" || type == "belongs_to" || type == "many_to_one")
        return RelationKind::one_to_many;
    if (type == "one_to_one" || type == "has_one" || type == "1:1") return RelationKind::one_to_one;
    if (type == "many_to_many" || type == "n:m" || type == "m:n") return RelationKind::many_to_many;
    throw InputError(path + " must be one_to_many, belongs_to, one_to_one or many_to_many, not '" + type + "'");
}

// The entity a relation names: its table name, or that name pluralised.
std::string entity_named(const DesignSpec& spec, const std::string& name, const std::string& path) {
    const std::string id = identifier_of(name);
    for (const std::string& candidate : {id, identifier_of(plural(id)), identifier_of(singular(id))})
        for (const auto& e : spec.entities)
            if (e.table == candidate) return e.table;
    throw InputError(path + " names '" + name + "', which is not one of context.entities");
}

DesignSpec design_from_json(const rapidjson::Value& context, Dialect dialect) {
    DesignSpec spec;
    spec.dialect = dialect;
    const rapidjson::Value* entities = devkit::field(context, "entities");
    if (!entities->IsArray()) throw InputError("context.entities must be an array of {name, fields}");
    if (entities->Size() == 0) throw InputError("context.entities is empty: name at least one entity");
    if (entities->Size() > max_entities)
        throw InputError("context.entities has " + std::to_string(entities->Size()) + " entries; at most " +
                         std::to_string(max_entities));
    std::set<std::string> names;
    for (rapidjson::SizeType i = 0; i < entities->Size(); ++i) {
        const std::string path = "context.entities[" + std::to_string(i) + "]";
        const rapidjson::Value& e = (*entities)[i];
        EntitySpec entity;
        if (e.IsString()) {
            entity.table = identifier_of(text(e));
        } else if (e.IsObject()) {
            const auto name = devkit::string_field(e, "name", path + ".name");
            if (!name) throw InputError(path + ".name is required");
            entity.table = identifier_of(*name);
            if (const rapidjson::Value* fields = devkit::field(e, "fields")) {
                if (fields->IsArray()) {
                    if (fields->Size() > max_fields)
                        throw InputError(path + ".fields has more than " + std::to_string(max_fields) + " entries");
                    for (rapidjson::SizeType j = 0; j < fields->Size(); ++j)
                        entity.fields.push_back(read_field((*fields)[j], path + ".fields[" + std::to_string(j) + "]"));
                } else if (fields->IsObject()) {  // {"email": "text", ...}
                    for (const auto& member : fields->GetObject()) {
                        const std::string field_path = path + ".fields." + text(member.name);
                        if (!member.value.IsString()) throw InputError(field_path + " must be a type name");
                        FieldSpec f;
                        f.name = identifier_of(text(member.name));
                        f.type = text(member.value);
                        if (f.name.empty()) throw InputError(field_path + " has no usable name");
                        entity.fields.push_back(f);
                    }
                } else {
                    throw InputError(path + ".fields must be an array or an object of name: type");
                }
            }
        } else {
            throw InputError(path + " must be an object with a name (or a name)");
        }
        if (entity.table.empty()) throw InputError(path + ".name has no usable characters (letters, digits or _)");
        if (!names.insert(entity.table).second)
            throw InputError(path + ".name repeats the entity '" + entity.table + "'");
        spec.entities.push_back(std::move(entity));
    }
    if (const rapidjson::Value* relations = devkit::field(context, "relations")) {
        if (!relations->IsArray()) throw InputError("context.relations must be an array of {from, to, type}");
        if (relations->Size() > max_relations)
            throw InputError("context.relations has more than " + std::to_string(max_relations) + " entries");
        for (rapidjson::SizeType i = 0; i < relations->Size(); ++i) {
            const std::string path = "context.relations[" + std::to_string(i) + "]";
            const rapidjson::Value& r = (*relations)[i];
            if (!r.IsObject()) throw InputError(path + " must be an object {from, to, type}");
            const auto from = devkit::string_field(r, "from", path + ".from");
            const auto to = devkit::string_field(r, "to", path + ".to");
            if (!from) throw InputError(path + ".from is required");
            if (!to) throw InputError(path + ".to is required");
            const std::string type = devkit::string_field(r, "type", path + ".type").value_or("one_to_many");
            RelationSpec relation;
            relation.kind = kind_of(type, path + ".type");
            relation.from = entity_named(spec, *from, path + ".from");
            relation.to = entity_named(spec, *to, path + ".to");
            // belongs_to / many_to_one read child -> parent.
            if (type == "belongs_to" || type == "many_to_one") std::swap(relation.from, relation.to);
            std::string on_delete = devkit::string_field(r, "on_delete", path + ".on_delete").value_or("");
            for (char& c : on_delete) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            std::replace(on_delete.begin(), on_delete.end(), '_', ' ');
            if (!on_delete.empty() && on_delete != "CASCADE" && on_delete != "SET NULL" && on_delete != "RESTRICT" &&
                on_delete != "NO ACTION")
                throw InputError(path + ".on_delete must be cascade, set_null, restrict or no_action");
            relation.on_delete = on_delete;
            relation.optional = devkit::bool_field(r, "optional", path + ".optional").value_or(false);
            if (relation.on_delete == "SET NULL") relation.optional = true;
            if (auto column = devkit::string_field(r, "column", path + ".column")) {
                relation.column = identifier_of(*column);
                if (relation.column.empty()) throw InputError(path + ".column has no usable characters");
            }
            spec.relations.push_back(relation);
        }
    }
    return spec;
}

// Columns tables of these names conventionally have, for prose designs that
// name none.
const std::map<std::string, std::vector<FieldSpec>>& conventional_fields() {
    static const std::map<std::string, std::vector<FieldSpec>> fields = {
        {"users", {{"email", "", false, {}, true}, {"name", "", {}, {}, false}}},
        {"customers", {{"email", "", false, {}, true}, {"name", "", {}, {}, false}}},
        {"authors", {{"name", "", {}, {}, false}}},
        {"orders", {{"status", "text", {}, std::string("pending"), false}, {"total", "money", {}, std::string("0"), false}}},
        {"products", {{"name", "", {}, {}, false}, {"price", "money", {}, {}, false}}},
        {"items", {{"quantity", "integer", {}, std::string("1"), false}, {"unit_price", "money", {}, {}, false}}},
        {"order_items", {{"quantity", "integer", {}, std::string("1"), false}, {"unit_price", "money", {}, {}, false}}},
        {"line_items", {{"quantity", "integer", {}, std::string("1"), false}, {"unit_price", "money", {}, {}, false}}},
        {"posts", {{"title", "", {}, {}, false}, {"body", "text", {}, {}, false}}},
        {"comments", {{"body", "text", {}, {}, false}}},
        {"categories", {{"name", "", {}, {}, false}}},
        {"tags", {{"name", "", {}, {}, true}}},
    };
    return fields;
}

// Well-known parent -> child pairs for prose that names both tables but no
// relation between them.
const std::vector<std::pair<std::string, std::string>>& conventional_ownership() {
    static const std::vector<std::pair<std::string, std::string>> pairs = {
        {"users", "orders"},    {"customers", "orders"}, {"orders", "order_items"}, {"orders", "line_items"},
        {"orders", "items"},    {"users", "posts"},      {"authors", "posts"},      {"posts", "comments"},
        {"authors", "books"},   {"users", "sessions"},   {"users", "addresses"},    {"customers", "invoices"},
        {"customers", "addresses"}, {"projects", "tasks"}, {"products", "order_items"}, {"products", "reviews"},
        {"users", "comments"}};
    return pairs;
}

void add_conventions(DesignSpec& spec) {
    std::set<std::string> tables;
    for (const auto& e : spec.entities) tables.insert(e.table);
    for (const auto& [parent, child] : conventional_ownership()) {
        if (!tables.count(parent) || !tables.count(child)) continue;
        bool related = false;
        for (const auto& r : spec.relations)
            related = related || (r.from == parent && r.to == child) || (r.from == child && r.to == parent);
        if (related) continue;
        // Only when the child has no parent yet (users and customers both present: the first wins).
        bool has_parent = false;
        for (const auto& r : spec.relations) has_parent = has_parent || (r.to == child && r.kind != RelationKind::many_to_many);
        if (has_parent && child == "orders") continue;
        RelationSpec r;
        r.from = parent;
        r.to = child;
        spec.relations.push_back(r);
        spec.assumptions.push_back(child + " belong to " + parent + " (" + child + "." + singular(parent) + "_id)");
    }
    for (auto& entity : spec.entities) {
        if (!entity.fields.empty()) continue;
        auto found = conventional_fields().find(entity.table);
        if (found == conventional_fields().end()) continue;
        entity.fields = found->second;
        std::string names;
        for (const auto& f : entity.fields) names += (names.empty() ? "" : ", ") + f.name;
        spec.assumptions.push_back(entity.table + " get the usual columns " + names);
    }
}

}  // namespace

Dialect read_dialect(const rapidjson::Value& context, std::string_view task) {
    if (auto given = devkit::string_field(context, "dialect", "context.dialect")) {
        auto dialect = dialect_from(*given);
        if (!dialect) throw InputError("context.dialect must be postgresql or sqlite, not '" + *given + "'");
        return *dialect;
    }
    std::string lower;
    for (char c : task) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower.find("sqlite") != std::string::npos) return Dialect::sqlite;
    return Dialect::postgresql;
}

DesignSpec read_design(const rapidjson::Value& context, std::string_view task, Dialect dialect) {
    if (devkit::field(context, "entities") != nullptr) return design_from_json(context, dialect);
    if (devkit::field(context, "relations") != nullptr)
        throw InputError("context.relations needs context.entities to name the tables it relates");
    DesignSpec spec = design_from_text(task, dialect);
    if (spec.entities.empty())
        throw InputError("task: no entities found; name the tables (\"a schema for users and orders\", \"users have "
                         "many orders\") or give context.entities");
    if (spec.entities.size() > max_entities) throw InputError("task names more than 200 entities");
    add_conventions(spec);
    return spec;
}

}  // namespace dbagent
