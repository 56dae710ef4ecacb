#include <apispec/document_loader.hpp>

#include <rapidjson/error/en.h>
#include <devkit/yaml_safety.hpp>
#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstdlib>
#include <regex>
#include <string>

#include <apispec/errors.hpp>

namespace apispec {
namespace {

std::string line_column(std::string_view text, std::size_t offset) {
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

// YAML 1.2 core schema resolution of a plain scalar. Only the core forms:
// "yes"/"on" stay strings, as in every OpenAPI tool written since 2017.
rapidjson::Value plain_scalar(const std::string& text, rapidjson::Document::AllocatorType& allocator) {
    static const std::regex null_form("^(~|null|Null|NULL)?$");
    static const std::regex true_form("^(true|True|TRUE)$");
    static const std::regex false_form("^(false|False|FALSE)$");
    static const std::regex integer_form("^[-+]?[0-9]+$");
    static const std::regex float_form("^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$");
    if (std::regex_match(text, null_form)) return rapidjson::Value();
    if (std::regex_match(text, true_form)) return rapidjson::Value(true);
    if (std::regex_match(text, false_form)) return rapidjson::Value(false);
    if (std::regex_match(text, integer_form)) {
        errno = 0;
        const long long value = std::strtoll(text.c_str(), nullptr, 10);
        if (errno == 0) return rapidjson::Value(static_cast<int64_t>(value));
        return rapidjson::Value(std::strtod(text.c_str(), nullptr));
    }
    if (std::regex_match(text, float_form)) return rapidjson::Value(std::strtod(text.c_str(), nullptr));
    return rapidjson::Value(text.c_str(), static_cast<rapidjson::SizeType>(text.size()), allocator);
}

rapidjson::Value to_json(const YAML::Node& node, rapidjson::Document::AllocatorType& allocator) {
    switch (node.Type()) {
        case YAML::NodeType::Map: {
            rapidjson::Value object(rapidjson::kObjectType);
            for (const auto& entry : node) {
                if (!entry.first.IsScalar())
                    throw SpecError("", "YAML mapping key at line " + std::to_string(entry.first.Mark().line + 1) +
                                            " is not a scalar; JSON (and OpenAPI) keys are strings");
                const std::string& key = entry.first.Scalar();
                rapidjson::Value name(key.c_str(), static_cast<rapidjson::SizeType>(key.size()), allocator);
                auto found = object.FindMember(name);
                if (found != object.MemberEnd())
                    found->value = to_json(entry.second, allocator);  // YAML forbids it; last one wins
                else
                    object.AddMember(name, to_json(entry.second, allocator), allocator);
            }
            return object;
        }
        case YAML::NodeType::Sequence: {
            rapidjson::Value array(rapidjson::kArrayType);
            for (const auto& item : node) array.PushBack(to_json(item, allocator), allocator);
            return array;
        }
        case YAML::NodeType::Scalar: {
            const std::string& text = node.Scalar();
            // yaml-cpp tags quoted and block scalars "!" and plain ones "?":
            // only plain scalars are numbers, booleans or null.
            if (node.Tag() == "?" || node.Tag().empty()) return plain_scalar(text, allocator);
            return rapidjson::Value(text.c_str(), static_cast<rapidjson::SizeType>(text.size()), allocator);
        }
        case YAML::NodeType::Null:
        case YAML::NodeType::Undefined:
            break;
    }
    return rapidjson::Value();
}

}  // namespace

rapidjson::Document load_document(std::string_view text) {
    const std::size_t first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) throw SpecError("", "the API description is empty");
    rapidjson::Document document;
    if (text[first] == '{' || text[first] == '[') {
        document.Parse(text.data(), text.size());
        if (document.HasParseError())
            throw SpecError("", std::string("JSON does not parse at ") + line_column(text, document.GetErrorOffset()) +
                                    ": " + rapidjson::GetParseError_En(document.GetParseError()));
        return document;
    }
    if (auto hazard = devkit::yaml_hazard(text)) throw SpecError("", "YAML does not parse at " + hazard.describe());
    YAML::Node root;
    try {
        root = YAML::Load(std::string(text));
    } catch (const YAML::Exception& error) {
        throw SpecError("", "YAML does not parse at line " + std::to_string(error.mark.line + 1) + ", column " +
                                std::to_string(error.mark.column + 1) + ": " + error.msg);
    }
    rapidjson::Value value = to_json(root, document.GetAllocator());
    static_cast<rapidjson::Value&>(document) = value;
    return document;
}

}  // namespace apispec
