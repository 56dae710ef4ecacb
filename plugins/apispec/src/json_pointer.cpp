#include <apispec/json_pointer.hpp>

#include <cstdlib>

namespace apispec {

std::string escape_token(std::string_view token) {
    std::string out;
    out.reserve(token.size());
    for (char c : token) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out += c;
    }
    return out;
}

std::string child(const std::string& base, std::string_view token) { return base + "/" + escape_token(token); }
std::string child(const std::string& base, std::size_t index) { return base + "/" + std::to_string(index); }

namespace {

std::string unescape_token(std::string_view token) {
    std::string out;
    for (std::size_t i = 0; i < token.size(); ++i) {
        if (token[i] == '~' && i + 1 < token.size() && (token[i + 1] == '0' || token[i + 1] == '1')) {
            out += token[i + 1] == '0' ? '~' : '/';
            ++i;
        } else {
            out += token[i];
        }
    }
    return out;
}

}  // namespace

const rapidjson::Value* resolve_pointer(const rapidjson::Value& root, std::string_view pointer) {
    const rapidjson::Value* current = &root;
    if (pointer.empty()) return current;
    if (pointer.front() != '/') return nullptr;
    std::size_t start = 1;
    while (true) {
        const std::size_t end = pointer.find('/', start);
        const std::string token =
            unescape_token(pointer.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
        if (current->IsObject()) {
            auto found = current->FindMember(rapidjson::Value(rapidjson::StringRef(token.data(), token.size())));
            if (found == current->MemberEnd()) return nullptr;
            current = &found->value;
        } else if (current->IsArray()) {
            if (token.empty() || token.find_first_not_of("0123456789") != std::string::npos) return nullptr;
            const unsigned long index = std::strtoul(token.c_str(), nullptr, 10);
            if (index >= current->Size()) return nullptr;
            current = &(*current)[static_cast<rapidjson::SizeType>(index)];
        } else {
            return nullptr;
        }
        if (end == std::string_view::npos) return current;
        start = end + 1;
    }
}

std::string last_token(std::string_view pointer) {
    const std::size_t slash = pointer.rfind('/');
    return unescape_token(slash == std::string_view::npos ? pointer : pointer.substr(slash + 1));
}

}  // namespace apispec
