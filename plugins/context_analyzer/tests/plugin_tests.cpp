// Through the built libcontext_analyzer.so and the C ABI: the manifest, a
// local path, a git clone (the exec request it makes, run for real here by
// the test's exec handler), thread memory and refusals.
#include <agenthost/agent.hpp>
#include <catch2/catch.hpp>
#include <fake_host.hpp>
#include <json_schema.hpp>
#include <plugin_checks.hpp>

#include <filesystem>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

using textkit::testing::parse_json;
using textkit::testing::read_json_file;
using textkit::testing::run_input;
using textkit::testing::schema_violation;

namespace {

std::string roots_config() { return std::string(R"({"local_roots":[")") + CONTEXT_FIXTURES + "\"]}"; }

struct LoadedAgent : textkit::testing::CreatedAgent {
    LoadedAgent() : CreatedAgent(CONTEXT_PLUGIN_PATH, roots_config()) {
        host.set_permissions({"events", "memory", "exec"});
    }
};

int run_argv(const std::vector<std::string>& argv, const std::string& cwd) {
    pid_t child = fork();
    if (child == 0) {
        if (chdir(cwd.c_str()) != 0) _exit(126);
        std::vector<char*> args;
        for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
        args.push_back(nullptr);
        int null = ::open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(null, 2);
        execvp(args[0], args.data());
        _exit(127);
    }
    int status = 0;
    waitpid(child, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

TEST_CASE("the manifest is valid and matches the library", "[manifest]") {
    const auto manifest = textkit::testing::checked_manifest(CONTEXT_MANIFEST_PATH, MANIFEST_SCHEMA_PATH, CONTEXT_PLUGIN_PATH,
                                                             CONTEXT_PLUGIN_FILE_NAME, "infrastructure");
    CHECK(schema_violation(manifest["input_schema"], parse_json(R"({"repo_url":"https://github.com/a/b"})")) == "");
    CHECK(schema_violation(manifest["input_schema"], parse_json(R"({"repo_url":7})")) != "");
}

TEST_CASE("a local folder is analysed in place and written to thread memory", "[plugin]") {
    LoadedAgent agent;
    const auto manifest = read_json_file(CONTEXT_MANIFEST_PATH);
    const std::string path = std::string(CONTEXT_FIXTURES) + "/node_express";
    auto run = agent.host.invoke(run_input("analyze", "{\"path\":\"" + path + "\"}"));
    REQUIRE(run.status == AGENTHOST_OK);
    auto result = parse_json(run.result_json);
    CHECK(schema_violation(manifest["output_schema"], result) == "");
    CHECK(result["services"][0]["framework"]["value"] == "express");
    CHECK(result["services"][0]["port"]["value"] == "3000");
    CHECK_THAT(result["summary"].GetString(), Catch::Contains("express, port 3000"));
    REQUIRE(agent.host.memory().count("repository_context") == 1);
    auto kept = parse_json(agent.host.memory()["repository_context"]);
    CHECK(kept["services"][0]["port"]["file"] == "src/server.js");
    CHECK(run.exec_requests.empty());  // a local folder needs no program
}

TEST_CASE("a file:// URL is cloned with git through the exec service, never by the plugin", "[plugin]") {
    namespace fs = std::filesystem;
    // A real git repository made from a fixture, under the allowed roots.
    const fs::path origin = fs::path(CONTEXT_FIXTURES).parent_path() / ("clone-origin-" + std::to_string(::getpid()));
    const fs::path workspace = fs::temp_directory_path() / ("ctx-ws-" + std::to_string(::getpid()));
    fs::remove_all(origin);
    fs::remove_all(workspace);
    fs::copy(std::string(CONTEXT_FIXTURES) + "/go_nethttp", origin, fs::copy_options::recursive);
    fs::create_directories(workspace);
    REQUIRE(run_argv({"git", "init", "-q", "-b", "main"}, origin) == 0);
    REQUIRE(run_argv({"git", "add", "."}, origin) == 0);
    REQUIRE(run_argv({"git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "go"}, origin) == 0);

    textkit::testing::CreatedAgent agent(CONTEXT_PLUGIN_PATH,
                                         std::string(R"({"local_roots":[")") + fs::path(CONTEXT_FIXTURES).parent_path().string() + "\"]}");
    agent.host.set_permissions({"events", "memory", "exec"});
    agent.host.set_exec_handler([&workspace](const std::string& request, std::string& response) {
        auto parsed = parse_json(request);
        std::vector<std::string> argv;
        for (const auto& arg : parsed["argv"].GetArray()) argv.emplace_back(arg.GetString());
        const std::string cwd = (workspace / parsed["cwd"].GetString()).string();
        int exit_code = run_argv(argv, cwd);
        std::string out;
        if (argv.size() > 1 && argv[1] == "rev-parse") out = "0123456789abcdef0123456789abcdef01234567\n";
        response = R"({"exit_code":)" + std::to_string(exit_code) + R"(,"signal":0,"timed_out":false,"stdout":")" +
                   out.substr(0, out.size() - (out.empty() ? 0 : 1)) + R"(\n","stderr":"","duration_ms":1})";
        return AGENTHOST_OK;
    });
    auto run = agent.host.invoke(run_input("analyze", "{\"repo_url\":\"file://" + origin.string() + "\"}",
                                           "\"workspace\":\"" + workspace.string() + "\""));
    REQUIRE(run.status == AGENTHOST_OK);
    REQUIRE(run.exec_requests.size() == 2);
    auto clone = parse_json(run.exec_requests[0]);
    CHECK(clone["network"] == false);
    const auto& argv = clone["argv"];
    CHECK(argv[0] == "git");
    bool has_separator = false;
    for (rapidjson::SizeType i = 0; i + 2 < argv.Size(); ++i)
        if (argv[i] == "--" && argv[i + 1] == ("file://" + fs::canonical(origin).string()).c_str() && argv[i + 2] == "repo")
            has_separator = true;
    CHECK(has_separator);
    auto result = parse_json(run.result_json);
    CHECK(result["repository"]["commit"] == "0123456789abcdef0123456789abcdef01234567");
    CHECK(result["services"][0]["port"]["value"] == "8080");
    CHECK(result["services"][0]["port"]["file"] == "main.go");
    fs::remove_all(origin);
    fs::remove_all(workspace);
}

TEST_CASE("bad sources are refused naming the field, before any program runs", "[plugin]") {
    LoadedAgent agent;
    for (const char* context : {R"({"path":"/etc"})", R"({"repo_url":"ext::sh -c id"})", R"({"path":7})",
                                R"({"repo_url":"https://x.example/a","path":"/tmp"})", R"({})"}) {
        auto run = agent.host.invoke(run_input("analyze", context));
        CHECK(run.status == AGENTHOST_ERROR_INVALID_INPUT);
        CHECK_THAT(run.error, Catch::Contains("context."));
        CHECK(run.exec_requests.empty());
    }
}
