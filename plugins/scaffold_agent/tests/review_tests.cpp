// Review mode: each rule fires on a project that breaks it and stays quiet
// on what the agent itself scaffolds.
#include "support.hpp"

#include <set>

using support::scaffold_request;

namespace {

std::set<std::string> rules(const scaffold::Outcome& out) {
    std::set<std::string> found;
    for (const auto& f : out.findings) found.insert(f.rule);
    return found;
}

}  // namespace

TEST_CASE("a bare project gets a finding for each thing it lacks") {
    const auto out = scaffold_request("review my project", R"({"files":{
        "Dockerfile":"FROM python\nADD . /app\nRUN pip install -r /app/requirements.txt\nCMD [\"python\", \"/app/main.py\"]\n",
        "main.py":"print('hi')\n",
        ".env":"SECRET=1\n"}})");
    CHECK(out.mode == "review");
    CHECK(out.files_reviewed == 3);
    CHECK(rules(out) == std::set<std::string>{"unpinned-base-image", "add-instead-of-copy", "single-stage-build",
                                              "runs-as-root", "no-healthcheck", "committed-secret", "no-gitignore",
                                              "no-readme", "no-dependency-manifest", "no-tests", "no-ci"});
}

TEST_CASE("USER root in the last stage still runs as root; a USER in the build stage only does not count") {
    auto out = scaffold_request("", R"({"mode":"review","files":[{"path":"Dockerfile","content":
        "FROM golang:1.22 AS build\nUSER 1000\nRUN go build\nFROM debian:12-slim\nUSER root\nHEALTHCHECK CMD true\n"}]})");
    CHECK(rules(out).count("runs-as-root") == 1);
    CHECK(rules(out).count("single-stage-build") == 0);
    CHECK(rules(out).count("no-healthcheck") == 0);
    out = scaffold_request("", R"({"mode":"review","files":[{"path":"Dockerfile","content":
        "FROM golang:1.22 AS build\nUSER 1000\nFROM debian:12-slim\nHEALTHCHECK NONE\n"}]})");
    CHECK(rules(out).count("runs-as-root") == 1);
    CHECK(rules(out).count("no-healthcheck") == 1);
}

TEST_CASE("the agent's own projects pass its review") {
    for (const char* stack : {"python-fastapi", "node-express", "go-http"}) {
        INFO(stack);
        const auto generated = scaffold_request("", std::string(R"({"name":"demo","stack":")") + stack + "\"}");
        rapidjson::Document context(rapidjson::kObjectType);
        rapidjson::Value files(rapidjson::kArrayType);
        for (const auto& a : generated.artifacts) {
            rapidjson::Value f(rapidjson::kObjectType);
            f.AddMember("path", rapidjson::Value(a.path.c_str(), context.GetAllocator()), context.GetAllocator());
            f.AddMember("content", rapidjson::Value(a.content.c_str(), context.GetAllocator()), context.GetAllocator());
            files.PushBack(f, context.GetAllocator());
        }
        context.AddMember("files", files, context.GetAllocator());
        const auto out = scaffold::handle(context, "review");
        for (const auto& f : out.findings) INFO(f.rule << " " << f.file << ": " << f.message);
        CHECK(out.findings.empty());
    }
}

TEST_CASE("review input errors name the field") {
    CHECK_THROWS_WITH(scaffold_request("", R"({"mode":"review"})"), Catch::Contains("context.files"));
    CHECK_THROWS_WITH(scaffold_request("", R"({"files":[]})"), Catch::Contains("context.files is empty"));
    CHECK_THROWS_WITH(scaffold_request("", R"({"files":[{"content":"x"}]})"), Catch::Contains("context.files[0].path"));
    CHECK_THROWS_WITH(scaffold_request("", R"({"files":{"a":1}})"), Catch::Contains("context.files.a"));
    CHECK_THROWS_WITH(scaffold_request("", R"({"files":"Dockerfile"})"), Catch::Contains("context.files"));
}
