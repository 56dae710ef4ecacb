// `agentctl new-plugin NAME [--lang c|cpp] [--dir DIR]`: writes a ready
// out-of-tree agent project (CMake, manifest, the agent, a unit test on the
// SDK's test harness, a README) that builds against the installed SDK and
// passes its test as generated.
#pragma once

#include <string>
#include <vector>

namespace agentctl {

// `args` are the words after "new-plugin". Prints what it wrote; returns
// the exit status (0 written, 2 bad arguments or a file that cannot be
// written).
int new_plugin(const std::vector<std::string>& args);

}  // namespace agentctl
