// Reading what to scaffold from the context and from sentences people type.
#include <devkit/context_fields.hpp>

#include <regex>

#include "support.hpp"

using scaffold::Ci;
using scaffold::Database;
using scaffold::Stack;
using support::scaffold_request;

TEST_CASE("sentences people typed give the stack, the name and the features") {
    struct Case {
        const char* task;
        Stack stack;
        const char* name;
        Database database;
        bool docker;
    };
    const Case cases[] = {
        {"Create a FastAPI project called inventory with postgres and docker", Stack::python_fastapi, "inventory",
         Database::postgres, true},
        {"Scaffold a Go service named billing-api with sqlite", Stack::go_http, "billing-api", Database::sqlite, true},
        {"new express app 'Shop Front' without docker", Stack::node_express, "shop-front", Database::none, false},
        {"Set up an orders microservice in golang", Stack::go_http, "orders", Database::none, true},
        {"I need a TypeScript REST API for a todo app called TodoList, no database", Stack::node_express, "todolist",
         Database::none, true},
        {"Bootstrap a python web service called payments using PostgreSQL", Stack::python_fastapi, "payments",
         Database::postgres, true},
        {"Generate a new Node.js Express project named \"catalog\"", Stack::node_express, "catalog", Database::none,
         true},
        {"Scaffold an Express API for a bookstore with sqlite", Stack::node_express, "bookstore", Database::sqlite, true},
    };
    for (const auto& c : cases) {
        INFO(c.task);
        const auto out = scaffold_request(c.task);
        CHECK(out.spec.stack == c.stack);
        CHECK(out.spec.name == c.name);
        CHECK(out.spec.database == c.database);
        CHECK(out.spec.docker == c.docker);
    }
}

TEST_CASE("a project is never named after a filler word") {
    for (const char* task : {"Create a FastAPI project called a", "Create a project called the", "make a new service",
                             "Create a FastAPI project", "scaffold an app called called", "create the api"}) {
        INFO(task);
        const auto out = scaffold_request(task);
        CHECK(out.spec.name != "called");
        CHECK(out.spec.name != "a");
        CHECK(out.spec.name != "the");
        CHECK(out.spec.name != "new");
        CHECK(out.spec.name.find("service") != std::string::npos);  // the default, said back in assumptions
        CHECK_FALSE(out.spec.assumptions.empty());
    }
}

TEST_CASE("CI, tests and the example resource come from the words too") {
    auto out = scaffold_request("FastAPI project called shop with a products resource and a Harness pipeline");
    CHECK(out.spec.resource == "product");
    CHECK(out.spec.ci == Ci::harness);
    CHECK(support::find(out, ".harness/pipeline.yaml") != nullptr);
    CHECK(support::find(out, ".github/workflows/ci.yml") == nullptr);
    out = scaffold_request("go service called ledger without CI and without tests");
    CHECK(out.spec.ci == Ci::none);
    CHECK_FALSE(out.spec.tests);
    CHECK(support::find(out, "handlers_test.go") == nullptr);
    CHECK(support::find(out, "main.go") != nullptr);
}

TEST_CASE("the context wins over the words, and its fields are checked") {
    auto out = scaffold_request("a FastAPI project called words",
                                R"({"stack":"go-http","name":"Context Name","features":{"database":"sqlite","docker":false,"ci":"none"}})");
    CHECK(out.spec.stack == Stack::go_http);
    CHECK(out.spec.name == "context-name");
    CHECK(out.spec.database == Database::sqlite);
    CHECK_FALSE(out.spec.docker);
    CHECK(support::find(out, "Dockerfile") == nullptr);

    CHECK_THROWS_WITH(scaffold_request("x", R"({"stack":"rust-axum"})"), Catch::Contains("context.stack"));
    CHECK_THROWS_WITH(scaffold_request("x", R"({"name":"!!!"})"), Catch::Contains("context.name"));
    CHECK_THROWS_WITH(scaffold_request("x", R"({"features":{"database":"oracle"}})"),
                      Catch::Contains("context.features.database"));
    CHECK_THROWS_AS(scaffold_request("x", R"({"features":{"docker":"yes"}})"), devkit::FieldError);
    CHECK_THROWS_WITH(scaffold_request("x", R"({"features":[]})"), Catch::Contains("context.features"));
    CHECK_THROWS_WITH(scaffold_request("a FastAPI app called shop with MySQL"), Catch::Contains("mysql"));
    CHECK_THROWS_WITH(scaffold_request("x", R"({"mode":"deploy"})"), Catch::Contains("context.mode"));
}

TEST_CASE("every stack writes the whole project") {
    for (const char* stack : {"python-fastapi", "node-express", "go-http"}) {
        INFO(stack);
        const auto out = scaffold_request("", std::string(R"({"name":"demo","stack":")") + stack +
                                                  R"(","features":{"database":"postgres"}})");
        for (const char* path : {".gitignore", "README.md", "Dockerfile", ".dockerignore", "Makefile",
                                 ".github/workflows/ci.yml"})
            CHECK(support::find(out, path) != nullptr);
        const std::string& docker = support::content(out, "Dockerfile");
        CHECK(docker.find(" AS build") != std::string::npos);
        CHECK(docker.find("\nUSER ") != std::string::npos);
        CHECK(docker.find("\nHEALTHCHECK ") != std::string::npos);
        CHECK(docker.find("{{") == std::string::npos);
        for (const auto& a : out.artifacts) {
            INFO(a.path);
            // No template tag left behind (GitHub's ${{ expressions }} are meant).
            CHECK_FALSE(std::regex_search(a.content, std::regex(R"((^|[^$])\{\{)")));
            CHECK_FALSE(a.media_type.empty());
        }
    }
}

TEST_CASE("a very long or hostile task is read without trouble") {
    std::string task = "Create a FastAPI project called inventory ";
    for (int i = 0; i < 20000; ++i) task += "with postgres and docker ";
    const auto out = scaffold_request(task);
    CHECK(out.spec.name == "inventory");
    const auto odd = scaffold_request("project called \"\xff\xfe\" in go");
    CHECK(odd.spec.stack == Stack::go_http);
    CHECK(odd.spec.name == "go-service");
}
