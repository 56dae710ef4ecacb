#include "json/storable_text.hpp"

namespace agenthost::json {
namespace {

void collect(const rapidjson::Value& value, const std::string& pointer, std::vector<Violation>& out) {
    if (value.IsString()) {
        if (const char* reason = unstorable_text_reason({value.GetString(), value.GetStringLength()}); *reason)
            out.push_back({pointer, reason});
    } else if (value.IsObject()) {
        for (const auto& member : value.GetObject()) {
            std::string_view name(member.name.GetString(), member.name.GetStringLength());
            std::string child = pointer + "/" + pointer_token(name);
            if (const char* reason = unstorable_text_reason(name); *reason)
                out.push_back({child, std::string("member name ") + reason});
            collect(member.value, child, out);
        }
    } else if (value.IsArray()) {
        size_t index = 0;
        for (const auto& element : value.GetArray()) collect(element, pointer + "/" + std::to_string(index++), out);
    }
}

}  // namespace

const char* unstorable_text_reason(std::string_view text) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
    size_t size = text.size(), i = 0;
    while (i < size) {
        unsigned char c = bytes[i];
        if (c == 0) return "contains U+0000 (NUL), which cannot be stored";
        if (c < 0x80) {
            ++i;
            continue;
        }
        size_t length;
        unsigned long code;
        if (c >= 0xC2 && c <= 0xDF) length = 2, code = c & 0x1F;
        else if (c >= 0xE0 && c <= 0xEF) length = 3, code = c & 0x0F;
        else if (c >= 0xF0 && c <= 0xF4) length = 4, code = c & 0x07;
        else return "is not valid UTF-8";
        if (i + length > size) return "is not valid UTF-8 (a truncated sequence)";
        for (size_t k = 1; k < length; ++k) {
            if ((bytes[i + k] & 0xC0) != 0x80) return "is not valid UTF-8";
            code = (code << 6) | (bytes[i + k] & 0x3F);
        }
        if ((length == 3 && code < 0x800) || (length == 4 && (code < 0x10000 || code > 0x10FFFF)))
            return "is not valid UTF-8 (an overlong or out-of-range sequence)";
        if (code >= 0xD800 && code <= 0xDFFF)
            return "contains a lone UTF-16 surrogate (such as \\udc00), which is not a character";
        i += length;
    }
    return "";
}

std::vector<Violation> unstorable_strings(const rapidjson::Value& value, const std::string& pointer) {
    std::vector<Violation> out;
    collect(value, pointer, out);
    return out;
}

}  // namespace agenthost::json
