// JSON Schema validation (RapidJSON's draft-04 validator) that explains
// failures in terms a client can act on: the field's JSON Pointer and what is
// wrong with it, not the schema keyword alone.
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/schema.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace agenthost::json {

struct Violation {
    std::string field;    // JSON Pointer into the validated document ("" = root)
    std::string message;  // "is required", "must be a string", ...
};

class SchemaValidator {
  public:
    // Throws std::invalid_argument when `schema_text` is not JSON.
    explicit SchemaValidator(const std::string& schema_text);
    explicit SchemaValidator(const rapidjson::Value& schema);
    // The compiled schema points into schema_source_: never copy or move.
    SchemaValidator(const SchemaValidator&) = delete;
    SchemaValidator& operator=(const SchemaValidator&) = delete;

    // Empty when the document is valid. `prefix` is prepended to the field
    // pointers (e.g. "/context" when validating a nested object).
    std::vector<Violation> validate(const rapidjson::Value& document, const std::string& prefix = "") const;

  private:
    void compile(const rapidjson::Value& schema);

    rapidjson::Document schema_source_;
    std::unique_ptr<rapidjson::SchemaDocument> schema_;
};

// "/context/max_sentences: must be at most 50" for logs and messages.
std::string describe(const std::vector<Violation>& violations);

// Escapes a member name for use as a JSON Pointer token (RFC 6901).
std::string pointer_token(std::string_view name);

}  // namespace agenthost::json
