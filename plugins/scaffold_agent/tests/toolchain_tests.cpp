// Every template handed to the real toolchain, offline: the python-fastapi
// project's pytest suite under Debian's python3 (pytest, FastAPI, uvicorn,
// httpx from Debian), the go-http project's go vet/test/build and gofmt
// with Debian's golang-go and no module download, the node-express project
// through the pinned tsc and Node's test runner with express from
// tools/npm; each app then started and its /health curled. Dockerfiles go
// through dockerfile-utils' linter, workflows through GitHub's own workflow
// parser (@actions/workflow-parser: YAML, the workflow schema, expressions).
#include <toolchain.hpp>
#include <yaml-cpp/yaml.h>

#include <cstdlib>

#include "support.hpp"

using devkit::testing::Background;
using devkit::testing::curl_until_up;
using devkit::testing::executable;
using devkit::testing::free_port;
using devkit::testing::run;
using devkit::testing::Scratch;
using devkit::testing::shell_quote;
using support::scaffold_request;

namespace {

const std::string python = "/usr/bin/python3";

bool python_ready() {
    return run(python + " -c 'import pytest, fastapi, uvicorn, httpx'").exit_code == 0;
}

std::string go_tool() {
    if (run("command -v go").exit_code == 0) return "go";
    return executable("/usr/lib/go/bin/go") ? "/usr/lib/go/bin/go" : "";
}

std::string npm_bin(const std::string& tool) { return std::string(NPM_MODULES_DIR) + "/.bin/" + tool; }

// Offline Go: no proxy, no checksum database, modules from go.mod only.
std::string go_env() { return "GOFLAGS=-mod=mod GOPROXY=off GOSUMDB=off GOTOOLCHAIN=local "; }

scaffold::Outcome project(const std::string& stack, const std::string& database) {
    return scaffold_request("", R"({"name":"demo-app","stack":")" + stack + R"(","features":{"database":")" +
                                    database + R"("}})");
}

}  // namespace

TEST_CASE("python-fastapi: pytest passes under Debian's python3 and the app answers /health", "[toolchain][python]") {
    DEVKIT_SKIP_UNLESS(python_ready(), "python3 with pytest, fastapi, uvicorn and httpx is missing: "
                                       "apt-get install python3-pytest python3-fastapi python3-uvicorn python3-httpx "
                                       "(tools/install-deps)");
    for (const char* database : {"sqlite", "postgres", "none"}) {
        INFO("database " << database);
        const auto out = project("python-fastapi", database);
        Scratch dir("scaffold-python");
        dir.write_all(out.artifacts);
        const auto tests = run("cd " + shell_quote(dir.str()) + " && " + python + " -m pytest -p no:cacheprovider");
        INFO(tests.output);
        CHECK(tests.exit_code == 0);
        CHECK_THAT(tests.output, Catch::Contains("passed"));
        CHECK_THAT(tests.output, !Catch::Contains("failed"));
    }
    // The sqlite project served by uvicorn: health, then a round trip.
    const auto out = project("python-fastapi", "sqlite");
    Scratch dir("scaffold-python-run");
    dir.write_all(out.artifacts);
    const int port = free_port();
    Background server("cd " + shell_quote(dir.str()) + " && DATABASE_URL=sqlite:///" + dir.str() + "/app.db " + python +
                          " -m uvicorn app.main:app --host 127.0.0.1 --port " + std::to_string(port),
                      dir.str() + "/server.log");
    const std::string base = "http://127.0.0.1:" + std::to_string(port);
    const auto health = curl_until_up(base + "/health");
    INFO(devkit::testing::read_text(dir.str() + "/server.log"));
    REQUIRE(health.exit_code == 0);
    CHECK(health.output == R"({"status":"ok"})");
    const auto created = run("curl -sS --fail -X POST -H 'content-type: application/json' -d '{\"name\":\"widget\"}' " +
                             base + "/items");
    CHECK(created.exit_code == 0);
    CHECK_THAT(created.output, Catch::Contains(R"("name":"widget")"));
    CHECK_THAT(run("curl -sS " + base + "/items/1").output, Catch::Contains("widget"));
    CHECK_THAT(run("curl -sS -o /dev/null -w '%{http_code}' " + base + "/items/999").output, Catch::Equals("404"));
}

TEST_CASE("go-http: go vet, go test and go build pass offline, gofmt is clean, the server answers /health",
          "[toolchain][go]") {
    const std::string go = go_tool();
    DEVKIT_SKIP_UNLESS(!go.empty(), "go is missing: apt-get install golang-go (tools/install-deps)");
    for (const char* database : {"postgres", "none"}) {
        INFO("database " << database);
        const auto out = project("go-http", database);
        Scratch dir("scaffold-go");
        dir.write_all(out.artifacts);
        const std::string cd = "cd " + shell_quote(dir.str()) + " && " + go_env();
        const auto vet = run(cd + go + " vet ./...");
        INFO(vet.output);
        CHECK(vet.exit_code == 0);
        const auto tests = run(cd + go + " test ./...");
        INFO(tests.output);
        CHECK(tests.exit_code == 0);
        CHECK_THAT(tests.output, Catch::StartsWith("ok"));
        const auto gofmt = run("cd " + shell_quote(dir.str()) + " && " +
                               (go == "go" ? std::string("gofmt") : std::string("/usr/lib/go/bin/gofmt")) + " -l .");
        CHECK(gofmt.exit_code == 0);
        CHECK(gofmt.output == "");  // every file already formatted
        const auto build = run(cd + go + " build -o bin/demo-app .");
        INFO(build.output);
        REQUIRE(build.exit_code == 0);
        if (std::string(database) != "none") continue;

        const int port = free_port();
        Background server("cd " + shell_quote(dir.str()) + " && PORT=" + std::to_string(port) + " ./bin/demo-app",
                          dir.str() + "/server.log");
        const std::string base = "http://127.0.0.1:" + std::to_string(port);
        const auto health = curl_until_up(base + "/health");
        REQUIRE(health.exit_code == 0);
        CHECK_THAT(health.output, Catch::Contains(R"({"status":"ok"})"));
        // The Dockerfile's HEALTHCHECK: the binary probing itself.
        CHECK(run("cd " + shell_quote(dir.str()) + " && PORT=" + std::to_string(port) + " ./bin/demo-app -healthcheck")
                  .exit_code == 0);
        CHECK(run("cd " + shell_quote(dir.str()) + " && PORT=" + std::to_string(free_port()) +
                  " ./bin/demo-app -healthcheck")
                  .exit_code != 0);
        CHECK_THAT(run("curl -sS -X POST -d '{\"name\":\"widget\"}' " + base + "/items").output,
                   Catch::Contains(R"("name":"widget")"));
    }
    // Asking for a database the binary has no driver for fails at start, clearly.
    const auto out = project("go-http", "postgres");
    Scratch dir("scaffold-go-db");
    dir.write_all(out.artifacts);
    REQUIRE(run("cd " + shell_quote(dir.str()) + " && " + go_env() + go + " build -o bin/app .").exit_code == 0);
    const auto refused = run("cd " + shell_quote(dir.str()) + " && DATABASE_URL=postgres://x PORT=" +
                             std::to_string(free_port()) + " timeout 10 ./bin/app");
    CHECK(refused.exit_code != 0);
    CHECK_THAT(refused.output, Catch::Contains("go build -tags postgres"));
}

TEST_CASE("node-express: tsc --noEmit passes with the pinned TypeScript, node --test passes, /health answers",
          "[toolchain][node]") {
    const std::string modules = NPM_MODULES_DIR;
    DEVKIT_SKIP_UNLESS(executable(npm_bin("tsc")) && std::filesystem::exists(modules + "/express/package.json") &&
                           std::filesystem::exists(modules + "/@types/express/index.d.ts"),
                       "tools/npm has no tsc, express or @types/express: run npm ci in tools/npm (tools/install-deps)");
    for (const char* database : {"postgres", "none"}) {
        INFO("database " << database);
        const auto out = project("node-express", database);
        Scratch dir("scaffold-node");
        dir.write_all(out.artifacts);
        // The packages package.json names, as npm install would lay them out.
        std::filesystem::create_directory_symlink(modules, dir.path() / "node_modules");
        const std::string cd = "cd " + shell_quote(dir.str()) + " && ";
        const auto check = run(cd + npm_bin("tsc") + " --noEmit -p tsconfig.json");
        INFO(check.output);
        REQUIRE(check.exit_code == 0);
        const auto build = run(cd + npm_bin("tsc") + " -p tsconfig.json");
        REQUIRE(build.exit_code == 0);
        const auto tests = run(cd + "node --test dist/test/");
        INFO(tests.output);
        CHECK(tests.exit_code == 0);
        CHECK_THAT(tests.output, Catch::Contains("# fail 0"));
        if (std::string(database) != "none") continue;

        const int port = free_port();
        Background server(cd + "PORT=" + std::to_string(port) + " exec node dist/src/server.js", dir.str() + "/server.log");
        const std::string base = "http://127.0.0.1:" + std::to_string(port);
        const auto health = curl_until_up(base + "/health");
        REQUIRE(health.exit_code == 0);
        CHECK(health.output == R"({"status":"ok"})");
        CHECK_THAT(run("curl -sS -X POST -H 'content-type: application/json' -d '{\"name\":\"widget\"}' " + base + "/items")
                       .output,
                   Catch::Contains(R"("name":"widget")"));
    }
}

TEST_CASE("every Dockerfile passes dockerfile-utils' linter, which does catch a broken one", "[toolchain][docker]") {
    const std::string lint = npm_bin("dockerfile-utils");
    DEVKIT_SKIP_UNLESS(executable(lint), "tools/npm has no dockerfile-utils: run npm ci in tools/npm");
    for (const char* stack : {"python-fastapi", "node-express", "go-http"}) {
        INFO(stack);
        const auto out = project(stack, "none");
        Scratch dir("scaffold-docker");
        dir.write("Dockerfile", support::content(out, "Dockerfile"));
        const auto result = run(lint + " lint " + shell_quote(dir.str() + "/Dockerfile"));
        INFO(result.output);
        CHECK(result.exit_code == 0);
        CHECK(result.output == "");
    }
    Scratch dir("scaffold-docker-bad");
    dir.write("Dockerfile", "FROM python:3.12-slim\nHEALTHCHEK CMD true\nEXPOSE port\n");
    const auto result = run(lint + " lint " + shell_quote(dir.str() + "/Dockerfile"));
    CHECK(result.exit_code != 0);
    CHECK_THAT(result.output, Catch::Contains("HEALTHCHEK"));
}

TEST_CASE("every workflow parses as YAML and passes GitHub's workflow parser, which does catch a broken one",
          "[toolchain][ci]") {
    const std::string modules = NPM_MODULES_DIR;
    DEVKIT_SKIP_UNLESS(std::filesystem::exists(modules + "/@actions/workflow-parser/package.json"),
                       "tools/npm has no @actions/workflow-parser: run npm ci in tools/npm");
    const std::string checker = "node " + shell_quote(std::string(SCAFFOLD_TESTS_DIR) + "/check_workflow.mjs") + " " +
                                shell_quote(modules);
    Scratch dir("scaffold-ci");
    std::string files;
    int n = 0;
    for (const char* stack : {"python-fastapi", "node-express", "go-http"}) {
        for (const char* database : {"postgres", "none"}) {
            const auto out = project(stack, database);
            const std::string& text = support::content(out, ".github/workflows/ci.yml");
            const YAML::Node parsed = YAML::Load(text);
            CHECK(parsed["jobs"]["test"]["steps"].size() >= 3);
            CHECK(parsed["jobs"]["image"]["needs"].as<std::string>() == "test");
            const std::string name = "ci" + std::to_string(++n) + ".yml";
            dir.write(name, text);
            files += " " + shell_quote(dir.str() + "/" + name);
        }
    }
    const auto result = run(checker + files);
    INFO(result.output);
    CHECK(result.exit_code == 0);
    CHECK(result.output.find("valid workflow") != std::string::npos);

    std::string broken = support::content(project("go-http", "none"), ".github/workflows/ci.yml");
    broken.replace(broken.find("runs-on"), 7, "runs_on");
    dir.write("broken.yml", broken);
    const auto refused = run(checker + " " + shell_quote(dir.str() + "/broken.yml"));
    CHECK(refused.exit_code != 0);
    CHECK_THAT(refused.output, Catch::Contains("runs_on"));
}

TEST_CASE("the Harness pipeline is YAML with a CI stage running the stack's tests") {
    const auto out = scaffold_request("", R"({"name":"demo","stack":"go-http","features":{"ci":"harness"}})");
    const YAML::Node doc = YAML::Load(support::content(out, ".harness/pipeline.yaml"));
    CHECK(doc["pipeline"]["identifier"].as<std::string>() == "demo");
    const YAML::Node stage = doc["pipeline"]["stages"][0]["stage"];
    CHECK(stage["type"].as<std::string>() == "CI");
    const YAML::Node steps = stage["spec"]["execution"]["steps"];
    REQUIRE(steps.size() == 2);
    CHECK_THAT(steps[0]["step"]["spec"]["command"].as<std::string>(), Catch::Contains("go test ./..."));
    CHECK(steps[1]["step"]["type"].as<std::string>() == "BuildAndPushDockerRegistry");
}
