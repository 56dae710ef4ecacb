// The analysis of each fixture repository: every finding with the right
// value, file and line (the fixtures under tests/fixtures are written so
// the lines are known).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "repository_source.hpp"
#include "support.hpp"

using ctx_test::analyze_fixture;
using ctx_test::env_var;
using ctx_test::service_at;
using ctx_test::where;

TEST_CASE("Python/FastAPI: framework, port, start command and env vars with file and line", "[analysis]") {
    const auto context = analyze_fixture("python_fastapi");
    REQUIRE(context.services.size() == 1);
    const auto& service = context.services[0];
    CHECK(service.name == "python-fastapi");
    CHECK(service.path == ".");
    CHECK(where(service.language) == "python @ requirements.txt:0");
    CHECK(where(service.language_version) == "3.11 @ .python-version:1");
    CHECK(where(service.framework) == "fastapi @ requirements.txt:1");
    CHECK(where(service.package_manager) == "pip @ requirements.txt:0");
    CHECK(where(service.entrypoint) == "app/main.py @ app/main.py:8");
    CHECK(where(service.port) == "8000 @ app/main.py:23");
    CHECK(where(service.health_path) == "/health @ app/main.py:12");
    CHECK(where(service.commands.at("start")) == "uvicorn app.main:app --host 0.0.0.0 --port 8000 @ app/main.py:8");
    CHECK(where(service.commands.at("install")) == "pip install --no-cache-dir -r requirements.txt @ requirements.txt:0");
    CHECK(where(service.commands.at("test")) == "pytest @ requirements.txt:5");
    REQUIRE(service.env_vars.size() == 3);
    CHECK(where(*env_var(service, "REDIS_URL")) == "REDIS_URL @ app/main.py:9");
    CHECK(where(*env_var(service, "DATABASE_URL")) == "DATABASE_URL @ app/settings.py:5");
    CHECK(where(*env_var(service, "SECRET_KEY")) == "SECRET_KEY @ app/settings.py:8");
    REQUIRE(service.backing_services.size() == 2);
    CHECK(where(service.backing_services[0]) == "postgresql @ requirements.txt:3");
    CHECK(service.backing_services[0].note == "dependency psycopg2-binary");
    CHECK(where(service.backing_services[1]) == "redis @ requirements.txt:4");
    CHECK(context.dockerfiles.empty());
    CHECK(context.iac.empty());
    CHECK(context.ci.empty());
}

TEST_CASE("Node/Express: framework, port from the PORT fallback, scripts and env vars", "[analysis]") {
    const auto context = analyze_fixture("node_express");
    REQUIRE(context.services.size() == 1);
    const auto& service = context.services[0];
    CHECK(where(service.language) == "javascript @ package.json:0");
    CHECK(where(service.language_version) == "20 @ package.json:6");
    CHECK(where(service.framework) == "express @ package.json:14");
    CHECK(where(service.package_manager) == "npm @ package-lock.json:0");
    CHECK(service.lock_files == std::vector<std::string>{"package-lock.json"});
    CHECK(where(service.entrypoint) == "src/server.js @ package.json:4");
    CHECK(where(service.port) == "3000 @ src/server.js:6");
    CHECK(where(service.health_path) == "/healthz @ src/server.js:8");
    CHECK(where(service.commands.at("start")) == "npm start @ package.json:10");
    CHECK(service.commands.at("start").note == "node src/server.js");
    CHECK(where(service.commands.at("test")) == "npm test @ package.json:11");
    CHECK(where(service.commands.at("build")) == "npm run build @ package.json:9");
    CHECK(where(service.commands.at("install")) == "npm ci @ package-lock.json:0");
    REQUIRE(service.env_vars.size() == 3);
    CHECK(where(*env_var(service, "DATABASE_URL")) == "DATABASE_URL @ src/server.js:5");
    CHECK(where(*env_var(service, "PORT")) == "PORT @ src/server.js:6");
    CHECK(where(*env_var(service, "AWS_REGION")) == "AWS_REGION @ src/server.js:12");
    REQUIRE(service.backing_services.size() == 2);
    CHECK(where(service.backing_services[0]) == "postgresql @ package.json:15");
    CHECK(where(service.backing_services[1]) == "redis @ package.json:16");
}

TEST_CASE("Go net/http: port from ListenAndServe, main package, env vars from Getenv and LookupEnv", "[analysis]") {
    const auto context = analyze_fixture("go_nethttp");
    REQUIRE(context.services.size() == 1);
    const auto& service = context.services[0];
    CHECK(where(service.language) == "go @ go.mod:0");
    CHECK(where(service.language_version) == "1.22 @ go.mod:3");
    CHECK(where(service.framework) == "net/http @ main.go:6");
    CHECK(where(service.entrypoint) == "main.go @ main.go:10");
    CHECK(where(service.port) == "8080 @ main.go:17");
    CHECK(where(service.health_path) == "/healthz @ main.go:11");
    CHECK(service.lock_files == std::vector<std::string>{"go.sum"});
    CHECK(service.commands.at("build").value == "CGO_ENABLED=0 go build -trimpath -ldflags=-s -o /out/app .");
    CHECK(service.commands.at("test").value == "go test ./...");
    REQUIRE(service.env_vars.size() == 2);
    CHECK(where(*env_var(service, "DATABASE_URL")) == "DATABASE_URL @ db.go:10");
    CHECK(where(*env_var(service, "GREETING")) == "GREETING @ main.go:15");
    REQUIRE(service.backing_services.size() == 1);
    CHECK(where(service.backing_services[0]) == "postgresql @ go.mod:5");
}

TEST_CASE("Java/Maven: Spring Boot, server.port, the jar, Actuator health and ${VAR} placeholders", "[analysis]") {
    const auto context = analyze_fixture("java_maven");
    REQUIRE(context.services.size() == 1);
    const auto& service = context.services[0];
    CHECK(where(service.language) == "java @ pom.xml:0");
    CHECK(where(service.language_version) == "17 @ pom.xml:13");
    CHECK(where(service.framework) == "spring-boot @ pom.xml:18");
    CHECK(where(service.entrypoint) == "src/main/java/com/example/orders/OrdersApplication.java @ "
                                       "src/main/java/com/example/orders/OrdersApplication.java:6");
    CHECK(where(service.port) == "8081 @ src/main/resources/application.properties:1");
    CHECK(where(service.health_path) == "/actuator/health @ pom.xml:22");
    CHECK(service.commands.at("build").value == "mvn -B -DskipTests package");
    CHECK(service.commands.at("start").value == "java -jar target/orders-0.3.1.jar");
    REQUIRE(service.env_vars.size() == 3);
    CHECK(where(*env_var(service, "ORDERS_REGION")) ==
          "ORDERS_REGION @ src/main/java/com/example/orders/OrdersApplication.java:9");
    CHECK(where(*env_var(service, "DATABASE_URL")) == "DATABASE_URL @ src/main/resources/application.properties:2");
    CHECK(where(*env_var(service, "DB_PASSWORD")) == "DB_PASSWORD @ src/main/resources/application.properties:3");
    REQUIRE(service.backing_services.size() == 1);
    CHECK(where(service.backing_services[0]) == "postgresql @ pom.xml:26");
}

TEST_CASE("a two-service monorepo gives one entry per service, and what is already there", "[analysis]") {
    const auto context = analyze_fixture("monorepo");
    REQUIRE(context.services.size() == 2);
    const auto& api = service_at(context, "services/api");
    CHECK(api.name == "api");
    CHECK(where(api.framework) == "flask @ services/api/requirements.txt:1");
    CHECK(where(api.port) == "5000 @ services/api/app.py:15");
    CHECK(where(api.health_path) == "/ready @ services/api/app.py:9");
    CHECK(api.commands.at("start").value == "gunicorn --bind 0.0.0.0:5000 app:app");
    CHECK(where(*env_var(api, "MONGO_URI")) == "MONGO_URI @ services/api/app.py:6");
    REQUIRE(api.backing_services.size() == 1);
    CHECK(api.backing_services[0].value == "mongodb");
    const auto& web = service_at(context, "services/web");
    CHECK(web.name == "web");
    CHECK(where(web.framework) == "express @ services/web/package.json:8");
    CHECK(where(web.package_manager) == "yarn @ services/web/yarn.lock:0");
    CHECK(where(web.port) == "4000 @ services/web/index.js:6");
    CHECK(where(web.entrypoint) == "index.js @ services/web/package.json:5");
    CHECK(web.commands.at("install").value == "yarn install --frozen-lockfile");
    CHECK(web.dockerfile == "services/web/Dockerfile");
    CHECK(where(*env_var(web, "API_URL")) == "API_URL @ services/web/index.js:3");
    REQUIRE(context.dockerfiles.size() == 1);
    CHECK(context.dockerfiles[0].file == "services/web/Dockerfile");
    REQUIRE(context.iac.size() == 1);
    CHECK(where(context.iac[0]) == "terraform @ infra/main.tf:0");
    REQUIRE(context.ci.size() == 1);
    CHECK(where(context.ci[0]) == "github-actions @ .github/workflows/ci.yml:0");
}

TEST_CASE("the JSON form reads back to the same analysis", "[analysis]") {
    const auto context = analyze_fixture("monorepo");
    auto json = devkit::to_json(context);
    const auto back = devkit::repository_context_from_json(json);
    REQUIRE(back.services.size() == 2);
    CHECK(where(back.services[1].port) == where(context.services[1].port));
    CHECK(back.services[0].commands.at("start").value == context.services[0].commands.at("start").value);
    CHECK(back.services[0].env_vars.size() == context.services[0].env_vars.size());
    rapidjson::Document broken;
    broken.Parse(R"({"services":[{"name":"x","language":{"value":true}}]})");
    CHECK_THROWS_WITH(devkit::repository_context_from_json(broken),
                      Catch::Contains("repository_context.services[0].language.value must be a string"));
}

TEST_CASE("symbolic links are never followed and dependency folders are skipped", "[analysis]") {
    namespace fs = std::filesystem;
    const fs::path root = fs::temp_directory_path() / ("ctx-links-" + std::to_string(::getpid()));
    fs::remove_all(root);
    fs::create_directories(root / "node_modules" / "express");
    std::ofstream(root / "requirements.txt") << "flask\n";
    std::ofstream(root / "node_modules" / "express" / "package.json") << "{\"name\":\"express\"}\n";
    fs::create_directory_symlink("/etc", root / "etc-link");
    fs::create_symlink("/etc/passwd", root / "passwd.py");
    std::vector<std::string> warnings;
    const auto files = ctx::read_tree(root, {}, warnings);
    REQUIRE(files.size() == 1);
    CHECK(files[0].path == "requirements.txt");
    fs::remove_all(root);
}

TEST_CASE("sources are checked before anything is read or cloned", "[source]") {
    const std::vector<std::string> roots = {CONTEXT_FIXTURES};
    const std::string fixture = std::string(CONTEXT_FIXTURES) + "/go_nethttp";
    auto local = ctx::resolve_source(fixture, std::nullopt, std::nullopt, roots);
    CHECK(local.local_path == std::filesystem::canonical(fixture).string());
    CHECK(local.name == "go_nethttp");
    CHECK_THROWS_WITH(ctx::resolve_source(std::string("/etc"), std::nullopt, std::nullopt, roots),
                      Catch::Contains("outside the folders the operator allows"));
    CHECK_THROWS_WITH(ctx::resolve_source(fixture + "/../../../../..", std::nullopt, std::nullopt, roots),
                      Catch::Contains("outside"));
    CHECK_THROWS_WITH(ctx::resolve_source(fixture, std::nullopt, std::nullopt, {}), Catch::Contains("local_roots"));
    CHECK_THROWS_WITH(ctx::resolve_source(std::string("relative"), std::nullopt, std::nullopt, roots),
                      Catch::Contains("absolute"));
    CHECK_THROWS_WITH(ctx::resolve_source(std::nullopt, std::string("ext::sh -c touch% /tmp/pwned"), std::nullopt, roots),
                      Catch::Contains("context.repo_url must be"));
    CHECK_THROWS_WITH(ctx::resolve_source(std::nullopt, std::string("--upload-pack=touch /tmp/x"), std::nullopt, roots),
                      Catch::Contains("context.repo_url must be"));
    CHECK_THROWS_WITH(ctx::resolve_source(std::nullopt, std::string("file:///etc"), std::nullopt, roots),
                      Catch::Contains("outside"));
    CHECK_THROWS_WITH(ctx::resolve_source(std::nullopt, std::string("https://github.com/a/b"), std::string("--exec=x"), roots),
                      Catch::Contains("context.ref"));
    CHECK_THROWS_WITH(ctx::resolve_source(fixture, std::string("https://github.com/a/b"), std::nullopt, roots),
                      Catch::Contains("exclusive"));
    auto remote = ctx::resolve_source(std::nullopt, std::string("https://github.com/acme/shop.git"), std::string("main"), roots);
    CHECK(remote.network);
    CHECK(remote.name == "shop");
    CHECK(remote.ref == "main");
    auto file_url = ctx::resolve_source(std::nullopt, "file://" + fixture, std::nullopt, roots);
    CHECK_FALSE(file_url.network);
    CHECK(ctx::url_in_text("please analyze https://github.com/acme/shop.git.") == "https://github.com/acme/shop.git");
    CHECK(ctx::url_in_text("analyze git@github.com:acme/shop.git now") == "git@github.com:acme/shop.git");
    CHECK(ctx::url_in_text("nothing here").empty());
}
