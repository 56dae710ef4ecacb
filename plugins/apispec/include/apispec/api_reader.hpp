// Reads a parsed document into the neutral Api model: an OpenAPI 3.x
// document (models and operations) or a bare JSON Schema (models only).
#ifndef APISPEC_API_READER_HPP
#define APISPEC_API_READER_HPP

#include <rapidjson/document.h>

#include <string>

#include <apispec/api_model.hpp>

namespace apispec {

// Decides what the document is and reads it. `root_model_name` names the
// root schema of a JSON Schema that has no title. Throws SpecError naming
// the location of the first problem (including every unresolvable $ref).
Api read_api(const rapidjson::Value& root, const std::string& root_model_name);

// The two readers read_api chooses between.
Api read_openapi(const rapidjson::Value& root);
Api read_json_schema(const rapidjson::Value& root, const std::string& root_model_name);

}  // namespace apispec

#endif
