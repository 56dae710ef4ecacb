// The member `name` of a JSON object that may be absent: how the OpenAPI
// reader, the example data and the contract suite walk a document.
#pragma once

#include <rapidjson/document.h>

namespace testgen {

// nullptr when `object` is null or not an object, or has no such member.
inline const rapidjson::Value* member(const rapidjson::Value* object, const char* name) {
    if (object == nullptr || !object->IsObject()) return nullptr;
    auto found = object->FindMember(name);
    return found == object->MemberEnd() ? nullptr : &found->value;
}

}  // namespace testgen
