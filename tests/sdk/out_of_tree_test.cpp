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

// Installs the SDK from this build tree into `prefix`; 0 on success.
int install_sdk(const std::string& prefix, const std::string& log_path) {
    return run({AGENTHOST_CMAKE, "--install", AGENTHOST_BUILD_DIR, "--component", "sdk", "--prefix", prefix}, log_path);
}

// Configures the project in `source` against the SDK in `prefix` and builds
// it; returns the first non-zero status (0 when both steps pass).
int configure_and_build(const std::string& source, const std::string& build, const std::string& prefix,
                        const std::string& log_path, std::vector<std::string> options = {}) {
    std::vector<std::string> configure = {AGENTHOST_CMAKE, "-S", source, "-B", build,
                                          "-DCMAKE_PREFIX_PATH=" + prefix, "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON"};
    if (!std::string(AGENTHOST_CXX_LAUNCHER).empty()) {
        configure.push_back("-DCMAKE_CXX_COMPILER_LAUNCHER=" AGENTHOST_CXX_LAUNCHER);
        configure.push_back("-DCMAKE_C_COMPILER_LAUNCHER=" AGENTHOST_CXX_LAUNCHER);
    }
    configure.insert(configure.end(), options.begin(), options.end());
    if (int status = run(configure, log_path); status != 0) return status;
    return run({AGENTHOST_CMAKE, "--build", build}, log_path);
}

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
    REQUIRE(install_sdk(prefix, steps_log) == 0);
    int built = configure_and_build(AGENTHOST_EXAMPLE_DIR, build, prefix, steps_log);
    INFO("output:\n" << read_text(steps_log));
    REQUIRE(built == 0);
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

TEST_CASE("the C example agent builds against the installed SDK and keeps its tally in thread memory") {
    ScratchDir scratch;
    const std::string prefix = scratch.path + "/prefix";
    const std::string build = scratch.path + "/tally-build";
    const std::string steps_log = scratch.path + "/steps.log";
    // The commands examples/out-of-tree-c-agent/README.md gives.
    REQUIRE(install_sdk(prefix, steps_log) == 0);
    int built = configure_and_build(AGENTHOST_C_EXAMPLE_DIR, build, prefix, steps_log);
    INFO("output:\n" << read_text(steps_log));
    REQUIRE(built == 0);

    HostProcess host(R"({"plugins":{"directories":[")" + build + R"(/plugins"]},"agents":{"tally":{"enabled":true}}})");
    HttpClient client(host.base_url());
    auto listing = client.get("/plugins");
    INFO("GET /plugins: " << listing.body);
    auto listing_json = json_of(listing);  // outlives the reference below
    const auto& tally = listing_json["plugins"][0u];
    REQUIRE(std::string(tally["state"].GetString()) == "loaded");
    CHECK(std::string(tally["isolation"].GetString()) == "process");

    const std::string body = R"({"agent_name":"tally","task":"count me","thread_id":"c-example"})";
    auto first = client.post("/agent/invoke", body);
    INFO(first.body);
    REQUIRE(first.status == 200);
    CHECK(json_of(first)["result"]["count"].GetInt() == 1);
    auto second = client.post("/agent/invoke", body);
    REQUIRE(second.status == 200);
    CHECK(json_of(second)["result"]["count"].GetInt() == 2);
    // Another thread counts on its own.
    auto other = client.post("/agent/invoke", R"({"agent_name":"tally","task":"count me","thread_id":"c-other"})");
    REQUIRE(other.status == 200);
    CHECK(json_of(other)["result"]["count"].GetInt() == 1);
    std::string run_id = json_of(second)["run_id"].GetString();
    CHECK_THAT(client.get("/runs/" + run_id + "/events").body, Contains(R"("type":"tally.counted")"));
}

TEST_CASE("the installed SDK is versioned by its ABI and refuses a plugin whose manifest disagrees with its library") {
    ScratchDir scratch;
    const std::string prefix = scratch.path + "/prefix";
    const std::string log = scratch.path + "/steps.log";
    REQUIRE(install_sdk(prefix, log) == 0);
    // find_package(agenthost-sdk VERSION) compares the ABI: 1.2.0 here.
    CHECK_THAT(read_text(prefix + "/lib/cmake/agenthost-sdk/agenthost-sdk-config-version.cmake"),
               Contains("PACKAGE_VERSION \"1.2.0\""));
    CHECK_THAT(read_text(prefix + "/lib/cmake/agenthost-sdk/agenthost-sdk-abi.cmake"),
               Contains("AGENTHOST_ABI_VERSION_MINOR 2"));
    // Installed with an id editors and validators can key on.
    CHECK_THAT(read_text(prefix + "/share/agenthost-sdk/plugin-manifest.schema.json"),
               Contains("\"id\": \"urn:agenthost:plugin-manifest:1.2\""));

    const std::string source = AGENTHOST_FIXTURE_SOURCE_DIR "/sdk_projects/manifest_mismatch";
    const std::string build = scratch.path + "/mismatch-build";
    int status = configure_and_build(source, build, prefix, log);
    std::string output = read_text(log);
    INFO("output:\n" << output);
    CHECK(status != 0);
    CHECK_THAT(output, Contains("\"abi_version\" is '1.0' but libmanifest_mismatch.so reports '1.2'"));
    // Neither the manifest nor the library is left for a host to pick up.
    CHECK_FALSE(std::filesystem::exists(build + "/plugins/manifest_mismatch/manifest.json"));
    CHECK_FALSE(std::filesystem::exists(build + "/plugins/manifest_mismatch/libmanifest_mismatch.so"));

    // Code targeting 1.0 (its manifest's abi_version) cannot call a 1.1 helper.
    const std::string newer = scratch.path + "/newer-build";
    std::filesystem::remove(log);
    status = configure_and_build(source, newer, prefix, log, {"-DUSE_NEWER_HELPER=ON"});
    output = read_text(log);
    INFO("output:\n" << output);
    CHECK(status != 0);
    CHECK_THAT(output, Contains("Run::require_approval needs ABI 1.1"));
}

TEST_CASE("agentctl new-plugin writes C and C++ projects that build against the installed SDK, pass their harness "
          "test and run in the host") {
    ScratchDir scratch;
    const std::string prefix = scratch.path + "/prefix";
    const std::string log = scratch.path + "/steps.log";
    REQUIRE(install_sdk(prefix, log) == 0);
    std::string agents;
    for (const std::string lang : {"cpp", "c"}) {
        const std::string name = "hello_" + lang;
        INFO(name);
        REQUIRE(run({AGENTHOST_BUILD_DIR "/bin/agentctl", "new-plugin", name, "--lang", lang, "--dir", scratch.path},
                    log) == 0);
        // A second run refuses to write over the project.
        CHECK(run({AGENTHOST_BUILD_DIR "/bin/agentctl", "new-plugin", name, "--dir", scratch.path}, log) == 2);
        const std::string project = scratch.path + "/" + name;
        int built = configure_and_build(project, project + "/build", prefix, log);
        INFO("output:\n" << read_text(log));
        REQUIRE(built == 0);
        // The generated unit test, on the installed harness.
        CHECK(run({AGENTHOST_CTEST, "--test-dir", project + "/build", "--output-on-failure"}, log) == 0);
        CHECK_THAT(read_text(log), Contains("100% tests passed"));
        agents += (agents.empty() ? "" : ",") + std::string("\"") + name + R"(":{"enabled":true})";
    }
    HostProcess host(R"({"plugins":{"directories":[")" + scratch.path + "/hello_cpp/build/plugins\",\"" + scratch.path +
                     R"(/hello_c/build/plugins"]},"agents":{)" + agents + "}}");
    HttpClient client(host.base_url());
    for (const std::string name : {"hello_cpp", "hello_c"}) {
        auto answer = client.post("/agent/invoke", R"({"agent_name":")" + name + R"(","task":"hello agent world"})");
        INFO(name << ": " << answer.body);
        REQUIRE(answer.status == 200);
        auto body = json_of(answer);
        CHECK(std::string(body["result"]["text"].GetString()) == "HELLO AGENT WORLD");
        CHECK(body["result"]["words"].GetInt() == 3);
        error_envelope(client.post("/agent/invoke", R"({"agent_name":")" + name + R"(","task":"  "})"), 422,
                       "AgentRejectedInput");
    }
}
