// The OpenAPI document a request brings, read once: the raw JSON (for the
// schemas the generated suite validates against and the examples it sends)
// and apispec's operations (for what to call). Plain C++, no SDK types.
#pragma once

#include <apispec/api_model.hpp>
#include <rapidjson/document.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace testgen {

struct InputError : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

// One declared response of an operation.
struct DeclaredResponse {
    std::string status;                 // "200", "404", "4XX", "default"
    const rapidjson::Value* schema = nullptr;  // application/json (or +json) schema, $ref not followed
};

struct OperationSpec {
    apispec::Operation operation;
    const rapidjson::Value* raw = nullptr;  // the operation object
    std::vector<DeclaredResponse> responses;
    const rapidjson::Value* body_schema = nullptr;  // JSON request body, $ref not followed
    bool body_required = false;
    std::string body_media_type;  // "" when there is no body
    // Path, query and header parameters with their raw schema (or example).
    struct Param {
        std::string name;
        std::string in;
        bool required = false;
        const rapidjson::Value* schema = nullptr;
        const rapidjson::Value* example = nullptr;
    };
    std::vector<Param> params;
};

struct OpenApiInput {
    rapidjson::Document document;  // the whole spec as JSON
    apispec::Api api;
    std::vector<OperationSpec> operations;  // in document order
};

// `value` is the spec: text (JSON or YAML) or an already parsed object.
// `field` names it in errors ("context.spec"). Throws InputError.
void read_openapi_input(const rapidjson::Value& value, const std::string& field, OpenApiInput& out);

// Follows local $refs from `value` (bounded, cycle-safe); nullptr when broken.
const rapidjson::Value* deref(const rapidjson::Document& root, const rapidjson::Value* value);

}  // namespace testgen
