// Which file a command name means: only names on the operator's allow-list,
// found on the host's PATH (agents.<name>.exec.allow). A plugin never names
// a path, so it cannot run a binary it dropped into its workspace.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace agenthost::exec {

// The executable `name` resolves to: on `allow`, then the first regular
// executable file named so in the ':'-separated `search_path` (relative
// entries are ignored: they would depend on the host's working directory).
// nullopt and `error` (naming the allow-list or the PATH) otherwise.
std::optional<std::string> resolve_command(const std::string& name, const std::vector<std::string>& allow,
                                           const std::string& search_path, const std::string& agent,
                                           std::string& error);

// The host's PATH, read once at start (a later setenv does not change what
// runs).
const std::string& host_search_path();

}  // namespace agenthost::exec
