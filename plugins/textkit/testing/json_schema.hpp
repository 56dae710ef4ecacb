// JSON file loading and JSON Schema (draft-04) checks for plugin tests:
// manifests against the manifest schema, results against output_schema.
// Header-only; needs RapidJSON (agenthost::sdk brings it).
#ifndef TEXTKIT_TESTING_JSON_SCHEMA_HPP
#define TEXTKIT_TESTING_JSON_SCHEMA_HPP

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/schema.h>
#include <rapidjson/stringbuffer.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace textkit::testing {

inline rapidjson::Document parse_json(const std::string& text) {
    rapidjson::Document document;
    document.Parse(text.c_str(), text.size());
    if (document.HasParseError())
        throw std::runtime_error(std::string("invalid JSON at offset ") + std::to_string(document.GetErrorOffset()) +
                                 ": " + rapidjson::GetParseError_En(document.GetParseError()));
    return document;
}

inline rapidjson::Document read_json_file(const std::string& path) {
    std::ifstream file(path);
    if (!file) throw std::runtime_error("cannot open " + path);
    std::stringstream content;
    content << file.rdbuf();
    return parse_json(content.str());
}

// Empty when `document` satisfies `schema`; otherwise which keyword failed
// where, e.g. "required at #/properties/summary, document at #".
inline std::string schema_violation(const rapidjson::Value& schema, const rapidjson::Value& document) {
    rapidjson::SchemaDocument compiled(schema);
    rapidjson::SchemaValidator validator(compiled);
    if (document.Accept(validator)) return {};
    rapidjson::StringBuffer schema_at;
    rapidjson::StringBuffer document_at;
    validator.GetInvalidSchemaPointer().StringifyUriFragment(schema_at);
    validator.GetInvalidDocumentPointer().StringifyUriFragment(document_at);
    return std::string(validator.GetInvalidSchemaKeyword()) + " at " + schema_at.GetString() + ", document at " +
           document_at.GetString();
}

}  // namespace textkit::testing

#endif  // TEXTKIT_TESTING_JSON_SCHEMA_HPP
