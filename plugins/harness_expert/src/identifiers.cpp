#include "identifiers.hpp"

namespace harness_expert {
namespace {

bool is_ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

bool is_valid_identifier(std::string_view identifier) {
    if (identifier.empty() || identifier.size() > kMaxIdentifierLength) return false;
    if (!is_ascii_alpha(identifier[0]) && identifier[0] != '_') return false;
    for (char c : identifier.substr(1))
        if (!is_ascii_alpha(c) && !is_ascii_digit(c) && c != '_' && c != '$') return false;
    return true;
}

std::string to_identifier(std::string_view name) {
    std::string identifier;
    identifier.reserve(name.size() + 1);
    for (char c : name) identifier += is_ascii_alpha(c) || is_ascii_digit(c) || c == '_' || c == '$' ? c : '_';
    if (identifier.empty() || !(is_ascii_alpha(identifier[0]) || identifier[0] == '_')) identifier.insert(0, "_");
    if (identifier.size() > kMaxIdentifierLength) identifier.resize(kMaxIdentifierLength);
    return identifier;
}

std::string IdentifierScope::claim(std::string_view name) {
    const std::string base = to_identifier(name);
    if (used_.insert(base).second) return base;
    for (int n = 2;; ++n) {
        const std::string suffix = "_" + std::to_string(n);
        std::string candidate = base.substr(0, kMaxIdentifierLength - suffix.size()) + suffix;
        if (used_.insert(candidate).second) return candidate;
    }
}

std::string to_job_id(std::string_view name) {
    std::string id;
    for (char c : name) id += is_ascii_alpha(c) || is_ascii_digit(c) || c == '_' || c == '-' ? c : '_';
    if (id.empty() || !(is_ascii_alpha(id[0]) || id[0] == '_')) id.insert(0, "_");
    return id;
}

}  // namespace harness_expert
