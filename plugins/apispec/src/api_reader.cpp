#include <apispec/api_reader.hpp>

#include <apispec/alias_cycles.hpp>
#include <apispec/errors.hpp>

namespace apispec {
namespace {

Api read_document(const rapidjson::Value& root, const std::string& root_model_name) {
    if (!root.IsObject())
        throw SpecError("", "the document must be an object: an OpenAPI 3.x document or a JSON Schema");
    if (root.HasMember("swagger"))
        throw SpecError("/swagger",
                        "Swagger/OpenAPI 2.0 is not supported; convert it to OpenAPI 3 first (for example with "
                        "swagger2openapi) and generate from that");
    if (root.HasMember("openapi")) return read_openapi(root);
    for (const char* keyword :
         {"$schema", "type", "properties", "definitions", "$defs", "allOf", "oneOf", "anyOf", "enum", "items", "$ref"})
        if (root.HasMember(keyword)) return read_json_schema(root, root_model_name);
    if (root.HasMember("paths") || root.HasMember("info") || root.HasMember("components"))
        throw SpecError("/openapi", "missing: an OpenAPI document must state its version, e.g. openapi: 3.0.3");
    throw SpecError("",
                    "neither an OpenAPI 3.x document (no 'openapi' member) nor a JSON Schema (no type, "
                    "properties, $defs or definitions)");
}

}  // namespace

Api read_api(const rapidjson::Value& root, const std::string& root_model_name) {
    Api api = read_document(root, root_model_name);
    break_alias_cycles(api);
    return api;
}

}  // namespace apispec
