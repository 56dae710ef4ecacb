// Reading a request's context: typed members with the JSON path of any bad
// one in the error, so the caller's 422 names the field. Header-only, so
// agents can share it without growing devkit's library.
#pragma once

#include <rapidjson/document.h>

#include <optional>
#include <stdexcept>
#include <string>

namespace devkit {

// Bad input from the request; the plugin turns it into InvalidInput (422).
struct InputError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The member `name` of `object`, or null when it is absent or JSON null.
inline const rapidjson::Value* member(const rapidjson::Value& object, const char* name) {
    if (!object.IsObject()) return nullptr;
    auto found = object.FindMember(name);
    return found == object.MemberEnd() || found->value.IsNull() ? nullptr : &found->value;
}

inline std::optional<std::string> string_field(const rapidjson::Value& object, const char* name,
                                               const std::string& path) {
    const rapidjson::Value* value = member(object, name);
    if (value == nullptr) return std::nullopt;
    if (!value->IsString()) throw InputError(path + " must be a string");
    return std::string(value->GetString(), value->GetStringLength());
}

inline std::optional<double> number_field(const rapidjson::Value& object, const char* name, const std::string& path,
                                          double minimum, double maximum) {
    const rapidjson::Value* value = member(object, name);
    if (value == nullptr) return std::nullopt;
    if (!value->IsNumber()) throw InputError(path + " must be a number");
    const double number = value->GetDouble();
    if (!(number >= minimum && number <= maximum))
        throw InputError(path + " must be from " + std::to_string(minimum) + " to " + std::to_string(maximum) +
                         ", not " + std::to_string(number));
    return number;
}

inline std::optional<bool> bool_field(const rapidjson::Value& object, const char* name, const std::string& path) {
    const rapidjson::Value* value = member(object, name);
    if (value == nullptr) return std::nullopt;
    if (!value->IsBool()) throw InputError(path + " must be true or false");
    return value->GetBool();
}

}  // namespace devkit
