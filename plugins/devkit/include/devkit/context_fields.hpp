// Reading typed members of a request's context (or an agent's config) with
// errors that name the field, so the caller's 422 says which one is wrong.
// Header-only: plain rapidjson, no SDK types.
#pragma once

#include <rapidjson/document.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace devkit {

// A member of the input is missing, mistyped or out of range; the message
// starts with the member's path (e.g. "context.environments[1].name").
struct FieldError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The member, or nullptr when it is absent or JSON null.
inline const rapidjson::Value* field(const rapidjson::Value& object, const char* name) {
    if (!object.IsObject()) return nullptr;
    auto found = object.FindMember(name);
    return found == object.MemberEnd() || found->value.IsNull() ? nullptr : &found->value;
}

inline std::optional<std::string> string_field(const rapidjson::Value& object, const char* name,
                                               const std::string& path) {
    const rapidjson::Value* value = field(object, name);
    if (value == nullptr) return std::nullopt;
    if (!value->IsString()) throw FieldError(path + " must be a string");
    return std::string(value->GetString(), value->GetStringLength());
}

inline std::optional<double> number_field(const rapidjson::Value& object, const char* name, const std::string& path,
                                          double minimum, double maximum) {
    const rapidjson::Value* value = field(object, name);
    if (value == nullptr) return std::nullopt;
    if (!value->IsNumber()) throw FieldError(path + " must be a number");
    const double number = value->GetDouble();
    if (!(number >= minimum && number <= maximum))
        throw FieldError(path + " must be from " + std::to_string(minimum) + " to " + std::to_string(maximum) +
                         ", not " + std::to_string(number));
    return number;
}

inline std::optional<int> int_field(const rapidjson::Value& object, const char* name, const std::string& path,
                                    int minimum, int maximum) {
    const rapidjson::Value* value = field(object, name);
    if (value == nullptr) return std::nullopt;
    if (!value->IsInt()) throw FieldError(path + " must be an integer");
    int number = value->GetInt();
    if (number < minimum || number > maximum)
        throw FieldError(path + " must be from " + std::to_string(minimum) + " to " + std::to_string(maximum) +
                         ", not " + std::to_string(number));
    return number;
}

inline std::optional<bool> bool_field(const rapidjson::Value& object, const char* name, const std::string& path) {
    const rapidjson::Value* value = field(object, name);
    if (value == nullptr) return std::nullopt;
    if (!value->IsBool()) throw FieldError(path + " must be true or false");
    return value->GetBool();
}

// An array of strings (absent: empty).
inline std::vector<std::string> string_list_field(const rapidjson::Value& object, const char* name,
                                                  const std::string& path) {
    std::vector<std::string> out;
    const rapidjson::Value* value = field(object, name);
    if (value == nullptr) return out;
    if (!value->IsArray()) throw FieldError(path + " must be an array of strings");
    for (rapidjson::SizeType i = 0; i < value->Size(); ++i) {
        const auto& item = (*value)[i];
        if (!item.IsString()) throw FieldError(path + "[" + std::to_string(i) + "] must be a string");
        out.emplace_back(item.GetString(), item.GetStringLength());
    }
    return out;
}

}  // namespace devkit
