// Only allow-listed names run, and they are found on the PATH given, never
// taken as paths.
#include "exec/command_resolver.hpp"
#include "host_process.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using agenthost::exec::resolve_command;
using Catch::Matchers::Contains;

TEST_CASE("an allowed name resolves to the first executable on the PATH", "[exec]") {
    std::string first = agenthost::testing::make_temp_dir(), second = agenthost::testing::make_temp_dir();
    std::ofstream(second + "/tool") << "#!/bin/sh\n";
    std::filesystem::permissions(second + "/tool", std::filesystem::perms::owner_all);
    std::ofstream(first + "/tool") << "not executable";  // skipped: not executable
    std::filesystem::create_directory(first + "/dir");
    std::string error;
    auto found = resolve_command("tool", {"git", "tool"}, "relative:" + first + ":" + second, "probe", error);
    REQUIRE(found.has_value());
    CHECK(*found == second + "/tool");
    std::filesystem::remove_all(first);
    std::filesystem::remove_all(second);
}

TEST_CASE("a name off the allow-list is refused naming the config key", "[exec]") {
    std::string error;
    CHECK_FALSE(resolve_command("sh", {"git"}, "/usr/bin:/bin", "probe", error).has_value());
    CHECK_THAT(error, Contains("'sh' is not an allowed command") && Contains("agents.probe.exec.allow") &&
                          Contains("[git]"));
    CHECK_FALSE(resolve_command("sh", {}, "/usr/bin:/bin", "probe", error).has_value());
    CHECK_THAT(error, Contains("empty"));
}

TEST_CASE("an allowed name missing from the PATH says so", "[exec]") {
    std::string error;
    CHECK_FALSE(resolve_command("no-such-tool-here", {"no-such-tool-here"}, "/usr/bin:/bin", "probe", error));
    CHECK_THAT(error, Contains("not found on the host's PATH") && Contains("/usr/bin:/bin"));
}
