#include "auth/scopes.hpp"

#include <stdexcept>

namespace agenthost::auth {
namespace {

constexpr Scope kOrdered[] = {kRead, kInvoke, kCancel, kApprove, kAdmin};

}  // namespace

const char* scope_name(Scope scope) {
    switch (scope) {
        case kRead: return "read";
        case kInvoke: return "invoke";
        case kCancel: return "cancel";
        case kApprove: return "approve";
        case kAdmin: return "admin";
        default: return "none";
    }
}

std::optional<Scope> scope_named(const std::string& name) {
    for (Scope scope : kOrdered)
        if (name == scope_name(scope)) return scope;
    return std::nullopt;
}

uint32_t parse_scopes(const std::string& text) {
    uint32_t scopes = 0;
    size_t start = 0;
    while (start <= text.size()) {
        size_t end = text.find_first_of(", ", start);
        if (end == std::string::npos) end = text.size();
        std::string name = text.substr(start, end - start);
        if (!name.empty()) {
            auto scope = scope_named(name);
            if (!scope)
                throw std::invalid_argument("unknown scope '" + name +
                                            "' (known: read, invoke, cancel, approve, admin)");
            scopes |= *scope;
        }
        start = end + 1;
    }
    return scopes;
}

std::string scopes_text(uint32_t scopes) {
    std::string text;
    for (Scope scope : kOrdered)
        if (scopes & scope) text += (text.empty() ? "" : ",") + std::string(scope_name(scope));
    return text;
}

}  // namespace agenthost::auth
