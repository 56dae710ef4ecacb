// Reading back a JSON document an agent keeps (in thread memory, say): the
// kept text when it is an object whose `member` has the expected type, else
// a fresh object with an empty `member`, so a missing or damaged entry
// starts over instead of failing the run. Header-only: plain rapidjson.
#pragma once

#include <rapidjson/document.h>

#include <optional>
#include <string>

namespace devkit {

inline rapidjson::Document kept_object(const std::optional<std::string>& kept, const char* member, rapidjson::Type type) {
    rapidjson::Document document;
    if (kept) document.Parse(kept->c_str(), kept->size());
    bool usable = kept && !document.HasParseError() && document.IsObject() && document.HasMember(member) &&
                  document[member].GetType() == type;
    if (!usable) {
        document.SetObject();
        document.AddMember(rapidjson::StringRef(member), rapidjson::Value(type), document.GetAllocator());
    }
    return document;
}

}  // namespace devkit
