// Where the host finds what ships with it (first-party plugins, the plugin
// runner) when no flag or config names them: beside the executable, either
// in the build tree (build/bin + build/plugins) or in an installed prefix
// (<prefix>/bin + <prefix>/lib/agenthost/plugins, as `cmake --install` and
// the .deb lay it out). Schemas and web assets are compiled in, so nothing
// else is looked up on disk.
#pragma once

#include <string>

namespace agenthost::app {

// The running executable (/proc/self/exe, else argv0 made absolute).
std::string executable_path(const char* argv0);

// The first-party plugin directory for an executable at `executable`:
// <dir>/../plugins when it exists (a build tree), else
// <dir>/../lib/agenthost/plugins when it exists (an install), else the
// build-tree path, so a message about a missing directory names it.
std::string plugin_dir_for_executable(const std::string& executable);

// The plugin runner (process isolation) beside `executable`.
std::string runner_path_for_executable(const std::string& executable);

}  // namespace agenthost::app
