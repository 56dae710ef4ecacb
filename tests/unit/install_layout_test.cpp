// Where a host with no --plugins-dir looks for its first-party plugins and
// its runner: the build tree first, then an installed prefix.
#include "app/install_layout.hpp"
#include "host_process.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using namespace agenthost;
namespace fs = std::filesystem;

TEST_CASE("an installed host finds <prefix>/lib/agenthost/plugins") {
    fs::path prefix = testing::make_temp_dir();
    fs::create_directories(prefix / "bin");
    fs::create_directories(prefix / "lib/agenthost/plugins");
    std::string exe = (prefix / "bin/agenthost").string();
    CHECK(app::plugin_dir_for_executable(exe) == (prefix / "lib/agenthost/plugins").string());
    CHECK(app::runner_path_for_executable(exe) == (prefix / "bin/agenthost-plugin-runner").string());
}

TEST_CASE("a build tree's plugins win over an install in the same prefix") {
    fs::path prefix = testing::make_temp_dir();
    fs::create_directories(prefix / "bin");
    fs::create_directories(prefix / "plugins");
    fs::create_directories(prefix / "lib/agenthost/plugins");
    CHECK(app::plugin_dir_for_executable((prefix / "bin/agenthost").string()) == (prefix / "plugins").string());
}

TEST_CASE("with neither directory the build-tree path is named") {
    fs::path prefix = testing::make_temp_dir();
    fs::create_directories(prefix / "bin");
    // A file where the install directory would be does not count.
    fs::create_directories(prefix / "lib/agenthost");
    { std::ofstream(prefix / "lib/agenthost/plugins") << "not a directory"; }
    CHECK(app::plugin_dir_for_executable((prefix / "bin/agenthost").string()) == (prefix / "plugins").string());
}

TEST_CASE("the executable is the running binary, not argv[0]") {
    std::string exe = app::executable_path("no-such-name");
    CHECK(fs::path(exe).filename() == "host_unit_tests");
    CHECK(fs::path(exe).is_absolute());
}
