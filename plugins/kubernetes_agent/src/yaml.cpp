// JSON values to YAML and back, both through yaml-cpp.
#include "devkit/yaml_safety.hpp"
#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstdlib>
#include <regex>
#include <string>

#include "kubernetes.hpp"

namespace k8s {
namespace {

enum class PlainType { string, null, boolean_true, boolean_false, integer, number };

// How a plain (unquoted) scalar reads: YAML 1.2 core schema plus the YAML
// 1.1 booleans (yes/no/on/off/y/n) that Kubernetes' YAML reader accepts.
PlainType plain_type(const std::string& text) {
    static const std::regex null_form("^(~|null|Null|NULL|)$");
    static const std::regex true_form("^(true|True|TRUE|yes|Yes|YES|on|On|ON|y|Y)$");
    static const std::regex false_form("^(false|False|FALSE|no|No|NO|off|Off|OFF|n|N)$");
    static const std::regex integer_form("^[-+]?([0-9]+|0x[0-9a-fA-F]+|0o[0-7]+)$");
    static const std::regex number_form(
        "^([-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN))$");
    if (std::regex_match(text, null_form)) return PlainType::null;
    if (std::regex_match(text, true_form)) return PlainType::boolean_true;
    if (std::regex_match(text, false_form)) return PlainType::boolean_false;
    if (std::regex_match(text, integer_form)) return PlainType::integer;
    if (std::regex_match(text, number_form)) return PlainType::number;
    return PlainType::string;
}

void emit(YAML::Emitter& out, const rapidjson::Value& value) {
    switch (value.GetType()) {
        case rapidjson::kObjectType:
            if (value.ObjectEmpty()) out << YAML::Flow;
            out << YAML::BeginMap;
            for (const auto& member : value.GetObject()) {
                out << YAML::Key << std::string(member.name.GetString(), member.name.GetStringLength())
                    << YAML::Value;
                emit(out, member.value);
            }
            out << YAML::EndMap;
            break;
        case rapidjson::kArrayType:
            if (value.Empty()) out << YAML::Flow;
            out << YAML::BeginSeq;
            for (const auto& item : value.GetArray()) emit(out, item);
            out << YAML::EndSeq;
            break;
        case rapidjson::kStringType: {
            const std::string text(value.GetString(), value.GetStringLength());
            if (plain_type(text) != PlainType::string) out << YAML::DoubleQuoted;
            out << text;
            break;
        }
        case rapidjson::kTrueType:
        case rapidjson::kFalseType:
            out << YAML::TrueFalseBool << value.GetBool();
            break;
        case rapidjson::kNumberType:
            if (value.IsInt64())
                out << value.GetInt64();
            else if (value.IsUint64())
                out << value.GetUint64();
            else
                out << value.GetDouble();
            break;
        case rapidjson::kNullType:
            out << YAML::Null;
            break;
    }
}

rapidjson::Value to_json(const YAML::Node& node, rapidjson::Document::AllocatorType& allocator) {
    switch (node.Type()) {
        case YAML::NodeType::Map: {
            rapidjson::Value object(rapidjson::kObjectType);
            for (const auto& entry : node) {
                const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : YAML::Dump(entry.first);
                rapidjson::Value name(key.c_str(), static_cast<rapidjson::SizeType>(key.size()), allocator);
                // A repeated key: the last one wins, as in Kubernetes' reader.
                auto found = object.FindMember(name);
                if (found != object.MemberEnd())
                    found->value = to_json(entry.second, allocator);
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
            // yaml-cpp tags quoted and block scalars "!" and plain ones "?".
            const bool plain = node.Tag() == "?" || node.Tag().empty();
            const PlainType type = plain ? plain_type(text) : PlainType::string;
            switch (type) {
                case PlainType::null:
                    return rapidjson::Value();
                case PlainType::boolean_true:
                    return rapidjson::Value(true);
                case PlainType::boolean_false:
                    return rapidjson::Value(false);
                case PlainType::integer: {
                    const bool hex = text.find('x') != std::string::npos;
                    const bool octal = text.find('o') != std::string::npos;
                    const std::size_t digits = hex || octal ? text.find_first_of("xo") + 1 : 0;
                    const bool negative = !text.empty() && text[0] == '-';
                    errno = 0;
                    const long long magnitude =
                        std::strtoll(text.c_str() + digits, nullptr, hex ? 16 : octal ? 8 : 10);
                    if (errno != 0) return rapidjson::Value(std::strtod(text.c_str(), nullptr));
                    return rapidjson::Value(static_cast<int64_t>(negative && digits ? -magnitude : magnitude));
                }
                case PlainType::number:
                    if (text.find("inf") != std::string::npos || text.find("Inf") != std::string::npos ||
                        text.find("INF") != std::string::npos || text.find("nan") != std::string::npos ||
                        text.find("NaN") != std::string::npos || text.find("NAN") != std::string::npos)
                        break;  // JSON has no such numbers: keep the text
                    return rapidjson::Value(std::strtod(text.c_str(), nullptr));
                case PlainType::string:
                    break;
            }
            return rapidjson::Value(text.c_str(), static_cast<rapidjson::SizeType>(text.size()), allocator);
        }
        case YAML::NodeType::Null:
        case YAML::NodeType::Undefined:
            break;
    }
    return rapidjson::Value();
}

}  // namespace

std::string to_yaml(const rapidjson::Value& value) {
    YAML::Emitter out;
    out.SetIndent(2);
    out.SetSeqFormat(YAML::Block);
    emit(out, value);
    if (!out.good()) throw std::runtime_error("yaml-cpp could not emit the document: " + out.GetLastError());
    return std::string(out.c_str(), out.size()) + "\n";
}

std::vector<rapidjson::Document> yaml_documents(std::string_view text) {
    if (auto hazard = devkit::yaml_hazard(text)) throw YamlError(hazard.message, static_cast<int>(hazard.line), static_cast<int>(hazard.column));
    std::vector<YAML::Node> nodes;
    try {
        nodes = YAML::LoadAll(std::string(text));
    } catch (const YAML::Exception& error) {
        throw YamlError(error.msg, error.mark.line + 1, error.mark.column + 1);
    }
    std::vector<rapidjson::Document> documents;
    for (const YAML::Node& node : nodes) {
        if (!node || node.IsNull()) continue;
        rapidjson::Document document;
        rapidjson::Value value = to_json(node, document.GetAllocator());
        static_cast<rapidjson::Value&>(document) = value;
        documents.push_back(std::move(document));
    }
    return documents;
}

}  // namespace k8s
