// The CI definition: a GitHub Actions workflow (test job with the stack's
// toolchain, a PostgreSQL service when the project uses it, and an image
// build with the docker feature) or a Harness CI pipeline doing the same.
// Built as yaml-cpp nodes and emitted by devkit, so quoting is never ours.
#include <devkit/yaml_emit.hpp>

#include "project_files.hpp"

namespace scaffold {
namespace {

YAML::Node step_uses(const std::string& action, const std::map<std::string, std::string>& with = {}) {
    YAML::Node step;
    step["uses"] = action;
    for (const auto& [key, value] : with) step["with"][key] = value;
    return step;
}

YAML::Node step_run(const std::string& name, const std::string& command) {
    YAML::Node step;
    step["name"] = name;
    step["run"] = command;
    return step;
}

// The commands that install and test, per stack.
std::vector<std::pair<std::string, std::string>> test_commands(const ProjectSpec& spec) {
    switch (spec.stack) {
        case Stack::python_fastapi:
            return {{"Install", "python -m pip install -r requirements-dev.txt"},
                    {"Test", spec.tests ? "python -m pytest" : "python -c \"import app.main\""}};
        case Stack::node_express:
            return {{"Install", "npm install"}, {"Test", spec.tests ? "npm test" : "npm run typecheck"}};
        case Stack::go_http:
            return {{"Vet", "go vet ./..."}, {"Test", spec.tests ? "go test ./..." : "go build ./..."}};
    }
    return {};
}

std::string toolchain_image(const ProjectSpec& spec) {
    return spec.stack == Stack::go_http ? "golang:1.22" : spec.stack == Stack::node_express ? "node:20" : "python:3.12";
}

devkit::Artifact github_workflow(const ProjectSpec& spec) {
    YAML::Node doc;
    doc["name"] = "CI";
    doc["on"]["push"]["branches"].push_back("main");
    doc["on"]["pull_request"] = YAML::Node(YAML::NodeType::Map);
    doc["permissions"]["contents"] = "read";
    YAML::Node test;
    test["runs-on"] = "ubuntu-latest";
    test["timeout-minutes"] = 15;
    if (spec.database == Database::postgres && spec.stack == Stack::python_fastapi && spec.tests) {
        YAML::Node pg;
        pg["image"] = "postgres:16";
        pg["env"]["POSTGRES_PASSWORD"] = "postgres";
        pg["env"]["POSTGRES_DB"] = "test";
        pg["ports"].push_back("5432:5432");
        pg["options"] = "--health-cmd pg_isready --health-interval 5s --health-timeout 5s --health-retries 10";
        test["services"]["postgres"] = pg;
        test["env"]["TEST_DATABASE_URL"] = "postgresql://postgres:postgres@localhost:5432/test";
    }
    test["steps"].push_back(step_uses("actions/checkout@v4"));
    switch (spec.stack) {
        case Stack::python_fastapi:
            test["steps"].push_back(step_uses("actions/setup-python@v5", {{"python-version", "3.12"}, {"cache", "pip"}}));
            break;
        case Stack::node_express:
            test["steps"].push_back(step_uses("actions/setup-node@v4", {{"node-version", "20"}}));
            break;
        case Stack::go_http:
            test["steps"].push_back(step_uses("actions/setup-go@v5", {{"go-version-file", "go.mod"}}));
            break;
    }
    for (const auto& [name, command] : test_commands(spec)) test["steps"].push_back(step_run(name, command));
    doc["jobs"]["test"] = test;
    if (spec.docker) {
        YAML::Node image;
        image["runs-on"] = "ubuntu-latest";
        image["needs"] = "test";
        image["timeout-minutes"] = 20;
        image["steps"].push_back(step_uses("actions/checkout@v4"));
        image["steps"].push_back(step_run("Build the image", "docker build -t " + spec.name + ":${{ github.sha }} ."));
        doc["jobs"]["image"] = image;
    }
    return {".github/workflows/ci.yml", devkit::emit_yaml(doc), "application/yaml"};
}

devkit::Artifact harness_pipeline(const ProjectSpec& spec) {
    std::string id = spec.name;
    for (char& c : id) c = c == '-' ? '_' : c;
    YAML::Node pipeline;
    pipeline["name"] = spec.name;
    pipeline["identifier"] = id;
    pipeline["projectIdentifier"] = "default_project";
    pipeline["orgIdentifier"] = "default";
    pipeline["properties"]["ci"]["codebase"]["connectorRef"] = "<+input>";
    pipeline["properties"]["ci"]["codebase"]["repoName"] = spec.name;
    pipeline["properties"]["ci"]["codebase"]["build"] = "<+input>";

    YAML::Node stage;
    stage["name"] = "Test";
    stage["identifier"] = "test";
    stage["type"] = "CI";
    stage["spec"]["cloneCodebase"] = true;
    stage["spec"]["platform"]["os"] = "Linux";
    stage["spec"]["platform"]["arch"] = "Amd64";
    stage["spec"]["runtime"]["type"] = "Cloud";
    stage["spec"]["runtime"]["spec"] = YAML::Node(YAML::NodeType::Map);
    std::string script;
    for (const auto& [name, command] : test_commands(spec)) script += command + "\n";
    YAML::Node run;
    run["step"]["type"] = "Run";
    run["step"]["name"] = "Test";
    run["step"]["identifier"] = "test";
    run["step"]["spec"]["shell"] = "Sh";
    run["step"]["spec"]["image"] = toolchain_image(spec);
    run["step"]["spec"]["command"] = script;
    stage["spec"]["execution"]["steps"].push_back(run);
    if (spec.docker) {
        YAML::Node build;
        build["step"]["type"] = "BuildAndPushDockerRegistry";
        build["step"]["name"] = "Build image";
        build["step"]["identifier"] = "build_image";
        build["step"]["spec"]["connectorRef"] = "<+input>";
        build["step"]["spec"]["repo"] = "<+input>";
        build["step"]["spec"]["tags"].push_back("<+pipeline.sequenceId>");
        build["step"]["spec"]["dockerfile"] = "Dockerfile";
        stage["spec"]["execution"]["steps"].push_back(build);
    }
    YAML::Node wrapper;
    wrapper["stage"] = stage;
    pipeline["stages"].push_back(wrapper);
    YAML::Node doc;
    doc["pipeline"] = pipeline;
    return {".harness/pipeline.yaml", devkit::emit_yaml(doc), "application/yaml"};
}

}  // namespace

std::vector<devkit::Artifact> ci_files(const ProjectSpec& spec) {
    if (spec.ci == Ci::github) return {github_workflow(spec)};
    if (spec.ci == Ci::harness) return {harness_pipeline(spec)};
    return {};
}

}  // namespace scaffold
