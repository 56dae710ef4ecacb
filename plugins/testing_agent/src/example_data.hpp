// Schema-valid example values for requests: a schema's own example,
// default, enum or const first, else a value built from its type and
// constraints (formats, bounds, lengths, required properties, item counts).
// readOnly properties are left out, since requests must not send them.
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/schema.h>

#include <map>
#include <memory>
#include <optional>

#include <string>
#include <vector>

namespace testgen {

// An example of `schema` ($refs followed inside `root`), allocated in
// `allocator`. A oneOf gets the first alternative whose example matches
// exactly one alternative (checked with rapidjson's validator); when none
// does, `notes` (if given) says where.
// The same, for many schemas of one document: oneOf checks share one copy
// of the document and the compiled schemas, within a budget of checks.
class ExampleMaker {
  public:
    explicit ExampleMaker(const rapidjson::Document& root);
    ~ExampleMaker();
    rapidjson::Value example(const rapidjson::Value* schema, rapidjson::Document::AllocatorType& allocator,
                             std::vector<std::string>* notes = nullptr);

  private:
    rapidjson::Value build(const rapidjson::Value* schema, rapidjson::Document::AllocatorType& a, int depth,
                           std::vector<std::string>* notes);
    std::optional<bool> satisfies(const rapidjson::Value* schema, const rapidjson::Value& value);

    const rapidjson::Document& root_;
    std::unique_ptr<rapidjson::Document> wrapper_;
    std::map<std::string, std::unique_ptr<rapidjson::SchemaDocument>> compiled_;
    std::map<const rapidjson::Value*, int> oneof_choice_;  // oneOf -> alternative (-1 none fits, -2 unknown)
    int validations_left_ = 400;
};

rapidjson::Value example_of(const rapidjson::Document& root, const rapidjson::Value* schema,
                            rapidjson::Document::AllocatorType& allocator, std::vector<std::string>* notes = nullptr);

// A value of a different JSON type than `schema` wants, for negative tests
// (a string where a number is wanted, a number where a string is...).
rapidjson::Value wrong_type_for(const rapidjson::Document& root, const rapidjson::Value* schema,
                                rapidjson::Document::AllocatorType& allocator);

// The value as a Python literal (None, True, 1.5, "text", [..], {..}).
std::string python_literal(const rapidjson::Value& value);

// The schema's first type ("object", "string", ...; "" when none is said).
std::string type_of(const rapidjson::Document& root, const rapidjson::Value* schema);

}  // namespace testgen
