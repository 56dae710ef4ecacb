// Modules for every fixture repository, both targets: each file parses with
// the real HCL2 parser, every reference resolves on the parsed form, and
// the module carries what the analysis found (port, health path, env vars).
#include <catch2/catch.hpp>

#include "support.hpp"

using terraform_test::fixture_context;
using terraform_test::has;
using terraform_test::parse_module;
using terraform_test::problems_of;

namespace {

terraform::Options options_for(const std::string& target) {
    terraform::Options options;
    options.target = target;
    options.project = "shop";
    return options;
}

const devkit::Artifact& file(const terraform::Module& module, const std::string& name) {
    for (const auto& artifact : module.files)
        if (artifact.path == "terraform/" + name) return artifact;
    FAIL("no " << name);
    throw;
}

}  // namespace

TEST_CASE("every fixture's module parses with hcl2json and its references resolve, for both targets", "[generate][hcl]") {
    std::vector<std::vector<devkit::Artifact>> modules;
    std::vector<std::string> names;
    for (const char* target : {"ecs", "kubernetes"})
        for (const char* fixture : {"python_fastapi", "node_express", "go_nethttp", "java_maven", "monorepo"}) {
            modules.push_back(terraform::generate(fixture_context(fixture), options_for(target)).files);
            names.push_back(std::string(target) + " / " + fixture);
        }
    auto reports = terraform_test::parse_modules(modules);
    for (size_t i = 0; i < modules.size(); ++i) {
        {
            const char* target = i < 5 ? "ecs" : "kubernetes";
            INFO(names[i]);
            const auto& files = modules[i];
            REQUIRE(files.size() == 4);
            auto& report = reports[i];
            CHECK(problems_of(report) == "");
            CHECK(terraform::check_references(files).ok());
            // versions.tf pins the provider, and every variable has a description and a type.
            const auto& versions = report["files"]["versions.tf"]["terraform"][0];
            const auto& providers = versions["required_providers"][0];
            const char* provider = std::string(target) == "ecs" ? "aws" : "kubernetes";
            REQUIRE(providers.HasMember(provider));
            CHECK(std::string(providers[provider]["version"].GetString()).rfind("~> ", 0) == 0);
            CHECK(std::string(versions["required_version"].GetString()) == ">= 1.5.0, < 2.0.0");
            for (const auto& variable : report["files"]["variables.tf"]["variable"].GetObject()) {
                INFO(variable.name.GetString());
                CHECK(variable.value[0].HasMember("description"));
                CHECK(variable.value[0].HasMember("type"));
            }
            CHECK(report["files"]["outputs.tf"]["output"].MemberCount() >= 2);
        }
    }
}

TEST_CASE("ECS: the task definition, ALB health check and IAM carry what the analysis found", "[generate][ecs]") {
    const auto module = terraform::generate(fixture_context("python_fastapi"), options_for("ecs"));
    auto report = parse_module(module.files);
    const auto& main = report["files"]["main.tf"];
    const auto& resources = main["resource"];
    for (const char* type : {"aws_ecr_repository", "aws_ecs_task_definition", "aws_ecs_service", "aws_lb",
                             "aws_lb_target_group", "aws_lb_listener", "aws_cloudwatch_log_group", "aws_iam_role"})
        CHECK(resources.HasMember(type));
    const auto& target_group = resources["aws_lb_target_group"]["python_fastapi"][0];
    CHECK(target_group["port"] == 8000);
    CHECK(target_group["health_check"][0]["path"] == "/health");
    CHECK(resources["aws_ecs_service"]["python_fastapi"][0]["launch_type"] == "FARGATE");
    CHECK(resources["aws_ecs_service"]["python_fastapi"][0]["load_balancer"][0]["container_port"] == 8000);
    const std::string containers = resources["aws_ecs_task_definition"]["python_fastapi"][0]["container_definitions"].GetString();
    CHECK(containers.find("containerPort = 8000") != std::string::npos);
    CHECK(containers.find("name = \"REDIS_URL\", value = var.python_fastapi_redis_url") != std::string::npos);
    // Secret-like variables come from a secret store, never as values.
    CHECK(containers.find("name = \"SECRET_KEY\", valueFrom = var.python_fastapi_secret_key_secret") != std::string::npos);
    CHECK(containers.find("name = \"DATABASE_URL\", valueFrom = var.python_fastapi_database_url_secret") != std::string::npos);
    CHECK(has(report["variables"], "python_fastapi_database_url_secret"));
    // The execution role may read only these secrets, repositories and log groups.
    const std::string& main_tf = file(module, "main.tf").content;
    CHECK(main_tf.find("resources = [var.python_fastapi_database_url_secret, var.python_fastapi_secret_key_secret]") != std::string::npos);
    CHECK(main_tf.find("resources = [aws_ecr_repository.python_fastapi.arn]") != std::string::npos);
    CHECK(main_tf.find("AmazonECSTaskExecutionRolePolicy") == std::string::npos);
    CHECK(main_tf.find("access_key =") == std::string::npos);
    CHECK(main_tf.find("secret_key =") == std::string::npos);
    // Backing services are named, not silently dropped.
    bool noted = false;
    for (const auto& note : module.notes) noted = noted || note.find("postgresql, redis") != std::string::npos;
    CHECK(noted);
}

TEST_CASE("Kubernetes: Deployment probes, Service port and secrets by reference", "[generate][kubernetes]") {
    const auto module = terraform::generate(fixture_context("go_nethttp"), options_for("kubernetes"));
    auto report = parse_module(module.files);
    const auto& resources = report["files"]["main.tf"]["resource"];
    const auto& container = resources["kubernetes_deployment_v1"]["go_nethttp"][0]["spec"][0]["template"][0]["spec"][0]["container"][0];
    CHECK(container["port"][0]["container_port"] == 8080);
    CHECK(container["readiness_probe"][0]["http_get"][0]["path"] == "/healthz");
    CHECK(container["security_context"][0]["read_only_root_filesystem"] == true);
    bool secret_ref = false;
    for (const auto& env : container["env"].GetArray())
        if (env["name"] == "DATABASE_URL")
            secret_ref = env.HasMember("value_from") && !env.HasMember("value");
    CHECK(secret_ref);
    CHECK(resources["kubernetes_service_v1"]["go_nethttp"][0]["spec"][0]["port"][0]["target_port"] == "http");
    CHECK(has(report["variables"], "go_nethttp_secret_name"));
    CHECK(has(report["variables"], "go_nethttp_greeting"));
}

TEST_CASE("the reference check catches undeclared variables and dangling references", "[references]") {
    std::vector<devkit::Artifact> files = {
        {"variables.tf", "variable \"region\" {\n  type = string\n}\n\nvariable \"unused\" {\n  type = string\n}\n", "text/x-hcl"},
        {"main.tf",
         "resource \"aws_s3_bucket\" \"logs\" {\n  bucket = var.bucket\n  region = var.region\n}\n\n"
         "resource \"aws_s3_bucket_policy\" \"logs\" {\n  bucket = aws_s3_bucket.logz.id\n  policy = data.aws_iam_policy_document.x.json\n}\n",
         "text/x-hcl"}};
    const auto report = terraform::check_references(files);
    CHECK(report.undeclared_variables == std::vector<std::string>{"bucket"});
    CHECK(report.unresolved_references == std::vector<std::string>{"aws_s3_bucket.logz", "data.aws_iam_policy_document.x"});
    CHECK(report.unused_variables == std::vector<std::string>{"unused"});
    CHECK_FALSE(report.ok());
}

TEST_CASE("hostile names and values stay data: quoting escapes interpolation", "[hcl]") {
    CHECK(terraform::quoted("${file(\"/etc/passwd\")}") == R"("$${file(\"/etc/passwd\")}")");
    CHECK(terraform::quoted("%{ if true }") == R"("%%{ if true }")");
    CHECK(terraform::identifier("orders-api") == "orders_api");
    CHECK(terraform::identifier("9lives") == "s_9lives");
    CHECK(terraform::is_secret_name("DB_PASSWORD"));
    CHECK(terraform::is_secret_name("MONGO_URI"));
    CHECK_FALSE(terraform::is_secret_name("GREETING"));
    auto context = fixture_context("go_nethttp");
    context.services[0].health_path.value = "/x\"}\nresource \"evil\" {";
    terraform::Options options = options_for("ecs");
    auto module = terraform::generate(context, options);
    auto report = parse_module(module.files);
    CHECK(problems_of(report) == "");
    CHECK(report["files"]["main.tf"]["resource"]["aws_lb_target_group"]["go_nethttp"][0]["health_check"][0]["path"] == "/");
    options.project = "Not A Label";
    CHECK_THROWS_AS(terraform::generate(context, options), terraform::InputError);
    options.project = "shop";
    options.target = "azure";
    CHECK_THROWS_WITH(terraform::generate(context, options), Catch::Contains("context.target"));
}
