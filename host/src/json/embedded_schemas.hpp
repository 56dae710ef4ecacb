// The JSON Schemas of schemas/, compiled into the binary.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace agenthost::json {

// Name is the path under schemas/ without ".schema.json", e.g. "config",
// "plugin-manifest", "requests/agent-invoke".
const std::map<std::string, std::string_view>& embedded_schemas();

}  // namespace agenthost::json
