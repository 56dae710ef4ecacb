// The language-neutral description of an API that both emitters read: named
// models (objects, enumerations, aliases) and operations. Built from an
// OpenAPI document or a bare JSON Schema; no JSON is left in it, so an
// emitter never has to know about $ref, allOf or nullable.
#ifndef APISPEC_API_MODEL_HPP
#define APISPEC_API_MODEL_HPP

#include <memory>
#include <string>
#include <vector>

namespace apispec {

struct Type;
using TypePtr = std::shared_ptr<const Type>;

struct Type {
    enum class Kind {
        any,  // no constraint we can express
        string,
        integer,
        number,
        boolean,
        null,
        array,     // item
        map,       // string keys, item values
        model,     // a named model: `model`
        literals,  // one of fixed values: `literals` (JSON texts, e.g. "\"dog\"", "3", "true")
        one_of,    // alternatives
        binary,    // raw bytes (a string with format: binary): files and octet-stream bodies
    };
    Kind kind = Kind::any;
    bool nullable = false;
    std::string model;
    TypePtr item;
    std::vector<std::string> literals;
    std::vector<TypePtr> alternatives;
};

struct Field {
    std::string json_name;
    TypePtr type;
    bool required = false;
    std::string description;
};

struct Model {
    enum class Kind { object, enumeration, alias };
    Kind kind = Kind::object;
    // PascalCase, unique among models; emitters adapt it to their language.
    std::string name;
    std::string description;
    std::string location;               // JSON pointer of the schema it came from
    std::vector<Field> fields;          // object
    bool extra_properties = false;      // object: additionalProperties allowed next to the fields
    std::vector<std::string> literals;  // enumeration: JSON texts
    TypePtr target;                     // alias
};

struct Parameter {
    enum class In { path, query, header };
    std::string name;  // as on the wire
    In in = In::query;
    bool required = false;
    // Query arrays: repeated (?a=1&a=2, the default) or, with explode:
    // false, comma-separated (?a=1,2).
    bool explode = true;
    TypePtr type;
    std::string description;
};

// How a body travels: JSON, plain text, URL-encoded form fields
// (application/x-www-form-urlencoded), multipart/form-data parts, raw bytes
// (any other media type), or not at all.
enum class Payload { none, json, text, form, multipart, binary };

// How the generated clients name a Payload.
inline const char* payload_name(Payload payload) {
    switch (payload) {
        case Payload::json:
            return "json";
        case Payload::text:
            return "text";
        case Payload::form:
            return "form";
        case Payload::multipart:
            return "multipart";
        case Payload::binary:
            return "binary";
        case Payload::none:
            break;
    }
    return "none";
}

struct Operation {
    std::string operation_id;  // as written, or derived from method and path
    std::string method;        // upper case: GET, POST, ...
    std::string path;          // template as written: /pets/{petId}
    std::string summary;
    std::string location;  // JSON pointer of the operation object
    bool deprecated = false;
    std::vector<Parameter> parameters;  // path, query and header, path-level ones merged in
    Payload body_payload = Payload::none;
    std::string body_media_type;  // the Content-Type to send
    bool body_required = false;
    TypePtr body;
    Payload response_payload = Payload::none;
    TypePtr response;  // of the first 2xx response with content
};

struct Api {
    enum class Source { openapi, json_schema };
    Source source = Source::openapi;
    std::string spec_version;  // "3.0.3", or the JSON Schema dialect
    std::string title;
    std::string version;
    std::string description;
    std::string server_url;  // first servers[].url, may be empty
    std::vector<Model> models;
    std::vector<Operation> operations;
    std::vector<std::string> warnings;

    const Model* find_model(const std::string& name) const {
        for (const auto& model : models)
            if (model.name == name) return &model;
        return nullptr;
    }
};

}  // namespace apispec

#endif
