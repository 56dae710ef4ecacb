// harness_expert's GitHub Actions deploy jobs run step by step, as the
// runner runs them (bash -eo pipefail, $GITHUB_ENV between steps, failure()
// steps after a failure), against the objects kubernetes_agent writes, held
// by a stand-in kubectl that refuses what the API server would refuse
// (fake_kubectl.py). So the two agents must agree on names, containers,
// labels and namespaces, and a rollback must undo only what was deployed.
#include <catch2/catch.hpp>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "generate.hpp"
#include "kubernetes.hpp"
#include "settings.hpp"

namespace {

namespace fs = std::filesystem;
using Env = std::map<std::string, std::string>;

std::string slurp(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string single_quoted(const std::string& text) {
    std::string out = "'";
    for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// Fills in the ${{ }} expressions the deploy jobs use.
std::string expand(std::string text, const std::string& sha) {
    const std::pair<std::string, std::string> known[] = {{"${{ github.sha }}", sha},
                                                         {"${{ github.repository_owner }}", "acme"},
                                                         {"${{ secrets.KUBE_CONFIG }}", ""}};
    for (const auto& [expression, value] : known)
        for (auto at = text.find(expression); at != std::string::npos; at = text.find(expression, at + value.size()))
            text.replace(at, expression.size(), value);
    return text;
}

void add_env(Env& env, const YAML::Node& block, const std::string& sha) {
    if (!block || !block.IsMap()) return;
    for (const auto& entry : block) env[entry.first.as<std::string>()] = expand(entry.second.as<std::string>(), sha);
}

// A cluster for one test: a directory with the stand-in kubectl first on PATH.
class Cluster {
  public:
    Cluster() {
        std::string pattern = (fs::temp_directory_path() / "devops-agreement-XXXXXX").string();
        dir_ = ::mkdtemp(pattern.data());
        fs::create_directories(dir_ / "bin");
        fs::create_directories(dir_ / "home");
        fs::create_symlink(FAKE_KUBECTL, dir_ / "bin" / "kubectl");
        std::ofstream(dir_ / "cluster.json") << R"({"objects":{},"history":{}})";
    }
    ~Cluster() { fs::remove_all(dir_); }

    // Applies kubernetes_agent's objects, as `kubectl apply` of its output.
    void apply(const k8s::Generated& generated, const std::string& namespace_name) {
        for (const auto& artifact : generated.artifacts) {
            auto documents = k8s::yaml_documents(artifact.content);
            rapidjson::StringBuffer buffer;
            rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
            documents.front().Accept(writer);
            std::ofstream(dir_ / "object.json") << buffer.GetString();
            REQUIRE(std::system(("FAKE_KUBECTL_STATE=" + dir_.string() + " " + (dir_ / "bin" / "kubectl").string() +
                                 " -n " + namespace_name + " apply -f - < " + (dir_ / "object.json").string() +
                                 " > /dev/null")
                                    .c_str()) == 0);
        }
        fs::remove(dir_ / "calls.log");
        fs::remove(dir_ / "applied.jsonl");
    }

    struct JobRun {
        bool failed = false;
        std::string output;
    };

    // Runs the job's `run` steps in order as the Actions runner does.
    // `extra` overrides the workflow's env (a test's failure switch).
    JobRun run_job(const std::string& workflow_yaml, const std::string& job_id, const std::string& sha,
                   const Env& extra = {}) {
        const YAML::Node workflow = YAML::Load(workflow_yaml);
        const YAML::Node job = workflow["jobs"][job_id];
        REQUIRE(job.IsMap());
        Env carried;  // what steps wrote to $GITHUB_ENV
        JobRun run;
        fs::remove(dir_ / "calls.log");  // calls() and applied() tell of this job only
        fs::remove(dir_ / "applied.jsonl");
        for (const auto& step : job["steps"]) {
            if (!step["run"]) continue;  // actions (checkout, setup-kubectl) are not needed here
            const bool on_failure = step["if"] && step["if"].as<std::string>() == "failure()";
            if (on_failure != run.failed) continue;
            Env env;
            add_env(env, workflow["env"], sha);
            add_env(env, job["env"], sha);
            for (const auto& [name, value] : carried) env[name] = value;
            add_env(env, step["env"], sha);
            for (const auto& [name, value] : extra) env[name] = value;
            env["HOME"] = (dir_ / "home").string();
            env["GITHUB_ENV"] = (dir_ / "github_env").string();
            env["FAKE_KUBECTL_STATE"] = dir_.string();
            env["PATH"] = (dir_ / "bin").string() + ":" + std::getenv("PATH");
            std::ofstream(dir_ / "github_env").close();
            std::string script;
            for (const auto& [name, value] : env) script += "export " + name + "=" + single_quoted(value) + "\n";
            script += expand(step["run"].as<std::string>(), sha);
            std::ofstream(dir_ / "step.sh") << script;
            const int status = std::system(("bash --noprofile --norc -eo pipefail " + (dir_ / "step.sh").string() +
                                            " > " + (dir_ / "step.out").string() + " 2>&1")
                                               .c_str());
            run.output += "## " + step["name"].as<std::string>() + "\n" + slurp(dir_ / "step.out");
            if (status != 0) run.failed = true;
            std::istringstream lines(slurp(dir_ / "github_env"));
            for (std::string line; std::getline(lines, line);)
                if (auto eq = line.find('='); eq != std::string::npos) carried[line.substr(0, eq)] = line.substr(eq + 1);
        }
        return run;
    }

    YAML::Node object(const std::string& namespace_name, const std::string& kind, const std::string& name) {
        const YAML::Node cluster = YAML::Load(slurp(dir_ / "cluster.json"));
        return cluster["objects"][namespace_name + "/" + kind + "/" + name];
    }
    std::vector<YAML::Node> applied() {
        std::vector<YAML::Node> objects;
        std::istringstream lines(slurp(dir_ / "applied.jsonl"));
        for (std::string line; std::getline(lines, line);) objects.push_back(YAML::Load(line));
        return objects;
    }
    std::string calls() { return slurp(dir_ / "calls.log"); }

  private:
    fs::path dir_;
};

k8s::Generated manifests(const std::string& context_json) {
    rapidjson::Document context;
    context.Parse(context_json.c_str());
    REQUIRE_FALSE(context.HasParseError());
    return k8s::generate(context, "", k8s::Config{});
}

std::string workflow(const std::string& context_json) {
    rapidjson::Document context;
    context.Parse(context_json.c_str());
    REQUIRE_FALSE(context.HasParseError());
    const auto settings = harness_expert::settings_from_request("", context, harness_expert::Config{});
    return harness_expert::generate(settings).artifacts.at(0).content;
}

std::string image_of(const YAML::Node& deployment) {
    return deployment["spec"]["template"]["spec"]["containers"][0]["image"].as<std::string>();
}

bool selects(const YAML::Node& selector, const YAML::Node& labels) {
    for (const auto& entry : selector)
        if (!labels[entry.first.as<std::string>()] ||
            labels[entry.first.as<std::string>()].as<std::string>() != entry.second.as<std::string>())
            return false;
    return true;
}

}  // namespace

TEST_CASE("the rolling job deploys into the namespace derived from the environment and rolls back only a change",
          "[workflow]") {
    Cluster cluster;
    cluster.apply(manifests(R"({"service":"checkout","image":"ghcr.io/acme/checkout:1.0.0","namespace":"qa-env"})"),
                  "qa-env");
    const std::string yaml = workflow(
        R"({"service":"checkout","target":"github_actions","environments":["QA_env"],"image":"ghcr.io/acme/checkout:1.0.0"})");

    auto run = cluster.run_job(yaml, "deploy-QA_env", "sha1");
    INFO(run.output);
    REQUIRE_FALSE(run.failed);
    CHECK(image_of(cluster.object("qa-env", "Deployment", "checkout")) == "ghcr.io/acme/checkout:sha1");

    // The same image again, and the rollout fails: nothing was changed, so
    // nothing is undone (undo would go back to 1.0.0).
    run = cluster.run_job(yaml, "deploy-QA_env", "sha1", {{"FAKE_KUBECTL_FAIL_ROLLOUT", "checkout"}});
    INFO(run.output);
    CHECK(run.failed);
    CHECK_THAT(run.output, Catch::Contains("nothing to roll back"));
    CHECK(cluster.calls().find("rollout undo") == std::string::npos);
    CHECK(image_of(cluster.object("qa-env", "Deployment", "checkout")) == "ghcr.io/acme/checkout:sha1");

    // A new image whose rollout fails goes back to exactly what ran before.
    run = cluster.run_job(yaml, "deploy-QA_env", "sha2", {{"FAKE_KUBECTL_FAIL_ROLLOUT", "checkout"}});
    INFO(run.output);
    CHECK(run.failed);
    CHECK_THAT(cluster.calls(), Catch::Contains("rollout undo deployment/checkout --to-revision=2"));
    CHECK(image_of(cluster.object("qa-env", "Deployment", "checkout")) == "ghcr.io/acme/checkout:sha1");
}

TEST_CASE("the canary job's copy keeps the container and takes the Service's traffic", "[workflow]") {
    Cluster cluster;
    const auto objects = manifests(R"({"service":"search","image":"ghcr.io/acme/search:7.0.0","namespace":"prod"})");
    cluster.apply(objects, "prod");
    const YAML::Node service = cluster.object("prod", "Service", "search");
    const std::string yaml = workflow(
        R"({"service":"search","target":"github_actions","strategy":"canary","environments":["prod"]})");

    const auto run = cluster.run_job(yaml, "deploy-prod", "sha1", {{"CANARY_VERIFY_SECONDS", "0"}});
    INFO(run.output);
    REQUIRE_FALSE(run.failed);
    bool canary_seen = false;
    for (const auto& applied : cluster.applied()) {
        if (applied["metadata"]["name"].as<std::string>() != "search-canary") continue;
        canary_seen = true;
        const YAML::Node labels = applied["spec"]["template"]["metadata"]["labels"];
        CHECK(selects(service["spec"]["selector"], labels));                 // the Service sends it traffic
        CHECK(selects(applied["spec"]["selector"]["matchLabels"], labels));  // the API server accepts it
        CHECK(labels["track"].as<std::string>() == "canary");
        CHECK(applied["spec"]["replicas"].as<int>() == 1);
        CHECK(applied["spec"]["template"]["spec"]["containers"][0]["name"].as<std::string>() == "search");
    }
    CHECK(canary_seen);
    CHECK_THAT(cluster.calls(), Catch::Contains("set image deployment/search-canary search=ghcr.io/"));
    CHECK_FALSE(cluster.object("prod", "Deployment", "search-canary"));  // deleted after verification
    CHECK(image_of(cluster.object("prod", "Deployment", "search")).find(":sha1") != std::string::npos);
}

TEST_CASE("the blue-green job swaps between the Deployments kubernetes_agent writes", "[workflow]") {
    Cluster cluster;
    cluster.apply(manifests(R"({"service":"search","image":"ghcr.io/acme/search:7.0.0","strategy":"blue_green",
                                "replicas":3,"namespace":"staging"})"),
                  "staging");
    const std::string yaml = workflow(
        R"({"service":"search","target":"github_actions","strategy":"blue_green","environments":["staging"],
            "image":"ghcr.io/acme/search:7.0.0"})");

    auto run = cluster.run_job(yaml, "deploy-staging", "sha1");
    INFO(run.output);
    REQUIRE_FALSE(run.failed);
    CHECK(cluster.object("staging", "Service", "search")["spec"]["selector"]["color"].as<std::string>() == "green");
    const YAML::Node green = cluster.object("staging", "Deployment", "search-green");
    CHECK(image_of(green) == "ghcr.io/acme/search:sha1");
    CHECK(green["spec"]["replicas"].as<int>() == 3);
    CHECK(image_of(cluster.object("staging", "Deployment", "search-blue")) == "ghcr.io/acme/search:7.0.0");

    run = cluster.run_job(yaml, "deploy-staging", "sha2");
    INFO(run.output);
    REQUIRE_FALSE(run.failed);
    CHECK(cluster.object("staging", "Service", "search")["spec"]["selector"]["color"].as<std::string>() == "blue");
    CHECK(image_of(cluster.object("staging", "Deployment", "search-blue")) == "ghcr.io/acme/search:sha2");

    // The idle colour fails to roll out: the Service is never swapped, so
    // nothing is swapped back.
    run = cluster.run_job(yaml, "deploy-staging", "sha3", {{"FAKE_KUBECTL_FAIL_ROLLOUT", "search-green"}});
    INFO(run.output);
    CHECK(run.failed);
    CHECK(cluster.object("staging", "Service", "search")["spec"]["selector"]["color"].as<std::string>() == "blue");
    CHECK(cluster.calls().find("patch service") == std::string::npos);
}

TEST_CASE("the blue-green job refuses, clearly, a Service without a colour", "[workflow]") {
    Cluster cluster;
    cluster.apply(manifests(R"({"service":"search","image":"ghcr.io/acme/search:7.0.0","namespace":"staging"})"),
                  "staging");
    const std::string yaml = workflow(
        R"({"service":"search","target":"github_actions","strategy":"blue_green","environments":["staging"]})");
    const auto run = cluster.run_job(yaml, "deploy-staging", "sha1");
    CHECK(run.failed);
    CHECK_THAT(run.output, Catch::Contains("selects no color") && Catch::Contains("blue_green"));
}

TEST_CASE("every deploy step's shell passes shellcheck", "[workflow]") {
    if (std::system("command -v shellcheck > /dev/null 2>&1") != 0)
        FAIL("shellcheck not found: run `make deps` (tools/install-deps installs it)");
    const fs::path dir = fs::temp_directory_path() / ("shellcheck-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    for (const char* strategy : {"rolling", "canary", "blue_green"}) {
        CAPTURE(strategy);
        const YAML::Node jobs = YAML::Load(workflow(std::string(R"({"service":"search","target":"github_actions",)") +
                                                    R"("environments":["dev"],"strategy":")" + strategy + "\"}"))["jobs"];
        for (const auto& step : jobs["deploy-dev"]["steps"]) {
            if (!step["run"]) continue;
            CAPTURE(step["name"].as<std::string>());
            std::ofstream(dir / "step.sh") << "#!/bin/bash\n" << expand(step["run"].as<std::string>(), "sha1");
            const std::string command = "shellcheck -s bash " + (dir / "step.sh").string() + " > " +
                                        (dir / "out").string() + " 2>&1";
            const int status = std::system(command.c_str());
            INFO(slurp(dir / "out"));
            CHECK(status == 0);
        }
    }
    fs::remove_all(dir);
}
