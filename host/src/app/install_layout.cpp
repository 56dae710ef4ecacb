#include "app/install_layout.hpp"

#include <filesystem>
#include <system_error>

namespace agenthost::app {

namespace fs = std::filesystem;

std::string executable_path(const char* argv0) {
    std::error_code error;
    fs::path exe = fs::read_symlink("/proc/self/exe", error);
    if (error) exe = fs::absolute(argv0);
    return exe.string();
}

std::string plugin_dir_for_executable(const std::string& executable) {
    const fs::path prefix = fs::path(executable).parent_path().parent_path();
    const fs::path build_tree = prefix / "plugins";
    const fs::path installed = prefix / "lib" / "agenthost" / "plugins";
    std::error_code error;
    // The build tree first: `make run` and the tests must keep loading what
    // was just built even when an install sits in the same prefix.
    if (fs::is_directory(build_tree, error)) return build_tree.string();
    if (fs::is_directory(installed, error)) return installed.string();
    return build_tree.string();
}

std::string runner_path_for_executable(const std::string& executable) {
    return (fs::path(executable).parent_path() / "agenthost-plugin-runner").string();
}

}  // namespace agenthost::app
