#include "example_data.hpp"
#include "json_member.hpp"

#include <rapidjson/schema.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <vector>

#include "openapi_input.hpp"

namespace testgen {
namespace {

using Allocator = rapidjson::Document::AllocatorType;

double number_member(const rapidjson::Value* schema, const char* name, double fallback) {
    const rapidjson::Value* v = member(schema, name);
    return v != nullptr && v->IsNumber() ? v->GetDouble() : fallback;
}

std::string string_example(const rapidjson::Value* schema) {
    const rapidjson::Value* format = member(schema, "format");
    const std::string f = format != nullptr && format->IsString() ? format->GetString() : "";
    std::string text;
    if (f == "date-time") text = "2024-01-02T03:04:05Z";
    else if (f == "date") text = "2024-01-02";
    else if (f == "time") text = "03:04:05Z";
    else if (f == "email") text = "user@example.com";
    else if (f == "uuid") text = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
    else if (f == "uri" || f == "url") text = "https://example.com/resource";
    else if (f == "hostname") text = "example.com";
    else if (f == "ipv4") text = "192.0.2.1";
    else if (f == "ipv6") text = "2001:db8::1";
    else if (f == "byte") text = "ZXhhbXBsZQ==";
    else text = "example";
    const auto min_length = static_cast<std::size_t>(number_member(schema, "minLength", 0));
    const auto max_length = static_cast<std::size_t>(number_member(schema, "maxLength", 1e9));
    while (text.size() < min_length) text += "x";
    if (text.size() > max_length) text.resize(max_length);
    return text;
}

// The JSON pointer of `target` inside `node` (found by address), or false.
bool pointer_of(const rapidjson::Value& node, const rapidjson::Value* target, std::string& pointer, int depth = 0) {
    if (&node == target) return true;
    if (depth > 64) return false;
    const std::size_t mark = pointer.size();
    if (node.IsObject()) {
        for (const auto& m : node.GetObject()) {
            std::string token(m.name.GetString(), m.name.GetStringLength());
            std::string escaped;
            for (char c : token) escaped += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
            pointer += "/" + escaped;
            if (pointer_of(m.value, target, pointer, depth + 1)) return true;
            pointer.resize(mark);
        }
    } else if (node.IsArray()) {
        for (rapidjson::SizeType i = 0; i < node.Size(); ++i) {
            pointer += "/" + std::to_string(i);
            if (pointer_of(node[i], target, pointer, depth + 1)) return true;
            pointer.resize(mark);
        }
    }
    return false;
}

}  // namespace

// Does `value` satisfy the schema at `schema` (a value inside the root)?
// rapidjson's JSON Schema validator on a copy of the document whose root
// $refs that place, so the schema's own $refs resolve as in the spec. The
// copy is made once and each compiled schema kept; past the budget, or when
// the place is not found, the answer is unknown.
std::optional<bool> ExampleMaker::satisfies(const rapidjson::Value* schema, const rapidjson::Value& value) {
    std::string pointer;
    if (validations_left_ <= 0 || !pointer_of(root_, schema, pointer)) return std::nullopt;
    --validations_left_;
    auto found = compiled_.find(pointer);
    if (found == compiled_.end()) {
        if (!wrapper_) {
            wrapper_ = std::make_unique<rapidjson::Document>();
            wrapper_->CopyFrom(root_, wrapper_->GetAllocator());
            // Only $ref counts at the root; drop what a validator would read there.
            for (const char* keyword : {"$ref", "type", "properties", "required", "allOf", "anyOf", "oneOf", "enum", "not"})
                if (wrapper_->HasMember(keyword)) wrapper_->RemoveMember(keyword);
            wrapper_->AddMember("$ref", "", wrapper_->GetAllocator());
        }
        const std::string ref = "#" + pointer;
        (*wrapper_)["$ref"].SetString(ref.c_str(), static_cast<rapidjson::SizeType>(ref.size()), wrapper_->GetAllocator());
        found = compiled_.emplace(pointer, std::make_unique<rapidjson::SchemaDocument>(*wrapper_)).first;
    }
    rapidjson::SchemaValidator validator(*found->second);
    return value.Accept(validator);
}

rapidjson::Value ExampleMaker::build(const rapidjson::Value* schema, Allocator& a, int depth,
                                     std::vector<std::string>* notes) {
    const rapidjson::Document& root = root_;
    schema = deref(root, schema);
    if (schema == nullptr || !schema->IsObject() || depth > 8) return rapidjson::Value();  // null
    for (const char* key : {"example", "default", "const"})
        if (const rapidjson::Value* v = member(schema, key)) return rapidjson::Value(*v, a);
    if (const rapidjson::Value* examples = member(schema, "examples"); examples && examples->IsArray() &&
                                                                       !examples->Empty())
        return rapidjson::Value((*examples)[0], a);
    if (const rapidjson::Value* e = member(schema, "enum"); e && e->IsArray() && !e->Empty())
        return rapidjson::Value((*e)[0], a);
    if (const rapidjson::Value* all = member(schema, "allOf"); all && all->IsArray()) {
        rapidjson::Value merged(rapidjson::kObjectType);
        for (const auto& part : all->GetArray()) {
            rapidjson::Value piece = build(&part, a, depth + 1, notes);
            if (!piece.IsObject()) return piece;
            for (auto& m : piece.GetObject()) {
                if (merged.HasMember(m.name)) merged.RemoveMember(m.name);
                merged.AddMember(rapidjson::Value(m.name, a), rapidjson::Value(m.value, a), a);
            }
        }
        return merged;
    }
    if (const rapidjson::Value* options = member(schema, "oneOf"); options && options->IsArray() && !options->Empty()) {
        // The first alternative whose example matches exactly one of them
        // (objects without additionalProperties: false often match several),
        // decided once per oneOf.
        auto decided = oneof_choice_.find(schema);
        if (decided == oneof_choice_.end()) {
            int choice = -1;  // -1: every example matches several; -2: not known
            for (rapidjson::SizeType i = 0; i < options->Size() && choice == -1; ++i) {
                rapidjson::Value candidate = build(&(*options)[i], a, depth + 1, nullptr);
                int matching = 0;
                bool known = true;
                for (const auto& other : options->GetArray()) {
                    const auto answer = satisfies(&other, candidate);
                    known = known && answer.has_value();
                    matching += answer.value_or(false);
                }
                if (!known) choice = -2;
                else if (matching == 1) choice = static_cast<int>(i);
            }
            decided = oneof_choice_.emplace(schema, choice).first;
        }
        if (decided->second == -1 && notes != nullptr) {
            std::string where;
            pointer_of(root, schema, where);
            notes->push_back("oneOf at " + where + ": every example matches several alternatives (they overlap), "
                             "so no example is valid for it");
        }
        return build(&(*options)[std::max(decided->second, 0)], a, depth + 1, notes);
    }
    if (const rapidjson::Value* options = member(schema, "anyOf"); options && options->IsArray() && !options->Empty())
        return build(&(*options)[0], a, depth + 1, notes);

    std::string type = type_of(root, schema);
    if (type.empty()) type = member(schema, "properties") ? "object" : member(schema, "items") ? "array" : "string";
    if (type == "string") {
        const std::string text = string_example(schema);
        return rapidjson::Value(text.c_str(), static_cast<rapidjson::SizeType>(text.size()), a);
    }
    if (type == "integer" || type == "number") {
        double low = number_member(schema, "minimum", -1e18), high = number_member(schema, "maximum", 1e18);
        if (const rapidjson::Value* x = member(schema, "exclusiveMinimum"); x && x->IsNumber()) low = x->GetDouble() + 1;
        if (const rapidjson::Value* x = member(schema, "exclusiveMaximum"); x && x->IsNumber()) high = x->GetDouble() - 1;
        double value = 1;
        if (value < low) value = std::ceil(low);
        if (value > high) value = std::floor(high);
        if (type == "integer") return rapidjson::Value(static_cast<int64_t>(value));
        return rapidjson::Value(value);
    }
    if (type == "boolean") return rapidjson::Value(true);
    if (type == "null") return rapidjson::Value();
    if (type == "array") {
        rapidjson::Value list(rapidjson::kArrayType);
        const auto count = static_cast<int>(std::max(1.0, number_member(schema, "minItems", 1)));
        const auto most = static_cast<int>(number_member(schema, "maxItems", 1e9));
        for (int i = 0; i < std::min(count, most) && i < 16; ++i) {
            rapidjson::Value item = build(member(schema, "items"), a, depth + 1, notes);
            // uniqueItems with one generated value: keep one.
            list.PushBack(item, a);
            if (member(schema, "uniqueItems")) break;
        }
        return list;
    }
    // object
    rapidjson::Value object(rapidjson::kObjectType);
    const rapidjson::Value* properties = member(schema, "properties");
    const rapidjson::Value* required = member(schema, "required");
    auto is_required = [required](const rapidjson::Value& name) {
        if (required == nullptr || !required->IsArray()) return false;
        for (const auto& r : required->GetArray())
            if (r == name) return true;
        return false;
    };
    if (properties != nullptr && properties->IsObject()) {
        for (const auto& p : properties->GetObject()) {
            const rapidjson::Value* property = deref(root, &p.value);
            const rapidjson::Value* read_only = member(property, "readOnly");
            if (read_only != nullptr && read_only->IsTrue()) continue;
            // Optional members only near the top, so recursive shapes end.
            if (!is_required(p.name) && depth > 2) continue;
            object.AddMember(rapidjson::Value(p.name, a), build(&p.value, a, depth + 1, notes), a);
        }
    }
    return object;
}

namespace {

void append_literal(const rapidjson::Value& v, std::string& out) {
    if (v.IsNull()) out += "None";
    else if (v.IsBool()) out += v.GetBool() ? "True" : "False";
    else if (v.IsInt64()) out += std::to_string(v.GetInt64());
    else if (v.IsUint64()) out += std::to_string(v.GetUint64());
    else if (v.IsNumber()) {
        char buffer[64];
        std::snprintf(buffer, sizeof buffer, "%.17g", v.GetDouble());
        std::string text = buffer;
        if (text.find_first_of(".eE") == std::string::npos && text.find("inf") == std::string::npos &&
            text.find("nan") == std::string::npos)
            text += ".0";
        out += text;
    } else if (v.IsString()) {
        // A JSON string literal is a Python one, once '/' escapes are not used (rapidjson does not).
        rapidjson::StringBuffer buffer;
        rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
        writer.String(v.GetString(), v.GetStringLength());
        out += buffer.GetString();
    } else if (v.IsArray()) {
        out += "[";
        bool first = true;
        for (const auto& item : v.GetArray()) {
            if (!first) out += ", ";
            first = false;
            append_literal(item, out);
        }
        out += "]";
    } else {
        out += "{";
        bool first = true;
        for (const auto& m : v.GetObject()) {
            if (!first) out += ", ";
            first = false;
            append_literal(m.name, out);
            out += ": ";
            append_literal(m.value, out);
        }
        out += "}";
    }
}

}  // namespace

std::string type_of(const rapidjson::Document& root, const rapidjson::Value* schema) {
    schema = deref(root, schema);
    const rapidjson::Value* type = member(schema, "type");
    if (type == nullptr) return "";
    if (type->IsString()) return type->GetString();
    if (type->IsArray())
        for (const auto& t : type->GetArray())
            if (t.IsString() && std::string(t.GetString()) != "null") return t.GetString();
    return "";
}

ExampleMaker::ExampleMaker(const rapidjson::Document& root) : root_(root) {}
ExampleMaker::~ExampleMaker() = default;

rapidjson::Value ExampleMaker::example(const rapidjson::Value* schema, Allocator& allocator,
                                       std::vector<std::string>* notes) {
    return build(schema, allocator, 0, notes);
}

rapidjson::Value example_of(const rapidjson::Document& root, const rapidjson::Value* schema, Allocator& allocator,
                            std::vector<std::string>* notes) {
    return ExampleMaker(root).example(schema, allocator, notes);
}

rapidjson::Value wrong_type_for(const rapidjson::Document& root, const rapidjson::Value* schema, Allocator& allocator) {
    const std::string type = type_of(root, schema);
    if (type == "string") return rapidjson::Value(12345);
    if (type == "integer" || type == "number") return rapidjson::Value("not-a-number", allocator);
    if (type == "boolean") return rapidjson::Value("not-a-boolean", allocator);
    if (type == "array" || type == "object") {
        const std::string text = "not-an-" + type;
        return rapidjson::Value(text.c_str(), static_cast<rapidjson::SizeType>(text.size()), allocator);
    }
    return rapidjson::Value(rapidjson::kArrayType);
}

std::string python_literal(const rapidjson::Value& value) {
    std::string out;
    append_literal(value, out);
    return out;
}

}  // namespace testgen
