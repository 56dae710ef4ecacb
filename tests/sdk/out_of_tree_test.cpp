// A third party's path through the SDK, run for real: install it from the
// build tree, build examples/out-of-tree-agent against the installed package
// in a scratch directory, and check that the host loads and runs the result.
// It fails when the install rules, the CMake package or the headers stop
// working outside this source tree.
#include "test_host.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace agenthost::testing;
using Catch::Matchers::Contains;

namespace {

std::string read_text(const std::string& path) {
    std::ifstream in(path);
    std::stringstream content;
    content << in.rdbuf();
    return content.str();
}

// Runs a command without a shell (so paths need no quoting), appending its
// output to `log_path`; returns its exit status.
int run(const std::vector<std::string>& args, const std::string& log_path) {
    pid_t pid = fork();
    if (pid == 0) {
        int log_fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        dup2(log_fd, STDOUT_FILENO);
        dup2(log_fd, STDERR_FILENO);
        std::vector<char*> argv;
        for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
        argv.push_back(nullptr);
        execv(argv[0], argv.data());
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// The test's scratch directory, removed however the test ends.
struct ScratchDir {
    std::string path = make_temp_dir();
    ~ScratchDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path, ignored);
    }
};

std::string invoke_body(const std::string& task, const std::string& context = "") {
    return R"({"agent_name":"shout","task":")" + task + "\"" + (context.empty() ? "" : R"(,"context":)" + context) + "}";
}

}  // namespace

TEST_CASE("an agent built out of tree against the installed SDK loads and runs in the host") {
    ScratchDir scratch;
    const std::string prefix = scratch.path + "/prefix";
    const std::string build = scratch.path + "/shout-build";
    const std::string steps_log = scratch.path + "/steps.log";

    // The commands examples/out-of-tree-agent/README.md gives.
    std::vector<std::string> configure = {AGENTHOST_CMAKE, "-S", AGENTHOST_EXAMPLE_DIR, "-B", build,
                                          "-DCMAKE_PREFIX_PATH=" + prefix, "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON"};
    if (!std::string(AGENTHOST_CXX_LAUNCHER).empty())
        configure.push_back("-DCMAKE_CXX_COMPILER_LAUNCHER=" AGENTHOST_CXX_LAUNCHER);
    for (const auto& step : std::vector<std::vector<std::string>>{
             {AGENTHOST_CMAKE, "--install", AGENTHOST_BUILD_DIR, "--component", "sdk", "--prefix", prefix},
             configure,
             {AGENTHOST_CMAKE, "--build", build}}) {
        int status = run(step, steps_log);
        INFO("output so far:\n" << read_text(steps_log));
        REQUIRE(status == 0);
    }
    // The package and headers came from the prefix, not from a registry,
    // a system install or this source tree.
    CHECK_THAT(read_text(build + "/CMakeCache.txt"),
               Contains("agenthost-sdk_DIR:PATH=" + prefix + "/lib/cmake/agenthost-sdk"));
    CHECK_THAT(read_text(build + "/compile_commands.json"), Contains(prefix + "/include"));

    const std::string plugins_dir = build + "/plugins";
    HostProcess host(R"({"plugins":{"directories":[")" + plugins_dir +
                         R"("]},"agents":{"shout":{"enabled":true}}})");
    HttpClient client(host.base_url());

    auto listing = client.get("/plugins");
    INFO("GET /plugins: " << listing.body);  // says why a plugin failed to load
    auto plugins = json_of(listing);
    REQUIRE(plugins["plugins"].Size() == 1);
    const auto& shout = plugins["plugins"][0u];
    CHECK(std::string(shout["name"].GetString()) == "shout");
    CHECK(std::string(shout["state"].GetString()) == "loaded");
    CHECK(std::string(shout["library"].GetString()) == plugins_dir + "/shout/libshout.so");

    // Only ASCII letters change: UTF-8 passes through intact.
    auto plain = client.post("/agent/invoke", invoke_body("hello, wörld"));
    REQUIRE(plain.status == 200);
    CHECK(std::string(json_of(plain)["result"]["text"].GetString()) == "HELLO, WöRLD");

    auto exclaimed = client.post("/agent/invoke", invoke_body("hello", R"({"exclaim":true})"));
    REQUIRE(exclaimed.status == 200);
    CHECK(std::string(json_of(exclaimed)["result"]["text"].GetString()) == "HELLO!");

    auto blank = error_envelope(client.post("/agent/invoke", invoke_body(" \\t\\n ")), 422, "AgentRejectedInput");
    CHECK_THAT(blank["message"].GetString(), Contains("only whitespace"));

    // The manifest's input_schema is in force.
    error_envelope(client.post("/agent/invoke", invoke_body("hello", R"({"exclaim":"yes"})")), 422, "ValidationError");

    // The progress event the agent emitted is in its run's event log.
    std::string run_id = json_of(plain)["run_id"].GetString();
    auto events = client.get("/runs/" + run_id + "/events");
    REQUIRE(events.status == 200);
    CHECK_THAT(events.body, Contains(R"("type":"agent.progress")") && Contains("shouting"));
}
