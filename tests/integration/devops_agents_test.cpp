// The DevOps agents through the running host: their artifacts come back in
// the result and as artifact events, and parse as YAML.
#include "test_host.hpp"

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

using namespace agenthost::testing;
using Catch::Matchers::Contains;

namespace {

HostProcess& host() {
    static HostProcess instance(host_config(R"({"kubernetes_agent":{"enabled":true},"harness_expert":{"enabled":true}})"));
    return instance;
}

// The run's artifacts, checked against its artifact events.
std::vector<std::pair<std::string, std::string>> artifacts_of(HttpClient& client, const rapidjson::Document& invoke) {
    std::vector<std::pair<std::string, std::string>> artifacts;
    for (const auto& artifact : invoke["result"]["artifacts"].GetArray())
        artifacts.emplace_back(artifact["path"].GetString(), artifact["content"].GetString());
    auto events = json_of(client.get(std::string("/runs/") + invoke["run_id"].GetString() + "/events"));
    size_t artifact_events = 0;
    for (const auto& event : events["events"].GetArray()) {
        if (std::string(event["type"].GetString()) != "artifact") continue;
        REQUIRE(artifact_events < artifacts.size());
        CHECK(std::string(event["data"]["path"].GetString()) == artifacts[artifact_events].first);
        ++artifact_events;
    }
    CHECK(artifact_events == artifacts.size());
    return artifacts;
}

}  // namespace

TEST_CASE("kubernetes_agent generates valid manifests through the host") {
    HttpClient client(host().base_url());
    auto result = client.post("/agent/invoke", R"({"agent_name":"kubernetes_agent","task":"Deploy my-api","context":{
        "service":"my-api","image":"registry.example.com/my-api:1.4.2","port":8080,
        "autoscaling":{"min":2,"max":6,"cpu_percent":70},"ingress_host":"api.example.com"}})");
    REQUIRE(result.status == 200);
    auto body = json_of(result);
    auto artifacts = artifacts_of(client, body);
    std::set<std::string> kinds;
    for (const auto& [path, content] : artifacts) {
        INFO(path);
        for (const YAML::Node& document : YAML::LoadAll(content)) kinds.insert(document["kind"].as<std::string>());
    }
    CHECK(kinds == std::set<std::string>{"Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget", "Ingress"});
    // Bad input is the caller's mistake, answered 422.
    auto bad = client.post("/agent/invoke", R"({"agent_name":"kubernetes_agent","task":"x","context":{"service":"Not A DNS Name"}})");
    CHECK(bad.status == 422);
}

TEST_CASE("harness_expert generates a canary pipeline with approval before prod through the host") {
    HttpClient client(host().base_url());
    auto result = client.post("/agent/invoke", R"({"agent_name":"harness_expert","task":"Create a canary deployment pipeline","context":{
        "service":"my-service","environments":["dev","staging","prod"],"strategy":"canary"}})");
    REQUIRE(result.status == 200);
    auto artifacts = artifacts_of(client, json_of(result));
    REQUIRE(artifacts.size() == 1);
    YAML::Node pipeline = YAML::Load(artifacts[0].second)["pipeline"];
    REQUIRE(pipeline["stages"].size() == 3);
    YAML::Node prod = pipeline["stages"][2]["stage"];
    CHECK(prod["spec"]["execution"]["steps"][0]["step"]["type"].as<std::string>() == "HarnessApproval");
    CHECK(prod["spec"]["execution"]["rollbackSteps"].size() > 0);
    YAML::Node dev = pipeline["stages"][0]["stage"];
    CHECK(dev["spec"]["execution"]["steps"][0]["step"]["type"].as<std::string>() != "HarnessApproval");
}

namespace {

std::string slurp(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string wait_run_status(HttpClient& client, const std::string& id, const std::set<std::string>& wanted) {
    std::string status;
    poll_until(
        [&] {
            status = run_status_of(client, id);
            return wanted.count(status) > 0;
        },
        std::chrono::milliseconds(15000), std::chrono::milliseconds(20));
    return status;
}

}  // namespace

TEST_CASE("kubernetes_agent apply waits for approval, then applies through the exec service", "[apply]") {
    std::string dir = make_temp_dir();
    std::string kubectl = dir + "/kubectl";
    {
        // A stand-in kubectl on the host's PATH: shows its arguments and
        // the manifests it was given on stdin.
        std::ofstream script(kubectl);
        script << "#!/bin/sh\necho \"args: $*\"\ncat\necho 'deployment.apps/api created'\n";
    }
    std::filesystem::permissions(kubectl, std::filesystem::perms::owner_all);
    const char* old_path = std::getenv("PATH");
    std::string saved_path = old_path != nullptr ? old_path : "/usr/bin:/bin";
    setenv("PATH", (dir + ":" + saved_path).c_str(), 1);
    // Where bubblewrap cannot sandbox (some containers), the operator's
    // explicit consent lets the command run unconfined.
    bool sandbox = std::system("/usr/bin/bwrap --unshare-all --ro-bind / / --proc /proc --dev /dev -- /bin/true "
                               ">/dev/null 2>&1") == 0;
    HostProcess gated(host_config(
        R"({"kubernetes_agent":{"enabled":true,"config":{"kubectl_args":["--context","staging"]},)"
        R"("exec":{"allow":["kubectl"],"network":true)" + std::string(sandbox ? "" : R"(,"allow_unsandboxed":true)") + "}}}"));
    setenv("PATH", saved_path.c_str(), 1);
    HttpClient client(gated.base_url());
    auto accepted = client.post("/runs", R"({"agent_name":"kubernetes_agent","task":"ship it","thread_id":"k8s-apply",
        "context":{"mode":"apply","service":"api","image":"ghcr.io/acme/api:1.4.2"}})");
    REQUIRE(accepted.status == 202);
    std::string id = json_of(accepted)["run_id"].GetString();
    REQUIRE(wait_run_status(client, id, {"pending_approval"}) == "pending_approval");
    auto run = fetch_run(client, id);
    CHECK(string_member(run["approval"], "operation") == "apply");
    CHECK(string_member(run["approval"], "trigger") == "manifest");
    // Nothing touched the cluster yet.
    CHECK(count_events(fetch_events(client, id), "exec.started") == 0);

    REQUIRE(client.post("/workflow/approve/k8s-apply", R"({"approved":true,"approver":"oncall"})").status == 200);
    REQUIRE(wait_run_status(client, id, {"succeeded", "failed", "cancelled"}) == "succeeded");
    run = fetch_run(client, id);
    CHECK(string_member(run["result"], "mode") == "apply");
    std::string output = string_member(run["result"], "kubectl_output");
    CHECK_THAT(output, Contains("deployment.apps/api created") && Contains("args: --context staging apply -f -"));
    std::string yaml = output.substr(output.find('\n') + 1);
    yaml = yaml.substr(0, yaml.rfind("deployment.apps/api created"));
    std::set<std::string> kinds;
    for (const auto& document : YAML::LoadAll(yaml))
        if (document["kind"]) kinds.insert(document["kind"].as<std::string>());
    CHECK(kinds.count("Deployment") == 1);
    CHECK(kinds.count("Service") == 1);
    // The command's run is on the record: started, its lines, finished.
    auto events = fetch_events(client, id);
    CHECK(count_events(events, "exec.started") == 1);
    CHECK(count_events(events, "exec.output") >= 3);
    CHECK(count_events(events, "exec.finished") == 1);
    std::filesystem::remove_all(dir);
}

TEST_CASE("kubernetes_agent apply on a host that allows it no program is refused at once, before anyone is asked",
          "[apply]") {
    // It used to wait for a person's approval and then fail for want of
    // kubectl (an outsider's report): an approval nobody could act on.
    HttpClient client(host().base_url());
    auto refused = client.post("/runs", R"({"agent_name":"kubernetes_agent","task":"ship it","thread_id":"k8s-nokubectl",
        "context":{"mode":"apply","service":"api","image":"ghcr.io/acme/api:1.4.2"}})");
    INFO(refused.body);
    CHECK(refused.status == 409);
    auto body = json_of(refused);
    CHECK(string_member(body, "error") == "AgentUnavailable");
    CHECK_THAT(string_member(body, "message"),
               Contains("cannot apply on this host") && Contains("agents.kubernetes_agent.exec.allow is empty") &&
                   Contains("nobody is asked to approve"));
    // Nothing was stored, and nothing waits for a person.
    CHECK(json_of(client.get("/runs?thread_id=k8s-nokubectl"))["runs"].Empty());
    // The same agent still generates and reviews there.
    auto generated = client.post("/agent/invoke", R"({"agent_name":"kubernetes_agent","task":"manifests",
        "context":{"service":"api","image":"ghcr.io/acme/api:1.4.2"}})");
    CHECK(generated.status == 200);
}

TEST_CASE("kubernetes_agent refuses to invent a service name from a free-text task, naming context.service") {
    // Found by review: "Deploy my application to Kubernetes" made a service named "to".
    HttpClient client(host().base_url());
    auto refused = client.post("/agent/invoke",
                               R"({"agent_name":"kubernetes_agent","task":"Deploy my application to Kubernetes"})");
    CHECK(refused.status == 422);
    auto body = json_of(refused);
    CHECK_THAT(string_member(body, "message"), Contains("context.service"));
    CHECK(body.HasMember("request_id"));
    auto named = client.post("/agent/invoke", R"({"agent_name":"kubernetes_agent",
        "task":"Create manifests for a service called orders-api, image ghcr.io/acme/orders-api:1.2.0"})");
    REQUIRE(named.status == 200);
    for (const auto& [path, content] : artifacts_of(client, json_of(named)))
        CHECK(YAML::Load(content)["metadata"]["name"].as<std::string>().rfind("orders-api", 0) == 0);
}

TEST_CASE("kubernetes_agent honours StatefulSet storage, CronJobs and TLS through the host, and refuses the rest") {
    HttpClient client(host().base_url());
    auto stateful = client.post("/agent/invoke", R"({"agent_name":"kubernetes_agent","task":"ledger","context":{
        "service":"ledger","image":"ghcr.io/acme/ledger:3.1.0","workload":"StatefulSet","port":5432,
        "storage":{"size":"20Gi","mount_path":"/var/lib/ledger"},"ingress_host":"ledger.example.com",
        "ingress_tls_secret":"ledger-tls"}})");
    REQUIRE(stateful.status == 200);
    std::map<std::string, YAML::Node> objects;
    for (const auto& [path, content] : artifacts_of(client, json_of(stateful))) {
        YAML::Node object = YAML::Load(content);
        objects[object["kind"].as<std::string>() + "/" + object["metadata"]["name"].as<std::string>()] = object;
    }
    REQUIRE(objects.count("StatefulSet/ledger"));
    CHECK(objects["StatefulSet/ledger"]["spec"]["volumeClaimTemplates"][0]["spec"]["resources"]["requests"]["storage"]
              .as<std::string>() == "20Gi");
    CHECK(objects["Service/ledger-headless"]["spec"]["clusterIP"].as<std::string>() == "None");
    CHECK(objects["Ingress/ledger"]["spec"]["tls"][0]["secretName"].as<std::string>() == "ledger-tls");
    CHECK(objects.count("Deployment/ledger") == 0);

    auto cron = client.post("/agent/invoke", R"({"agent_name":"kubernetes_agent","task":"reports","context":{
        "service":"reports","image":"ghcr.io/acme/reports:2.0.1","workload":"CronJob","schedule":"0 6 * * 1-5"}})");
    REQUIRE(cron.status == 200);
    const auto cron_artifacts = artifacts_of(client, json_of(cron));
    REQUIRE(cron_artifacts.size() == 1);
    CHECK(YAML::Load(cron_artifacts[0].second)["kind"].as<std::string>() == "CronJob");

    // The input schema refuses an unsupported workload; the agent refuses a
    // request above its limit, each naming the field.
    auto daemon = client.post("/agent/invoke", R"({"agent_name":"kubernetes_agent","task":"x","context":{
        "service":"agent","workload":"DaemonSet"}})");
    CHECK(daemon.status == 422);
    CHECK_THAT(daemon.body, Contains("workload"));
    auto contradictory = client.post("/agent/invoke", R"({"agent_name":"kubernetes_agent","task":"x","context":{
        "service":"cruncher","resources":{"requests":{"cpu":"2"},"limits":{"cpu":"1"}}}})");
    CHECK(contradictory.status == 422);
    CHECK_THAT(string_member(json_of(contradictory), "message"), Contains("context.resources.limits.cpu"));
}

TEST_CASE("kubernetes_agent review finds references to nothing through the host") {
    HttpClient client(host().base_url());
    auto result = client.post("/agent/invoke", R"({"agent_name":"kubernetes_agent","task":"review","context":{"mode":"review",
        "manifests":"apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: api\n  labels: {app: api}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}\n  minReplicas: 1\n  maxReplicas: 3\n"}})");
    REQUIRE(result.status == 200);
    auto body = json_of(result);
    REQUIRE(body["result"]["findings"].Size() == 1);
    CHECK(string_member(body["result"]["findings"][0], "field") == "spec.scaleTargetRef");
}

TEST_CASE("harness_expert states the Kubernetes namespaces it derives from environment names through the host") {
    HttpClient client(host().base_url());
    auto result = client.post("/agent/invoke", R"({"agent_name":"harness_expert","task":"deploy","context":{
        "service":"search","target":"github_actions","environments":["QA_env","Pre_Prod"]}})");
    REQUIRE(result.status == 200);
    auto body = json_of(result);
    const auto& namespaces = body["result"]["settings"]["namespaces"];
    CHECK(string_member(namespaces, "QA_env") == "qa-env");
    CHECK(string_member(namespaces, "Pre_Prod") == "pre-prod");
    CHECK_THAT(string_member(body["result"], "summary"), Contains("QA_env -> qa-env"));
    auto artifacts = artifacts_of(client, body);
    YAML::Node workflow = YAML::Load(artifacts.at(0).second);
    CHECK(workflow["jobs"]["deploy-QA_env"]["env"]["NAMESPACE"].as<std::string>() == "qa-env");
}
