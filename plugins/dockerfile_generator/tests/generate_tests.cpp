// Dockerfiles generated for every fixture repository's services: each
// passes the real parser and linter (dockerfile-utils) with no diagnostic,
// and review mode's rules with no error or warning; and each says what the
// analysis found (pinned base, port, health check, user, start command).
#include <catch2/catch.hpp>

#include "support.hpp"

using dockerfile_test::fixture_context;
using dockerfile_test::instruction_args;
using dockerfile_test::lint;

namespace {

std::string problems(const std::string& text) {
    std::string out;
    for (const auto& finding : dockerfile::review(text))
        if (finding.severity != "info") out += finding.rule + "@" + std::to_string(finding.line) + " " + finding.message + "\n";
    return out;
}

}  // namespace

TEST_CASE("every fixture service's Dockerfile passes dockerfile-utils and the review rules", "[generate][lint]") {
    std::map<std::string, std::string> files;
    std::map<std::string, dockerfile::Generated> generated;
    for (const char* fixture : {"python_fastapi", "node_express", "go_nethttp", "java_maven", "monorepo"}) {
        for (const auto& service : fixture_context(fixture).services) {
            auto out = dockerfile::generate(service);
            const std::string name = std::string(fixture) + "-" + service.name + ".Dockerfile";
            INFO(name << "\n" << out.dockerfile);
            CHECK(problems(out.dockerfile) == "");
            files[name] = out.dockerfile;
            generated[name] = out;
        }
    }
    REQUIRE(files.size() == 6);
    auto report = lint(files);
    for (const auto& [name, content] : files) {
        INFO(name << "\n" << content);
        REQUIRE(report.HasMember(name.c_str()));
        const auto& file = report[name.c_str()];
        CHECK(file["diagnostics"].Size() == 0);
        if (file["diagnostics"].Size() != 0) CHECK(file["diagnostics"][0]["message"].GetString() == std::string());
        // Every FROM names a tag that is not latest.
        for (const auto& from : instruction_args(file, "FROM")) {
            const std::string image = from.substr(0, from.find(' '));
            CHECK(image.find(':') != std::string::npos);
            CHECK(image.find(":latest") == std::string::npos);
        }
        CHECK(instruction_args(file, "USER").size() == 1);
        const std::string user = instruction_args(file, "USER")[0];
        CHECK(user != "root");
        CHECK(user.rfind("root:", 0) == std::string::npos);
        CHECK(user.rfind("0", 0) == std::string::npos);
        CHECK(instruction_args(file, "EXPOSE") == std::vector<std::string>{std::to_string(generated[name].port)});
    }
    // What the analysis found reaches the file.
    const auto& python = report["python_fastapi-python-fastapi.Dockerfile"];
    CHECK(instruction_args(python, "FROM")[0] == "python:3.11.10-slim-bookworm AS build");
    CHECK(instruction_args(python, "CMD") == std::vector<std::string>{"[\"uvicorn\", \"app.main:app\", \"--host\", \"0.0.0.0\", \"--port\", \"8000\"]"});
    CHECK(instruction_args(python, "HEALTHCHECK")[0].find("http://127.0.0.1:8000/health") != std::string::npos);
    // Dependencies are installed before the source is copied (layer caching).
    const std::string& python_text = files["python_fastapi-python-fastapi.Dockerfile"];
    CHECK(python_text.find("RUN pip install --no-cache-dir -r requirements.txt") < python_text.find("COPY --chown=app:app . ."));
    const auto& node = report["node_express-node-express.Dockerfile"];
    CHECK(instruction_args(node, "CMD") == std::vector<std::string>{"[\"node\", \"src/server.js\"]"});
    CHECK(instruction_args(node, "FROM").size() == 2);  // a build stage (it has a build script) and the runtime
    CHECK(files["node_express-node-express.Dockerfile"].find("COPY package.json package-lock.json ./") != std::string::npos);
    CHECK(files["node_express-node-express.Dockerfile"].find("AWS_REGION") != std::string::npos);  // listed, not set
    CHECK(instruction_args(node, "ENV") == std::vector<std::string>{"NODE_ENV=production"});
    const auto& go = report["go_nethttp-go-nethttp.Dockerfile"];
    CHECK(instruction_args(go, "FROM").back() == "gcr.io/distroless/static-debian12:nonroot");
    CHECK(instruction_args(go, "HEALTHCHECK")[0].find("http://127.0.0.1:8080/healthz") != std::string::npos);
    const auto& java = report["java_maven-java-maven.Dockerfile"];
    CHECK(instruction_args(java, "EXPOSE") == std::vector<std::string>{"8081"});
    CHECK(files["java_maven-java-maven.Dockerfile"].find("cp target/orders-0.3.1.jar /src/app.jar") != std::string::npos);
    CHECK(instruction_args(java, "HEALTHCHECK")[0].find("/actuator/health") != std::string::npos);
    const auto& web = report["monorepo-web.Dockerfile"];
    CHECK(files["monorepo-web.Dockerfile"].find("yarn install --frozen-lockfile --production") != std::string::npos);
    CHECK(instruction_args(web, "EXPOSE") == std::vector<std::string>{"4000"});
}

TEST_CASE("the .dockerignore keeps secrets, VCS data and dependencies out of the context", "[generate]") {
    const auto context = fixture_context("node_express");
    const auto out = dockerfile::generate(context.services[0]);
    CHECK(out.dockerignore_path == ".dockerignore");
    for (const char* entry : {"\n.git\n", "\n.env\n", "\nnode_modules\n", "\n*.tfstate\n"})
        CHECK(out.dockerignore.find(entry) != std::string::npos);
    const auto monorepo = fixture_context("monorepo");
    for (const auto& service : monorepo.services) {
        const auto generated = dockerfile::generate(service);
        CHECK(generated.dockerfile_path == service.path + "/Dockerfile");
        CHECK(generated.dockerignore_path == service.path + "/.dockerignore");
    }
}

TEST_CASE("without a port or health path the defaults are named, and no HEALTHCHECK is invented", "[generate]") {
    devkit::ServiceContext service;
    service.name = "worker";
    service.path = ".";
    service.language = {"go", "go.mod", 0, ""};
    service.manifests = {"go.mod"};
    const auto out = dockerfile::generate(service);
    CHECK(out.port == 8080);
    CHECK(out.dockerfile.find("HEALTHCHECK") == std::string::npos);
    REQUIRE(out.notes.size() == 2);
    CHECK(out.notes[0].find("no port found") != std::string::npos);
    CHECK(out.notes[1].find("no health endpoint") != std::string::npos);
    service.language.value = "cobol";
    CHECK_THROWS_AS(dockerfile::generate(service), dockerfile::InputError);
}

TEST_CASE("start commands become exec form; shell syntax goes through sh -c", "[generate]") {
    CHECK(dockerfile::exec_form("gunicorn --bind 0.0.0.0:5000 app:app") == R"(["gunicorn", "--bind", "0.0.0.0:5000", "app:app"])");
    CHECK(dockerfile::exec_form("npm run migrate && node server.js") == R"(["sh", "-c", "npm run migrate && node server.js"])");
    CHECK(dockerfile::exec_form("PORT=80 node \"x\"") == R"(["sh", "-c", "PORT=80 node \"x\""])");
}
