// Validation with locations, rendering, lint and diff of template text.
#include <catch2/catch.hpp>

#include "templates.hpp"

using Catch::Matchers::Contains;

namespace {

const char* kStep = R"(template:
  name: Rollout {{ service }}
  identifier: rollout_step
  versionLabel: "1"
  type: Step
  spec:
    type: K8sRollingDeploy
    timeout: <+input>.default(10m)
    spec:
      skipDryRun: false
)";

std::string render_error(const std::string& text, const std::vector<std::pair<std::string, templates::Value>>& values,
                         bool resolve = false) {
    try {
        templates::render(text, {}, values, {resolve});
    } catch (const templates::InputError& error) {
        return error.what();
    }
    return "";
}

bool has_rule(const std::vector<templates::Finding>& findings, const std::string& rule, int line = -1) {
    for (const auto& finding : findings)
        if (finding.rule == rule && (line < 0 || finding.line == line)) return true;
    return false;
}

}  // namespace

TEST_CASE("valid templates of every kind pass; placeholders count as values", "[validate]") {
    CHECK(templates::validate("harness_step", kStep).empty());
    CHECK(templates::validate("kubernetes", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ name }}\ndata: {}\n").empty());
    CHECK(templates::validate("dockerfile", "# syntax=docker/dockerfile:1\nARG BASE=debian:12\nFROM ${BASE}\n"
                                            "RUN <<EOF\napt-get update\nEOF\nCOPY . /app\nUSER 10001\n").empty());
    CHECK(templates::validate("terraform", "variable \"name\" {\n  type = string\n}\n"
                                           "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"${var.name}-{{ env }}\" # a {\n"
                                           "  tags = { Team = \"ops\" }\n}\n").empty());
}

TEST_CASE("a broken template is refused with the location of the error", "[validate]") {
    std::string bad_identifier = kStep;
    bad_identifier.replace(bad_identifier.find("rollout_step"), 12, "rollout-step");
    auto problems = templates::validate("harness_step", bad_identifier);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].line == 3);
    CHECK(problems[0].column == 15);
    CHECK_THAT(problems[0].message, Contains("template.identifier 'rollout-step' breaks Harness's identifier rule"));

    problems = templates::validate("harness_stage", kStep);
    REQUIRE_FALSE(problems.empty());
    CHECK_THAT(problems[0].describe(), Contains("line 5") && Contains("template.type must be Stage"));

    problems = templates::validate("kubernetes", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n"
                                                 "  selector: {matchLabels: {app: web}}\n  template:\n    spec:\n"
                                                 "      containers:\n      - name: web\n");
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].line == 10);
    CHECK_THAT(problems[0].message, Contains("containers[0].image is required"));

    problems = templates::validate("kubernetes", "kind: [unclosed\n");
    REQUIRE(problems.size() == 1);
    CHECK_THAT(problems[0].message, Contains("not valid YAML"));

    problems = templates::validate("dockerfile", "FROM debian:12\nRUNN apt-get update\n");
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].describe() == "line 2, column 1: unknown instruction 'RUNN'");

    problems = templates::validate("terraform", "resource \"aws_s3_bucket\" {\n}\n");
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].describe() == "line 1, column 1: a resource block takes 2 label(s), not 1");
    problems = templates::validate("terraform", "module \"net\" {\n  source = \"./net\"\n  cidr = [\"10.0.0.0/16\"\n}\n");
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].line == 4);
    CHECK_THAT(problems[0].message, Contains("'}' closes nothing here"));
}

TEST_CASE("rendering fills placeholders and runtime inputs; a missing variable is named with its line", "[render]") {
    std::string rendered = templates::render(kStep, {}, {{"service", {"checkout", true}}, {"timeout", {"15m", true}}}, {});
    CHECK_THAT(rendered, Contains("name: Rollout checkout") && Contains("timeout: 15m"));
    CHECK(templates::validate("harness_step", rendered).empty());
    // Unfilled runtime inputs stay for Harness, unless asked to resolve them.
    CHECK_THAT(templates::render(kStep, {}, {{"service", {"a", true}}}, {}), Contains("timeout: <+input>.default(10m)"));
    CHECK_THAT(templates::render(kStep, {}, {{"service", {"a", true}}}, {true}), Contains("timeout: 10m"));
    // Declared defaults fill what is not given.
    CHECK_THAT(templates::render(kStep, {{"service", "", std::string("web")}}, {}, {}), Contains("Rollout web"));
    CHECK(render_error(kStep, {}) == "missing variable(s) in context.variables: service (line 2)");
    CHECK_THAT(render_error("a: {{ x }}\nb: {{ y }}\nc: {{ x }}\n", {}), Contains("x (line 1), y (line 2)"));
    CHECK_THAT(render_error("env: <+input>.allowedValues(dev,prod)\n", {{"env", {"qa", true}}}),
               Contains("context.variables.env 'qa' is not one of the runtime input's allowed values: dev, prod"));
    CHECK_THAT(render_error("a: {{ x }}\n", {{"x", {"1\nb: 2", true}}}), Contains("context.variables.x holds a line break"));
    // Strings YAML would misread are quoted when they fill a runtime input.
    CHECK_THAT(templates::render("flag: <+input>\n", {}, {{"flag", {"yes", true}}}, {}), Contains("flag: \"yes\""));
}

TEST_CASE("lint flags hard-coded secrets, latest tags and unused inputs", "[lint]") {
    auto findings = templates::lint("kubernetes",
                                    "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n"
                                    "  DB_PASSWORD: hunter2hunter2\n  API_TOKEN: <+secrets.getValue(\"api\")>\n",
                                    {});
    CHECK(has_rule(findings, "hard-coded-secret", 6));
    CHECK_FALSE(has_rule(findings, "hard-coded-secret", 7));
    findings = templates::lint("terraform", "provider \"aws\" {\n  access_key = \"AKIAIOSFODNN7EXAMPLE\"\n}\n", {});
    REQUIRE(has_rule(findings, "hard-coded-secret", 2));
    for (const auto& finding : findings) CHECK_THAT(finding.message, !Contains("AKIAIOSFODNN7EXAMPLE"));
    CHECK(has_rule(templates::lint("dockerfile", "FROM node:latest\nENV NPM_TOKEN=abcdef123456\n", {}), "hard-coded-secret", 2));
    CHECK(has_rule(templates::lint("dockerfile", "FROM node:latest AS build\nFROM build\n", {}), "latest-tag", 1));
    CHECK_FALSE(has_rule(templates::lint("dockerfile", "FROM node:20 AS build\nFROM build\n", {}), "latest-tag"));
    CHECK(has_rule(templates::lint("kubernetes", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n"
                                                 "  containers:\n  - name: c\n    image: nginx\n", {}),
                   "latest-tag", 8));
    // secretKeyRef names a secret rather than holding one.
    CHECK_FALSE(has_rule(templates::lint("kubernetes", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n"
                                                       "  containers:\n  - name: c\n    image: nginx:1.25\n    env:\n"
                                                       "    - name: PASSWORD\n      valueFrom:\n        secretKeyRef:\n"
                                                       "          name: db-secret\n          key: password\n", {}),
                         "hard-coded-secret"));
    findings = templates::lint("harness_step", kStep, {{"service", "", std::nullopt}, {"region", "", std::nullopt}});
    CHECK(has_rule(findings, "unused-input"));
    CHECK(findings.size() == 1);
    CHECK_THAT(findings[0].message, Contains("'region'"));
    CHECK(has_rule(templates::lint("harness_pipeline", "pipeline:\n  name: p\n  identifier: p\n  variables:\n"
                                                       "    - name: unused_var\n      type: String\n  stages:\n"
                                                       "    - stage:\n        name: s\n        identifier: s\n        type: Custom\n",
                                   {}),
                   "unused-input", 5));
}

TEST_CASE("the diff of two versions is a minimal unified diff", "[diff]") {
    CHECK(templates::unified_diff("a\nb\n", "a\nb\n", "a/x", "b/x").empty());
    CHECK(templates::unified_diff("1\n2\n3\n4\n5\n6\n7\n8\n", "1\n2\n3\n4\nfive\n6\n7\n8\n", "a/t@1", "b/t@2") ==
          "--- a/t@1\n+++ b/t@2\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
    CHECK(templates::unified_diff("", "x\n", "a", "b") == "--- a\n+++ b\n@@ -0,0 +1 @@\n+x\n");
    CHECK(templates::unified_diff("x", "x\n", "a", "b") == "--- a\n+++ b\n@@ -1 +1 @@\n-x\n\\ No newline at end of file\n+x\n");
}

TEST_CASE("a Harness variable's runtime input is named by the variable", "[render]") {
    const std::string pipeline = "pipeline:\n  variables:\n    - name: image\n      type: String\n      value: <+input>\n"
                                 "    - name: replicas\n      type: Number\n      value: <+input>.default(2)\n";
    auto inputs = templates::runtime_inputs(pipeline);
    REQUIRE(inputs.size() == 2);
    CHECK(inputs[0].name == "image");
    CHECK(inputs[1].name == "replicas");
    CHECK(inputs[1].default_value == std::optional<std::string>("2"));
    std::string rendered = templates::render(pipeline, {}, {{"image", {"ghcr.io/acme/api:1.2", true}}, {"replicas", {"3", false}}}, {});
    CHECK_THAT(rendered, Contains("value: ghcr.io/acme/api:1.2") && Contains("value: 3"));
    // A string that reads as a number stays a string.
    CHECK_THAT(templates::render("port: <+input>\n", {}, {{"port", {"8080", true}}}, {}), Contains("port: \"8080\""));
}

TEST_CASE("words near secret-sounding keys are not secrets", "[lint]") {
    CHECK_FALSE(has_rule(templates::lint("kubernetes", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n"
                                                       "  annotations:\n    description: the secret sauce\n    author: Jane Doe\n"
                                                       "data:\n  token_url: https://auth.example.com/token\n", {}),
                         "hard-coded-secret"));
    CHECK(has_rule(templates::lint("dockerfile", "FROM debian:12\nENV DB_PASSWORD hunter22\n", {}), "hard-coded-secret", 2));
    CHECK(has_rule(templates::lint("terraform", "resource \"aws_db_instance\" \"db\" {\n  password = \"Sup3rS3cret\"\n}\n", {}),
                   "hard-coded-secret", 2));
    CHECK_FALSE(has_rule(templates::lint("terraform", "resource \"aws_db_instance\" \"db\" {\n  password = var.db_password\n}\n", {}),
                         "hard-coded-secret"));
}
