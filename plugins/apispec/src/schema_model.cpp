#include <apispec/schema_model.hpp>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>

#include <apispec/errors.hpp>
#include <apispec/json_pointer.hpp>

namespace apispec {
namespace {

const rapidjson::Value* member(const rapidjson::Value& object, const char* name) {
    if (!object.IsObject()) return nullptr;
    auto found = object.FindMember(name);
    return found == object.MemberEnd() ? nullptr : &found->value;
}

std::string string_member(const rapidjson::Value& object, const char* name) {
    const rapidjson::Value* value = member(object, name);
    return value != nullptr && value->IsString() ? std::string(value->GetString(), value->GetStringLength()) : "";
}

std::shared_ptr<Type> make(Type::Kind kind, bool nullable = false) {
    auto type = std::make_shared<Type>();
    type->kind = kind;
    type->nullable = nullable;
    return type;
}

TypePtr with_nullable(const TypePtr& type, bool nullable) {
    if (!nullable || type->nullable) return type;
    auto copy = std::make_shared<Type>(*type);
    copy->nullable = true;
    return copy;
}

bool has_properties(const rapidjson::Value& schema) {
    const rapidjson::Value* properties = member(schema, "properties");
    return properties != nullptr && properties->IsObject() && properties->MemberCount() > 0;
}

// Whether a schema becomes an object model (rather than a map, an alias or
// a pass-through): it has properties of its own, or composes several parts.
bool is_objectish(const rapidjson::Value& schema) {
    if (!schema.IsObject()) return false;
    if (has_properties(schema)) return true;
    const rapidjson::Value* all_of = member(schema, "allOf");
    return all_of != nullptr && all_of->IsArray() && all_of->Size() > 1;
}

const char* const known_types[] = {"string", "number", "integer", "boolean", "array", "object", "null"};

// The schema's `type` as a list (OpenAPI 3.1 and JSON Schema allow arrays),
// checked against the known names.
std::vector<std::string> types_of(const rapidjson::Value& schema, const std::string& location) {
    std::vector<std::string> types;
    const rapidjson::Value* type = member(schema, "type");
    if (type == nullptr) return types;
    auto check = [&](const rapidjson::Value& value, const std::string& where) {
        if (!value.IsString()) throw SpecError(where, "type must be a string or an array of strings");
        const std::string name(value.GetString(), value.GetStringLength());
        if (std::find(std::begin(known_types), std::end(known_types), name) == std::end(known_types))
            throw SpecError(where, "unknown type '" + name +
                                       "' (expected string, number, integer, boolean, array, object or null)");
        types.push_back(name);
    };
    if (type->IsArray()) {
        for (rapidjson::SizeType i = 0; i < type->Size(); ++i) check((*type)[i], child(location + "/type", i));
    } else {
        check(*type, location + "/type");
    }
    return types;
}

void check_keywords(const rapidjson::Value& schema, const std::string& location) {
    if (const auto* properties = member(schema, "properties"); properties != nullptr && !properties->IsObject())
        throw SpecError(location + "/properties", "properties must be an object mapping names to schemas");
    if (const auto* required = member(schema, "required"); required != nullptr) {
        // OpenAPI 2-style `required: true` on a property is a classic mistake.
        if (!required->IsArray())
            throw SpecError(location + "/required", "required must be an array of property names");
        for (rapidjson::SizeType i = 0; i < required->Size(); ++i)
            if (!(*required)[i].IsString())
                throw SpecError(child(location + "/required", i), "required must list property names as strings");
    }
    // items may be one schema or, before draft 2020-12, a list of them (a tuple).
    if (const auto* items = member(schema, "items");
        items != nullptr && !items->IsObject() && !items->IsBool() && !items->IsArray())
        throw SpecError(location + "/items", "items must be a schema or an array of schemas");
    if (const auto* patterns = member(schema, "patternProperties"); patterns != nullptr && !patterns->IsObject())
        throw SpecError(location + "/patternProperties", "patternProperties must be an object mapping patterns to schemas");
    for (const char* keyword : {"allOf", "oneOf", "anyOf"})
        if (const auto* list = member(schema, keyword); list != nullptr && (!list->IsArray() || list->Empty()))
            throw SpecError(location + "/" + keyword, std::string(keyword) + " must be a non-empty array of schemas");
    if (const auto* extra = member(schema, "additionalProperties");
        extra != nullptr && !extra->IsObject() && !extra->IsBool())
        throw SpecError(location + "/additionalProperties", "additionalProperties must be a boolean or a schema");
}

// An enum with at least one value (an empty one is read as no constraint).
bool has_enum(const rapidjson::Value& schema) {
    const rapidjson::Value* values = member(schema, "enum");
    return values != nullptr && !(values->IsArray() && values->Empty());
}

std::string json_text(const rapidjson::Value& value) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    value.Accept(writer);
    return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace

bool is_nullable(const rapidjson::Value& schema) {
    if (const auto* nullable = member(schema, "nullable"); nullable != nullptr && nullable->IsTrue()) return true;
    if (const auto* type = member(schema, "type"); type != nullptr && type->IsArray())
        for (const auto& item : type->GetArray())
            if (item.IsString() && std::string(item.GetString()) == "null") return true;
    return false;
}

TypePtr SchemaConverter::named_type(const std::string& model_name, bool nullable) const {
    auto type = std::make_shared<Type>();
    type->kind = Type::Kind::model;
    type->model = model_name;
    type->nullable = nullable;
    return type;
}

std::size_t SchemaConverter::add_model(const std::string& preferred_name, const std::string& location) {
    std::string base = pascal_case(preferred_name);
    if (base.empty()) base = "Model";
    Model model;
    model.name = names_.claim(base);
    model.location = location;
    api_.models.push_back(std::move(model));
    return api_.models.size() - 1;
}

void SchemaConverter::declare(const std::string& pointer, const std::string& preferred_name) {
    const std::size_t index = add_model(preferred_name, pointer);
    named_[pointer] = api_.models[index].name;
    declared_.emplace_back(index, pointer);
}

void SchemaConverter::define_declared() {
    for (const auto& [index, pointer] : declared_) {
        const rapidjson::Value* schema = resolve_pointer(resolver_.root(), pointer);
        if (schema == nullptr) throw SpecError(pointer, "declared schema is missing");
        define(index, *schema);
    }
}

std::vector<std::string> SchemaConverter::literals_of(const rapidjson::Value& schema,
                                                      const std::string& location) const {
    const rapidjson::Value* values = member(schema, "enum");
    if (!values->IsArray()) throw SpecError(location + "/enum", "enum must be an array");
    std::vector<std::string> literals;
    for (rapidjson::SizeType i = 0; i < values->Size(); ++i) {
        const rapidjson::Value& value = (*values)[i];
        if (value.IsObject() || value.IsArray())
            throw SpecError(child(location + "/enum", i),
                            "enum values must be strings, numbers, booleans or null to become literal types");
        std::string text = json_text(value);
        if (std::find(literals.begin(), literals.end(), text) == literals.end()) literals.push_back(std::move(text));
    }
    if (is_nullable(schema) && std::find(literals.begin(), literals.end(), "null") == literals.end())
        literals.push_back("null");
    return literals;
}

void SchemaConverter::warn_empty_enum(const rapidjson::Value& schema, const std::string& location) {
    const rapidjson::Value* values = member(schema, "enum");
    if (values == nullptr || !values->IsArray() || !values->Empty() || !warned_.insert(location).second) return;
    api_.warnings.push_back(location + "/enum: empty enum (no value could validate); treated as unconstrained");
}

void SchemaConverter::define(std::size_t index, const rapidjson::Value& schema) {
    const std::string location = api_.models[index].location;
    const std::string name = api_.models[index].name;
    if (schema.IsBool()) {
        // true accepts anything; false accepts nothing, which no type says.
        api_.models[index].kind = Model::Kind::alias;
        api_.models[index].target = make(Type::Kind::any);
        return;
    }
    if (!schema.IsObject()) throw SpecError(location, "a schema must be an object");
    warn_empty_enum(schema, location);
    api_.models[index].description = string_member(schema, "description");
    if (const rapidjson::Value* title = member(schema, "title");
        api_.models[index].description.empty() && title != nullptr && title->IsString())
        api_.models[index].description = title->GetString();
    check_keywords(schema, location);
    converted_[location] = named_type(name, false);

    if (ref_of(schema) != nullptr) {
        TypePtr target = type_of_ref(schema, location, name);
        api_.models[index].kind = Model::Kind::alias;
        api_.models[index].target = target;
    } else if (has_enum(schema)) {
        std::vector<std::string> literals = literals_of(schema, location);
        api_.models[index].kind = Model::Kind::enumeration;
        api_.models[index].literals = std::move(literals);
    } else if (is_objectish(schema)) {
        Collected collected;
        std::set<std::string> visited;
        collect(schema, location, name, collected, visited);
        for (auto& field : collected.fields) field.required = collected.required.count(field.json_name) > 0;
        api_.models[index].kind = Model::Kind::object;
        api_.models[index].fields = std::move(collected.fields);
        api_.models[index].extra_properties = collected.extra_properties;
    } else {
        TypePtr target = convert(schema, location, name);
        api_.models[index].kind = Model::Kind::alias;
        api_.models[index].target = target;
    }
}

void SchemaConverter::collect(const rapidjson::Value& schema, const std::string& location,
                              const std::string& model_name, Collected& out, std::set<std::string>& visited) {
    if (!visited.insert(location).second) return;
    if (schema.IsBool()) return;  // an allOf part of true or false adds no field
    if (!schema.IsObject()) throw SpecError(location, "a schema must be an object");
    if (ref_of(schema) != nullptr) {
        auto [target, pointer] = resolver_.follow(schema, location);
        auto named = named_.find(pointer);
        collect(*target, pointer, named != named_.end() ? named->second : model_name, out, visited);
        return;
    }
    check_keywords(schema, location);
    if (const auto* all_of = member(schema, "allOf"))
        for (rapidjson::SizeType i = 0; i < all_of->Size(); ++i)
            collect((*all_of)[i], child(location + "/allOf", i), model_name, out, visited);
    if (const auto* properties = member(schema, "properties")) {
        for (const auto& property : properties->GetObject()) {
            const std::string name(property.name.GetString(), property.name.GetStringLength());
            const std::string where = child(location + "/properties", name);
            Field field;
            field.json_name = name;
            field.type = type_of(property.value, where, model_name + pascal_case(name));
            field.description = string_member(property.value, "description");
            auto same = std::find_if(out.fields.begin(), out.fields.end(),
                                     [&](const Field& existing) { return existing.json_name == name; });
            if (same != out.fields.end())
                *same = std::move(field);  // a later allOf part refines the property
            else
                out.fields.push_back(std::move(field));
        }
    }
    if (const auto* required = member(schema, "required"))
        for (const auto& name : required->GetArray()) out.required.insert(name.GetString());
    if (const auto* extra = member(schema, "additionalProperties"); extra != nullptr && !extra->IsFalse())
        out.extra_properties = true;
    // Members whose names match a pattern sit next to the declared fields.
    if (const auto* patterns = member(schema, "patternProperties"); patterns != nullptr && !patterns->ObjectEmpty())
        out.extra_properties = true;
}

TypePtr SchemaConverter::type_of(const rapidjson::Value& schema, const std::string& location,
                                 const std::string& name_hint) {
    if (auto found = converted_.find(location); found != converted_.end()) return found->second;
    if (in_progress_.count(location) > 0) {
        // Only a schema that refers to itself through non-object schemas
        // (an array of itself) gets here; objects are cut by their names.
        api_.warnings.push_back(location + ": recursive schema without an object in the cycle; typed as any");
        return make(Type::Kind::any);
    }
    in_progress_.insert(location);
    TypePtr type = convert(schema, location, name_hint);
    in_progress_.erase(location);
    converted_[location] = type;
    return type;
}

TypePtr SchemaConverter::type_of_ref(const rapidjson::Value& schema, const std::string& location,
                                     const std::string& name_hint) {
    const std::string target = resolver_.target_pointer(*ref_of(schema), location);
    const bool nullable = is_nullable(schema);
    if (auto named = named_.find(target); named != named_.end()) return named_type(named->second, nullable);
    const rapidjson::Value* value = resolve_pointer(resolver_.root(), target);
    if (is_objectish(*value) || has_enum(*value)) {
        // A ref into the middle of another schema (#/components/schemas/Pet/properties/owner):
        // it becomes a model of its own, named after its last token.
        const std::size_t index = add_model(last_token(target), target);
        const std::string name = api_.models[index].name;
        named_[target] = name;
        define(index, *value);
        return named_type(name, nullable);
    }
    (void)name_hint;
    return with_nullable(type_of(*value, target, last_token(target)), nullable);
}

TypePtr SchemaConverter::convert(const rapidjson::Value& schema, const std::string& location,
                                 const std::string& name_hint) {
    if (schema.IsBool()) return make(Type::Kind::any);  // true: anything; false: nothing we can type
    if (!schema.IsObject()) throw SpecError(location, "a schema must be an object");
    if (ref_of(schema) != nullptr) return type_of_ref(schema, location, name_hint);
    check_keywords(schema, location);
    warn_empty_enum(schema, location);
    bool nullable = is_nullable(schema);

    if (has_enum(schema)) {
        std::vector<std::string> literals = literals_of(schema, location);
        if (!name_hint.empty()) {
            const std::size_t index = add_model(name_hint, location);
            api_.models[index].kind = Model::Kind::enumeration;
            api_.models[index].literals = std::move(literals);
            api_.models[index].description = string_member(schema, "description");
            return named_type(api_.models[index].name, false);
        }
        auto type = std::make_shared<Type>();
        type->kind = Type::Kind::literals;
        type->literals = std::move(literals);
        return type;
    }
    if (const rapidjson::Value* constant = member(schema, "const")) {
        // One allowed value: a literal type (tags of tagged unions).
        if (constant->IsObject() || constant->IsArray()) return make(Type::Kind::any);
        auto type = std::make_shared<Type>();
        type->kind = Type::Kind::literals;
        type->literals.push_back(json_text(*constant));
        return type;
    }
    if (is_objectish(schema)) {
        const std::size_t index = add_model(name_hint.empty() ? "Model" : name_hint, location);
        define(index, schema);
        return named_type(api_.models[index].name, nullable);
    }
    if (const auto* all_of = member(schema, "allOf"))  // one part: the usual wrapper for a described or nullable $ref
        return with_nullable(type_of((*all_of)[0], location + "/allOf/0", name_hint), nullable);
    for (const char* keyword : {"oneOf", "anyOf"}) {
        const rapidjson::Value* list = member(schema, keyword);
        if (list == nullptr) continue;
        std::vector<TypePtr> alternatives;
        for (rapidjson::SizeType i = 0; i < list->Size(); ++i) {
            TypePtr alternative =
                type_of((*list)[i], child(location + "/" + keyword, i), name_hint + "Option" + std::to_string(i + 1));
            // An alternative that only adds constraints ({"required": [...]},
            // {"pattern": ...}) has the type the schema around it declares.
            if (alternative->kind == Type::Kind::any && member(schema, "type") != nullptr)
                alternative = declared_type(schema, location, name_hint);
            alternatives.push_back(alternative);
        }
        return with_nullable(union_of(std::move(alternatives)), nullable);
    }

    return with_nullable(declared_type(schema, location, name_hint), nullable);
}

TypePtr SchemaConverter::declared_type(const rapidjson::Value& schema, const std::string& location,
                                       const std::string& name_hint) {
    const bool nullable = is_nullable(schema);
    std::vector<std::string> types = types_of(schema, location);
    types.erase(std::remove(types.begin(), types.end(), "null"), types.end());
    if (types.empty() && member(schema, "type") != nullptr) return make(Type::Kind::null);
    auto single = [&](const std::string& type_name) -> TypePtr {
        if (type_name == "string")
            return make(string_member(schema, "format") == "binary" ? Type::Kind::binary : Type::Kind::string);
        if (type_name == "integer") return make(Type::Kind::integer);
        if (type_name == "number") return make(Type::Kind::number);
        if (type_name == "boolean") return make(Type::Kind::boolean);
        if (type_name == "array" || (type_name.empty() && member(schema, "items") != nullptr)) {
            auto type = make(Type::Kind::array);
            const rapidjson::Value* items = member(schema, "items");
            if (items != nullptr && items->IsArray()) {
                // A tuple: an array of any of its positions' types (and of
                // additionalItems, when given as a schema).
                std::vector<TypePtr> positions;
                for (rapidjson::SizeType i = 0; i < items->Size(); ++i)
                    positions.push_back(type_of((*items)[i], child(location + "/items", i), name_hint + "Item"));
                if (const auto* more = member(schema, "additionalItems"); more != nullptr && more->IsObject())
                    positions.push_back(type_of(*more, location + "/additionalItems", name_hint + "Item"));
                type->item = union_of(std::move(positions));
            } else {
                type->item =
                    items != nullptr ? type_of(*items, location + "/items", name_hint + "Item") : make(Type::Kind::any);
            }
            return type;
        }
        const rapidjson::Value* extra = member(schema, "additionalProperties");
        const rapidjson::Value* patterns = member(schema, "patternProperties");
        if (type_name == "object" ||
            (type_name.empty() && (extra != nullptr || patterns != nullptr || member(schema, "properties")))) {
            // Values: those of every name pattern, and of other names.
            std::vector<TypePtr> values;
            bool open = extra == nullptr || extra->IsTrue();
            if (patterns != nullptr)
                for (const auto& pattern : patterns->GetObject())
                    values.push_back(type_of(pattern.value,
                                             child(location + "/patternProperties",
                                                   std::string(pattern.name.GetString(), pattern.name.GetStringLength())),
                                             name_hint + "Value"));
            if (extra != nullptr && extra->IsObject())
                values.push_back(type_of(*extra, location + "/additionalProperties", name_hint + "Value"));
            auto type = make(Type::Kind::map);
            type->item = open || values.empty() ? make(Type::Kind::any) : union_of(std::move(values));
            return type;
        }
        return make(Type::Kind::any);
    };
    if (types.size() > 1) {
        auto type = std::make_shared<Type>();
        type->kind = Type::Kind::one_of;
        for (const auto& name : types) type->alternatives.push_back(single(name));
        type->nullable = nullable;
        return type;
    }
    return with_nullable(single(types.empty() ? std::string() : types[0]), nullable);
}

TypePtr SchemaConverter::union_of(std::vector<TypePtr> alternatives) {
    bool nullable = false;
    std::vector<TypePtr> kept;
    for (auto& alternative : alternatives) {
        if (alternative->kind == Type::Kind::any) return alternative;
        if (alternative->kind == Type::Kind::null) {
            nullable = true;
            continue;
        }
        kept.push_back(std::move(alternative));
    }
    if (kept.empty()) return make(nullable ? Type::Kind::null : Type::Kind::any);
    if (kept.size() == 1) return with_nullable(kept[0], nullable);
    auto type = std::make_shared<Type>();
    type->kind = Type::Kind::one_of;
    type->alternatives = std::move(kept);
    type->nullable = nullable;
    return type;
}

}  // namespace apispec
