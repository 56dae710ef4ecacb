// Compiled validators for the host's own schemas, built once and shared.
#pragma once

#include "json/schema_validator.hpp"

#include <string>

namespace agenthost::json {

// The validator for an embedded schema; throws std::out_of_range for an
// unknown name (a programming error, caught by tests).
const SchemaValidator& host_schema(const std::string& name);

}  // namespace agenthost::json
