// Generated files as agents return them: result.artifacts is a list of
// {"path", "content", "media_type"} (the host emits one `artifact` event per
// entry). Header-only.
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <vector>

namespace devkit {

struct Artifact {
    std::string path;
    std::string content;
    std::string media_type;
};

// The artifacts as result.artifacts, allocated in `owner`.
inline rapidjson::Value artifacts_json(const std::vector<Artifact>& artifacts, rapidjson::Document& owner) {
    auto& allocator = owner.GetAllocator();
    auto text = [&allocator](const std::string& value) {
        return rapidjson::Value(value.c_str(), static_cast<rapidjson::SizeType>(value.size()), allocator);
    };
    rapidjson::Value list(rapidjson::kArrayType);
    for (const auto& artifact : artifacts) {
        rapidjson::Value entry(rapidjson::kObjectType);
        entry.AddMember("path", text(artifact.path), allocator);
        entry.AddMember("content", text(artifact.content), allocator);
        entry.AddMember("media_type", text(artifact.media_type), allocator);
        list.PushBack(entry, allocator);
    }
    return list;
}

}  // namespace devkit
