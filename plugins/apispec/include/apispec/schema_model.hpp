// JSON Schema (as OpenAPI 3.x and draft 4-2020 use it) to the neutral model
// of api_model.hpp. Owns the decisions about what becomes a named model:
// every declared schema (components, definitions), every inline object with
// properties and every inline enum, named after where it sits
// (Pet.owner -> PetOwner), so the generated code reads like hand-written code.
#ifndef APISPEC_SCHEMA_MODEL_HPP
#define APISPEC_SCHEMA_MODEL_HPP

#include <rapidjson/document.h>

#include <map>
#include <set>
#include <string>

#include <apispec/api_model.hpp>
#include <apispec/identifiers.hpp>
#include <apispec/ref_resolver.hpp>

namespace apispec {

class SchemaConverter {
  public:
    SchemaConverter(const RefResolver& resolver, Api& api) : resolver_(resolver), api_(api) {}

    // Reserves a model for the schema at `pointer` under a name derived from
    // `preferred_name`, so $refs to it resolve by name whatever the order.
    void declare(const std::string& pointer, const std::string& preferred_name);

    // Converts every declared schema, in declaration order.
    void define_declared();

    // The type of the schema at `location`; inline objects and enums become
    // models named from `name_hint`. Throws SpecError naming the location of
    // a malformed keyword.
    TypePtr type_of(const rapidjson::Value& schema, const std::string& location, const std::string& name_hint);

  private:
    struct Collected {
        std::vector<Field> fields;
        std::set<std::string> required;
        bool extra_properties = false;
    };

    TypePtr convert(const rapidjson::Value& schema, const std::string& location, const std::string& name_hint);
    TypePtr type_of_ref(const rapidjson::Value& schema, const std::string& location, const std::string& name_hint);
    TypePtr named_type(const std::string& model_name, bool nullable) const;
    std::size_t add_model(const std::string& preferred_name, const std::string& location);
    void define(std::size_t index, const rapidjson::Value& schema);
    void collect(const rapidjson::Value& schema, const std::string& location, const std::string& model_name,
                 Collected& out, std::set<std::string>& visited);
    std::vector<std::string> literals_of(const rapidjson::Value& schema, const std::string& location) const;
    // The type the schema's `type` (with items, properties and patterns)
    // declares, ignoring oneOf/anyOf.
    TypePtr declared_type(const rapidjson::Value& schema, const std::string& location, const std::string& name_hint);
    static TypePtr union_of(std::vector<TypePtr> alternatives);
    void warn_empty_enum(const rapidjson::Value& schema, const std::string& location);

    const RefResolver& resolver_;
    Api& api_;
    NameScope names_;
    std::map<std::string, std::string> named_;                   // schema pointer -> model name
    std::vector<std::pair<std::size_t, std::string>> declared_;  // model index, pointer
    std::map<std::string, TypePtr> converted_;  // schema pointer -> type, so a schema is converted once
    std::set<std::string> in_progress_;         // pointers being converted, to cut cycles
    std::set<std::string> warned_;              // locations already warned about
};

// Keyword checks shared with the OpenAPI reader.
bool is_nullable(const rapidjson::Value& schema);

}  // namespace apispec

#endif
