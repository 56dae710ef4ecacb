#include <apispec/identifiers.hpp>

#include <cctype>

namespace apispec {
namespace {

bool is_lower(char c) { return std::islower(static_cast<unsigned char>(c)) != 0; }
bool is_upper(char c) { return std::isupper(static_cast<unsigned char>(c)) != 0; }
bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }
bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

std::string lower(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

std::string capitalized(const std::string& word) {
    std::string out = lower(word);
    if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
    return out;
}

const std::set<std::string>& python_reserved() {
    static const std::set<std::string> words = {
        // keywords and soft keywords
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
        "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
        "not", "or", "pass", "raise", "return", "try", "while", "with", "yield", "match", "case",
        // builtins that generated annotations use: a field called `str`
        // would shadow the type when annotations are evaluated
        "str", "int", "float", "bool", "bytes", "list", "dict", "object", "type", "self",
        // names of the generated modules' own helpers and imports
        "from_dict", "to_dict", "Any", "Dict", "List", "Optional", "Union", "Literal", "dataclass", "field",
        "annotations", "typing", "dataclasses", "json", "urllib"};
    return words;
}

const std::set<std::string>& typescript_reserved() {
    static const std::set<std::string> words = {
        "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else", "enum",
        "export", "extends", "false", "finally", "for", "function", "if", "import", "in", "instanceof", "new", "null",
        "return", "super", "switch", "this", "throw", "true", "try", "typeof", "var", "void", "while", "with", "as",
        "implements", "interface", "let", "package", "private", "protected", "public", "static", "yield", "await",
        "async", "any", "boolean", "number", "string", "symbol", "type", "unknown", "never", "object", "undefined",
        "bigint", "arguments", "eval",
        // global types models.ts and client.ts rely on: a model named
        // Record would shadow the one used for maps
        "Record", "Array", "Promise", "Partial", "Required", "Readonly", "Pick", "Omit", "Error", "Date", "Object",
        "String", "Number", "Boolean", "Symbol", "Function", "Map", "Set", "Response", "Request", "RequestInit",
        "Headers", "URL", "URLSearchParams", "ApiError", "ClientOptions", "M"};
    return words;
}

}  // namespace

std::vector<std::string> split_words(std::string_view name) {
    std::vector<std::string> words;
    std::string current;
    auto flush = [&] {
        if (!current.empty()) words.push_back(current);
        current.clear();
    };
    for (std::size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        if (!is_alnum(c)) {
            flush();
            continue;
        }
        if (!current.empty()) {
            const char previous = current.back();
            const bool next_lower = i + 1 < name.size() && is_lower(name[i + 1]);
            // petId -> pet|Id ; HTTPServer -> HTTP|Server ; v2 stays v2
            if (is_upper(c) && (is_lower(previous) || is_digit(previous) || (is_upper(previous) && next_lower)))
                flush();
        }
        current += c;
    }
    flush();
    return words;
}

std::string snake_case(std::string_view name) {
    std::string out;
    for (const auto& word : split_words(name)) out += (out.empty() ? "" : "_") + lower(word);
    return out;
}

std::string camel_case(std::string_view name) {
    std::string out;
    for (const auto& word : split_words(name)) out += out.empty() ? lower(word) : capitalized(word);
    return out;
}

std::string pascal_case(std::string_view name) {
    std::string out;
    for (const auto& word : split_words(name)) out += capitalized(word);
    return out;
}

bool is_reserved(Language language, std::string_view name) {
    const auto& words = language == Language::python ? python_reserved() : typescript_reserved();
    return words.count(std::string(name)) > 0;
}

std::string safe_identifier(Language language, std::string name, std::string_view fallback) {
    if (name.empty()) name = std::string(fallback);
    if (is_digit(name[0])) name = "_" + name;
    if (is_reserved(language, name)) name += "_";
    return name;
}

std::string NameScope::claim(const std::string& name) {
    std::string candidate = name;
    for (int suffix = 2; taken_.count(candidate) > 0; ++suffix) candidate = name + std::to_string(suffix);
    taken_.insert(candidate);
    return candidate;
}

std::string comment_text(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\r') continue;
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') continue;
        if (text.compare(i, 3, "\xE2\x80\xA8") == 0 || text.compare(i, 3, "\xE2\x80\xA9") == 0) {
            out += ' ';
            i += 2;
            continue;
        }
        // Neither a "*/" closing a JSDoc comment nor a `"""` or a backslash
        // escape ending a Python docstring early.
        if (c == '*' && i + 1 < text.size() && text[i + 1] == '/') {
            out += "*\\/";
            ++i;
        } else if (c == '"') {
            out += '\'';
        } else if (c == '\\') {
            out += '/';
        } else {
            out += c;
        }
    }
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    return out;
}

std::string string_literal(std::string_view text) {
    static const char hex[] = "0123456789abcdef";
    std::string out = "\"";
    for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else if (byte < 0x20 || byte == 0x7f) {
            out += "\\x";
            out += hex[byte >> 4];
            out += hex[byte & 0xf];
        } else {
            out += c;
        }
    }
    return out + "\"";
}

}  // namespace apispec
