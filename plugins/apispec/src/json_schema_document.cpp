// A bare JSON Schema: the root becomes one model, and so does every schema
// under definitions (draft 4-7) and $defs (2019-09 and later).
#include <rapidjson/document.h>

#include <apispec/api_reader.hpp>
#include <apispec/errors.hpp>
#include <apispec/json_pointer.hpp>
#include <apispec/ref_resolver.hpp>
#include <apispec/schema_model.hpp>

namespace apispec {

Api read_json_schema(const rapidjson::Value& root, const std::string& root_model_name) {
    RefResolver resolver(root);
    resolver.check_all();
    Api api;
    api.source = Api::Source::json_schema;
    if (auto found = root.FindMember("$schema"); found != root.MemberEnd() && found->value.IsString())
        api.spec_version = found->value.GetString();
    else
        api.spec_version = "JSON Schema";
    std::string title = root_model_name;
    if (auto found = root.FindMember("title");
        found != root.MemberEnd() && found->value.IsString() && found->value.GetStringLength() > 0)
        title = found->value.GetString();
    api.title = title;
    if (auto found = root.FindMember("description"); found != root.MemberEnd() && found->value.IsString())
        api.description = found->value.GetString();

    SchemaConverter converter(resolver, api);
    // A root that only holds definitions is a container, not a model.
    bool root_is_schema = false;
    for (const char* keyword : {"type", "properties", "allOf", "oneOf", "anyOf", "enum", "items", "$ref"})
        root_is_schema = root_is_schema || root.HasMember(keyword);
    if (root_is_schema) converter.declare("", title);
    for (const char* container : {"definitions", "$defs"}) {
        auto found = root.FindMember(container);
        if (found == root.MemberEnd()) continue;
        if (!found->value.IsObject())
            throw SpecError(std::string("/") + container, "must be an object mapping names to schemas");
        for (const auto& entry : found->value.GetObject()) {
            const std::string name(entry.name.GetString(), entry.name.GetStringLength());
            converter.declare(child(std::string("/") + container, name), name);
        }
    }
    converter.define_declared();
    return api;
}

}  // namespace apispec
