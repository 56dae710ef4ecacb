#include "config/env_interpolation.hpp"

#include <cstdlib>

namespace agenthost {
namespace {

bool name_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool name_char(char c) { return name_start(c) || (c >= '0' && c <= '9'); }

}  // namespace

std::string interpolate_environment(const std::string& text) {
    std::string out;
    size_t at = 0;
    while (at < text.size()) {
        size_t open = text.find("${", at);
        if (open == std::string::npos) break;
        size_t end = open + 2;
        while (end < text.size() && name_char(text[end])) ++end;
        const bool is_name = end > open + 2 && name_start(text[open + 2]) && end < text.size() && text[end] == '}';
        if (!is_name) {
            out.append(text, at, open + 2 - at);
            at = open + 2;
            continue;
        }
        out.append(text, at, open - at);
        if (const char* value = std::getenv(text.substr(open + 2, end - open - 2).c_str())) out += value;
        at = end + 1;
    }
    out.append(text, at, std::string::npos);
    return out;
}

void interpolate_environment(rapidjson::Value& value, rapidjson::Document::AllocatorType& allocator) {
    if (value.IsString()) {
        std::string text(value.GetString(), value.GetStringLength());
        if (text.find("${") == std::string::npos) return;
        std::string filled = interpolate_environment(text);
        value.SetString(filled.data(), static_cast<rapidjson::SizeType>(filled.size()), allocator);
    } else if (value.IsObject()) {
        for (auto& member : value.GetObject()) interpolate_environment(member.value, allocator);
    } else if (value.IsArray()) {
        for (auto& item : value.GetArray()) interpolate_environment(item, allocator);
    }
}

}  // namespace agenthost
