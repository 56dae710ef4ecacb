// The string member `name` of a JSON object, or "" when it is absent, not a
// string, or `object` is not an object: what every reader in sre_agent
// (the incident's evidence, its own saved plans, GitHub's answers) needs.
#pragma once

#include <rapidjson/document.h>

#include <string>

namespace sre {

inline std::string json_text(const rapidjson::Value& object, const char* name) {
    if (!object.IsObject()) return "";
    auto found = object.FindMember(name);
    return found != object.MemberEnd() && found->value.IsString()
               ? std::string(found->value.GetString(), found->value.GetStringLength())
               : std::string();
}

}  // namespace sre
