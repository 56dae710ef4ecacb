// `${NAME}` in an agent's config (agents.<name>.config), filled from the
// host's environment when the config is read, so a secret an agent needs
// (a GitHub token for sre_agent's pull requests) stays out of the file:
// `"github": {"token": "${GITHUB_TOKEN}"}`. Only the operator's config is
// interpolated, never a manifest's default_config: a third-party plugin
// must not be able to read the host's environment by naming a variable.
#pragma once

#include <rapidjson/document.h>

#include <string>

namespace agenthost {

// Every string in `value` (object members and array items, recursively)
// with each `${NAME}` replaced by the variable's value ("" when unset);
// `NAME` is [A-Za-z_][A-Za-z0-9_]*, anything else is left as written.
void interpolate_environment(rapidjson::Value& value, rapidjson::Document::AllocatorType& allocator);

// One string's interpolation (what the above does to each string).
std::string interpolate_environment(const std::string& text);

}  // namespace agenthost
