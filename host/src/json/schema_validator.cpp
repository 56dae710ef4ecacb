#include "json/schema_validator.hpp"

#include "json/json_util.hpp"

#include <rapidjson/pointer.h>
#include <rapidjson/stringbuffer.h>

#include <stdexcept>

namespace agenthost::json {
namespace {

std::string pointer_text(const rapidjson::Pointer& pointer) {
    rapidjson::StringBuffer buffer;
    pointer.Stringify(buffer);
    return std::string(buffer.GetString(), buffer.GetSize());
}

std::string number_text(const rapidjson::Value& value) {
    if (value.IsInt64()) return std::to_string(value.GetInt64());
    if (value.IsUint64()) return std::to_string(value.GetUint64());
    if (value.IsNumber()) {
        std::string text = std::to_string(value.GetDouble());
        while (!text.empty() && text.back() == '0') text.pop_back();
        if (!text.empty() && text.back() == '.') text.pop_back();
        return text;
    }
    return serialize(value);
}

std::string type_phrase(const rapidjson::Value& type) {
    auto one = [](const std::string& name) {
        if (name == "object" || name == "array" || name == "integer") return "an " + name;
        if (name == "null") return std::string("null");
        return "a " + name;
    };
    if (type.IsString()) return one(type.GetString());
    std::string out;
    if (type.IsArray()) {
        for (rapidjson::SizeType i = 0; i < type.Size(); ++i) {
            if (!type[i].IsString()) continue;
            if (!out.empty()) out += i + 1 == type.Size() ? " or " : ", ";
            out += one(type[i].GetString());
        }
    }
    return out.empty() ? "of another type" : out;
}

const rapidjson::Value* keyword_value(const rapidjson::Value* schema, const char* keyword) {
    return schema == nullptr ? nullptr : get_member(*schema, keyword);
}

// Turns RapidJSON's (schema pointer, keyword, document pointer) triple into
// field-level violations.
std::vector<Violation> explain(const rapidjson::Value* schema, const std::string& keyword,
                               const rapidjson::Value* value, const std::string& field) {
    const rapidjson::Value* rule = keyword_value(schema, keyword.c_str());
    auto single = [&](std::string message) { return std::vector<Violation>{{field, std::move(message)}}; };

    if (keyword == "required" && rule != nullptr && rule->IsArray() && value != nullptr && value->IsObject()) {
        std::vector<Violation> missing;
        for (const auto& name : rule->GetArray()) {
            if (name.IsString() && !value->HasMember(name.GetString()))
                missing.push_back({field + "/" + pointer_token(name.GetString()), "is required"});
        }
        if (!missing.empty()) return missing;
    }
    if (keyword == "additionalProperties") {
        // RapidJSON points at the offending property itself.
        return single("is not an allowed property");
    }
    if (keyword == "type" && rule != nullptr) return single("must be " + type_phrase(*rule));
    if (keyword == "enum" && rule != nullptr && rule->IsArray()) {
        std::string options;
        for (const auto& option : rule->GetArray()) {
            if (!options.empty()) options += ", ";
            options += serialize(option);
        }
        return single("must be one of: " + options);
    }
    if (rule != nullptr) {
        std::string n = number_text(*rule);
        if (keyword == "minLength") return single("must be at least " + n + " characters long");
        if (keyword == "maxLength") return single("must be at most " + n + " characters long");
        if (keyword == "minimum") return single("must be at least " + n);
        if (keyword == "maximum") return single("must be at most " + n);
        if (keyword == "exclusiveMinimum") {
            const rapidjson::Value* minimum = keyword_value(schema, "minimum");
            return single("must be greater than " + (minimum ? number_text(*minimum) : n));
        }
        if (keyword == "exclusiveMaximum") {
            const rapidjson::Value* maximum = keyword_value(schema, "maximum");
            return single("must be less than " + (maximum ? number_text(*maximum) : n));
        }
        if (keyword == "multipleOf") return single("must be a multiple of " + n);
        if (keyword == "pattern" && rule->IsString()) return single(std::string("must match the pattern ") + rule->GetString());
        if (keyword == "minItems") return single("must have at least " + n + " items");
        if (keyword == "maxItems") return single("must have at most " + n + " items");
        if (keyword == "minProperties") return single("must have at least " + n + " properties");
        if (keyword == "maxProperties") return single("must have at most " + n + " properties");
    }
    if (keyword == "uniqueItems") return single("must not contain duplicate items");
    if (keyword == "anyOf" || keyword == "oneOf") return single("does not match any of the allowed forms");
    if (keyword == "allOf") return single("does not match every required form");
    if (keyword == "not") return single("matches a form that is not allowed");
    if (keyword == "dependencies") return single("is missing a property that another property depends on");
    return single("violates the schema rule '" + keyword + "'");
}

}  // namespace

SchemaValidator::SchemaValidator(const std::string& schema_text) {
    std::string error;
    auto parsed = parse(schema_text, error);
    if (!parsed) throw std::invalid_argument("schema is not valid JSON: " + error);
    schema_source_.Swap(*parsed);
    compile(schema_source_);
}

SchemaValidator::SchemaValidator(const rapidjson::Value& schema) {
    schema_source_.CopyFrom(schema, schema_source_.GetAllocator());
    compile(schema_source_);
}

void SchemaValidator::compile(const rapidjson::Value& schema) {
    if (!schema.IsObject()) throw std::invalid_argument("a JSON Schema must be an object");
    schema_ = std::make_unique<rapidjson::SchemaDocument>(schema);
}

std::vector<Violation> SchemaValidator::validate(const rapidjson::Value& document, const std::string& prefix) const {
    rapidjson::SchemaValidator validator(*schema_);
    if (document.Accept(validator)) return {};

    const rapidjson::Value* failing_schema = validator.GetInvalidSchemaPointer().Get(schema_source_);
    const rapidjson::Value* failing_value = validator.GetInvalidDocumentPointer().Get(document);
    std::string field = prefix + pointer_text(validator.GetInvalidDocumentPointer());
    return explain(failing_schema, validator.GetInvalidSchemaKeyword(), failing_value, field);
}

std::string describe(const std::vector<Violation>& violations) {
    std::string text;
    for (const Violation& violation : violations) {
        if (!text.empty()) text += "; ";
        text += (violation.field.empty() ? std::string("(root)") : violation.field) + ": " + violation.message;
    }
    return text;
}

std::string pointer_token(std::string_view name) {
    std::string out;
    for (char c : name) {
        if (c == '~') out += "~0";
        else if (c == '/') out += "~1";
        else out += c;
    }
    return out;
}

}  // namespace agenthost::json
