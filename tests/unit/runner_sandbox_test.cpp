// The bubblewrap command line a plugin runner starts under.
#include "plugins/runner_sandbox.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace agenthost::plugins;

namespace {

// The position of `a b c` in the command, or npos.
size_t find_triple(const std::vector<std::string>& command, const std::string& a, const std::string& b,
                   const std::string& c) {
    for (size_t i = 0; i + 2 < command.size(); ++i)
        if (command[i] == a && command[i + 1] == b && command[i + 2] == c) return i;
    return std::string::npos;
}

}  // namespace

TEST_CASE("a runner and plugin under /tmp are bound back after the private /tmp") {
    RunnerSandbox sandbox;
    sandbox.use_bwrap = true;
    sandbox.readable_paths = {"/tmp/checkout/build/plugins/echo/libecho.so", "/opt/plugins/x/libx.so"};
    sandbox.writable_dirs = {"/tmp/agenthost-test-1/data/workspaces/echo"};
    auto command = runner_command(sandbox, "/tmp/checkout/build/bin/agenthost-plugin-runner", "3");
    size_t tmpfs = find_triple(command, "--tmpfs", "/tmp", "--die-with-parent");
    size_t shown = find_triple(command, "--ro-bind-try", "/tmp/checkout", "/tmp/checkout");
    REQUIRE(tmpfs != std::string::npos);
    REQUIRE(shown != std::string::npos);
    CHECK(shown > tmpfs);  // later mounts win: bound after the tmpfs, it shows
    // Once per folder; paths outside /tmp are visible already.
    CHECK(std::count(command.begin(), command.end(), "/tmp/checkout") == 2);
    CHECK(std::find(command.begin(), command.end(), "/opt/plugins") == command.end());
    CHECK(find_triple(command, "--bind", "/tmp/agenthost-test-1/data/workspaces/echo",
                      "/tmp/agenthost-test-1/data/workspaces/echo") > tmpfs);
    CHECK(command.back() == "3");

    sandbox.use_bwrap = false;
    CHECK(runner_command(sandbox, "/x/runner", "3") == std::vector<std::string>{"/x/runner", "3"});
}
