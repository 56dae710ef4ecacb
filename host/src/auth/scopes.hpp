// Scope names as operators write them ("invoke,read") and as the store
// keeps them.
#pragma once

#include "auth/principal.hpp"

#include <optional>
#include <string>

namespace agenthost::auth {

const char* scope_name(Scope scope);
// Nullopt for an unknown name.
std::optional<Scope> scope_named(const std::string& name);
// "read,invoke" (commas or spaces) to bits; throws std::invalid_argument
// naming an unknown scope.
uint32_t parse_scopes(const std::string& text);
// Bits to "read,invoke,...", in a fixed order.
std::string scopes_text(uint32_t scopes);

}  // namespace agenthost::auth
