#include "json/json_util.hpp"

#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <fstream>
#include <sstream>

namespace agenthost::json {

std::string serialize(const rapidjson::Value& value) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    value.Accept(writer);
    return std::string(buffer.GetString(), buffer.GetSize());
}

namespace {

// RapidJSON parses, validates and frees values recursively, so a hostile
// body of a million '[' would overflow the stack. Nesting is measured first
// with a flat scan (strings skipped) and refused past this depth.
constexpr int kMaxDepth = 128;

bool too_deep(std::string_view text) {
    int depth = 0;
    bool in_string = false;
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (in_string) {
            if (c == '\\') ++i;
            else if (c == '"') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > kMaxDepth) return true;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return false;
}

}  // namespace

std::optional<rapidjson::Document> parse(std::string_view text, std::string& error) {
    if (too_deep(text)) {
        error = "nesting deeper than " + std::to_string(kMaxDepth) + " levels";
        return std::nullopt;
    }
    rapidjson::Document document;
    // Invalid UTF-8 is refused here so no plugin ever has to cope with it.
    document.Parse<rapidjson::kParseValidateEncodingFlag>(text.data(), text.size());
    if (document.HasParseError()) {
        error = std::string(rapidjson::GetParseError_En(document.GetParseError())) + " at offset " +
                std::to_string(document.GetErrorOffset());
        return std::nullopt;
    }
    return document;
}

TextKind kind_of(std::string_view text) {
    if (too_deep(text)) return TextKind::invalid;
    // A SAX pass that only checks: no values are allocated.
    rapidjson::BaseReaderHandler<> ignore;
    rapidjson::Reader reader;
    rapidjson::MemoryStream memory(text.data(), text.size());
    rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> input(memory);
    if (!reader.Parse<rapidjson::kParseValidateEncodingFlag>(input, ignore)) return TextKind::invalid;
    // Valid JSON: its first character after whitespace says what it is.
    size_t first = text.find_first_not_of(" \t\r\n");
    return first != std::string_view::npos && text[first] == '{' ? TextKind::object : TextKind::other;
}

std::optional<rapidjson::Document> parse_file(const std::string& path, std::string& error) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = "cannot read " + path;
        return std::nullopt;
    }
    std::ostringstream content;
    content << in.rdbuf();
    std::string parse_error;
    auto document = parse(content.str(), parse_error);
    if (!document) error = path + " is not valid JSON: " + parse_error;
    return document;
}

rapidjson::Value string_value(std::string_view text, rapidjson::Document::AllocatorType& allocator) {
    return rapidjson::Value(text.data(), static_cast<rapidjson::SizeType>(text.size()), allocator);
}

std::string get_string(const rapidjson::Value& object, const char* name, const std::string& fallback) {
    const rapidjson::Value* member = get_member(object, name);
    return member != nullptr && member->IsString() ? std::string(member->GetString(), member->GetStringLength())
                                                   : fallback;
}

long long get_int64(const rapidjson::Value& object, const char* name, long long fallback) {
    const rapidjson::Value* member = get_member(object, name);
    return member != nullptr && member->IsInt64() ? member->GetInt64() : fallback;
}

const rapidjson::Value* get_member(const rapidjson::Value& object, const char* name) {
    if (!object.IsObject()) return nullptr;
    auto found = object.FindMember(name);
    return found == object.MemberEnd() ? nullptr : &found->value;
}

}  // namespace agenthost::json
