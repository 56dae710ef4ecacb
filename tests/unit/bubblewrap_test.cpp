// The exec sandbox's bubblewrap command line: what is shown, what is
// writable, and when the network is shared.
#include "isolation/bubblewrap.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace agenthost::isolation;

namespace {

// Whether `argv` holds `sequence` as consecutive items.
bool has(const std::vector<std::string>& argv, const std::vector<std::string>& sequence) {
    return std::search(argv.begin(), argv.end(), sequence.begin(), sequence.end()) != argv.end();
}

size_t index_of(const std::vector<std::string>& argv, const std::vector<std::string>& sequence) {
    return static_cast<size_t>(std::search(argv.begin(), argv.end(), sequence.begin(), sequence.end()) - argv.begin());
}

BwrapCommand command() {
    BwrapCommand c;
    c.workspace = "/data/workspaces/probe/run-1";
    c.cwd = "/data/workspaces/probe/run-1/src";
    c.binary = "/usr/bin/git";
    c.args = {"status", "--short"};
    return c;
}

SystemLayout merged_usr() { return {{{"/bin", "usr/bin"}, {"/lib", "usr/lib"}, {"/lib64", "usr/lib64"}}}; }

}  // namespace

TEST_CASE("the exec sandbox unshares everything and writes only the workspace", "[exec][bwrap]") {
    auto argv = bwrap_argv(command(), merged_usr());
    CHECK(argv.front() == "/usr/bin/bwrap");
    CHECK(has(argv, {"--unshare-all"}));
    CHECK_FALSE(has(argv, {"--share-net"}));
    CHECK(has(argv, {"--die-with-parent"}));
    CHECK(has(argv, {"--new-session"}));
    CHECK(has(argv, {"--ro-bind", "/usr", "/usr"}));
    CHECK(has(argv, {"--ro-bind", "/etc", "/etc"}));
    CHECK(has(argv, {"--symlink", "usr/bin", "/bin"}));
    CHECK(has(argv, {"--symlink", "usr/lib64", "/lib64"}));
    CHECK(has(argv, {"--tmpfs", "/tmp"}));
    CHECK(has(argv, {"--bind", "/data/workspaces/probe/run-1", "/data/workspaces/probe/run-1"}));
    // The one read-write bind is the workspace; the root itself goes read-only.
    CHECK(std::count(argv.begin(), argv.end(), "--bind") == 1);
    CHECK(index_of(argv, {"--remount-ro", "/"}) > index_of(argv, {"--bind"}));
    CHECK(has(argv, {"--chdir", "/data/workspaces/probe/run-1/src", "--", "/usr/bin/git", "status", "--short"}));
    // The command comes last, after "--", so its arguments are never options.
    CHECK(std::vector<std::string>(argv.end() - 4, argv.end()) ==
          std::vector<std::string>{"--", "/usr/bin/git", "status", "--short"});
}

TEST_CASE("the exec sandbox shares the network only when asked", "[exec][bwrap]") {
    BwrapCommand c = command();
    c.network = true;
    CHECK(has(bwrap_argv(c, merged_usr()), {"--unshare-all", "--die-with-parent", "--new-session", "--ro-bind", "/usr",
                                            "/usr", "--share-net"}));
}

TEST_CASE("binaries and extra paths outside /usr are bound read-only after the private /tmp", "[exec][bwrap]") {
    BwrapCommand c = command();
    c.binary = "/tmp/tools/kubectl";
    c.read_only_paths = {"/home/op/.kube/config"};
    SystemLayout split_usr{{{"/bin", ""}, {"/lib", ""}}};
    auto argv = bwrap_argv(c, split_usr);
    CHECK(has(argv, {"--ro-bind", "/bin", "/bin"}));
    CHECK(has(argv, {"--ro-bind", "/tmp/tools/kubectl", "/tmp/tools/kubectl"}));
    CHECK(has(argv, {"--ro-bind-try", "/home/op/.kube/config", "/home/op/.kube/config"}));
    CHECK(index_of(argv, {"--ro-bind", "/tmp/tools/kubectl"}) > index_of(argv, {"--tmpfs", "/tmp"}));
}

TEST_CASE("the host's system layout is read as links or directories", "[exec][bwrap]") {
    SystemLayout layout = host_system_layout();
    auto bin = std::find_if(layout.entries.begin(), layout.entries.end(), [](const auto& e) { return e.path == "/bin"; });
    REQUIRE(bin != layout.entries.end());
}
