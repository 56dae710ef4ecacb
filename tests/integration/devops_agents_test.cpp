// The DevOps agents through the running host: their artifacts come back in
// the result and as artifact events, and parse as YAML.
#include "test_host.hpp"

#include <yaml-cpp/yaml.h>

#include <set>

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
