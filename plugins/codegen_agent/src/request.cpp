#include "request.hpp"

#include <algorithm>
#include <cctype>
#include <regex>
#include <stdexcept>

#include <apispec/document_loader.hpp>
#include "api.hpp"
#include "errors.hpp"

namespace codegen {
namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

const rapidjson::Value* member(const rapidjson::Value& object, const char* name) {
    auto found = object.FindMember(name);
    return found == object.MemberEnd() ? nullptr : &found->value;
}

std::string string_option(const rapidjson::Value& context, const char* name) {
    const rapidjson::Value* value = member(context, name);
    if (value == nullptr) return "";
    if (!value->IsString()) throw InputError(std::string("context.") + name + " must be a string");
    return std::string(value->GetString(), value->GetStringLength());
}

// An API description written into the task: a fenced block, a JSON object,
// or YAML from an `openapi:` line on. Returns the text and the prose around it.
bool find_inline_spec(std::string_view task, std::string& spec, std::string& prose, std::string& how) {
    const std::string text(task);
    static const std::regex fenced("```[A-Za-z]*[ \\t]*\\r?\\n([\\s\\S]*?)```");
    std::smatch match;
    if (std::regex_search(text, match, fenced)) {
        spec = match[1].str();
        prose = match.prefix().str() + " " + match.suffix().str();
        how = "a fenced block in the task";
        return true;
    }
    const std::size_t open = text.find('{');
    const std::size_t close = text.rfind('}');
    if (open != std::string::npos && close != std::string::npos && close > open) {
        rapidjson::Document probe;
        probe.Parse(text.data() + open, close - open + 1);
        if (!probe.HasParseError()) {
            spec = text.substr(open, close - open + 1);
            prose = text.substr(0, open) + " " + text.substr(close + 1);
            how = "JSON in the task";
            return true;
        }
    }
    static const std::regex yaml_start("(^|\\n)[ \\t]*(openapi|swagger)[ \\t]*:");
    if (std::regex_search(text, match, yaml_start)) {
        const std::size_t start = static_cast<std::size_t>(match.position(0)) + (match[1].length() > 0 ? 1 : 0);
        spec = text.substr(start);
        prose = text.substr(0, start);
        how = "YAML in the task";
        return true;
    }
    return false;
}

}  // namespace

Config config_from_json(const rapidjson::Value& config) {
    Config out;
    if (!config.IsObject()) return out;
    if (const rapidjson::Value* language = member(config, "default_language")) {
        if (!language->IsString()) throw std::invalid_argument("config default_language must be a string");
        out.default_language = language->GetString();
        if (out.default_language != "python" && out.default_language != "typescript" && out.default_language != "both")
            throw std::invalid_argument("config default_language must be python, typescript or both");
    }
    if (const rapidjson::Value* version = member(config, "python_min_version")) {
        static const std::regex form("^3\\.([0-9]+)$");
        std::cmatch match;
        if (!version->IsString() || !std::regex_match(version->GetString(), match, form) ||
            std::stoi(match[1].str()) < 8)
            throw std::invalid_argument("config python_min_version must be a string such as \"3.8\" (3.8 or later)");
        out.python_min_minor = std::stoi(match[1].str());
    }
    return out;
}

Request request_from(std::string_view task, const rapidjson::Value& context, const Config& config) {
    Request request;
    std::string prose(task);
    if (const rapidjson::Value* spec = member(context, "spec")) {
        if (spec->IsObject()) {
            request.spec.CopyFrom(*spec, request.spec.GetAllocator());
            request.spec_origin = "context.spec";
        } else if (spec->IsString()) {
            request.spec = load_document(std::string_view(spec->GetString(), spec->GetStringLength()));
            request.spec_origin = "context.spec (text)";
        } else {
            throw InputError("context.spec must be an object (the document) or a string (its JSON or YAML text)");
        }
    } else {
        std::string text, how;
        if (!find_inline_spec(task, text, prose, how))
            throw InputError(
                "no API description found: give context.spec (an OpenAPI 3.x document or a JSON Schema, as an object "
                "or as JSON/YAML text), or put the document in the task (JSON, YAML starting at 'openapi:', or a "
                "fenced block), and optionally context.language (python, typescript or both)");
        request.spec = load_document(text);
        request.spec_origin = how;
        request.notes.push_back("document: read from " + how);
    }

    const std::string language = string_option(context, "language");
    if (!language.empty()) {
        if (language != "python" && language != "typescript" && language != "both")
            throw InputError("context.language must be python, typescript or both, not '" + language + "'");
        request.python = language != "typescript";
        request.typescript = language != "python";
    } else {
        const std::string words = " " + lower(prose) + " ";
        static const std::regex ts_word("[^a-z](typescript|ts)[^a-z]");
        static const std::regex py_word("[^a-z](python|py)[^a-z]");
        const bool ts = std::regex_search(words, ts_word);
        const bool py = std::regex_search(words, py_word);
        if (ts || py) {
            request.python = py;
            request.typescript = ts;
            request.notes.push_back(std::string("language: ") +
                                    (ts && py ? "both"
                                     : ts     ? "typescript"
                                              : "python") +
                                    " (named in the task)");
        } else {
            request.python = config.default_language != "typescript";
            request.typescript = config.default_language != "python";
            request.notes.push_back("language: " + config.default_language + " (default, config default_language)");
        }
    }
    request.client_name = string_option(context, "client_name");
    request.package_name = string_option(context, "package_name");
    return request;
}

}  // namespace codegen
