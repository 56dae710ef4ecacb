// End-to-end tests of the built libkubernetes_agent.so through the C ABI.
#include <agenthost/agent.hpp>
#include <catch2/catch.hpp>
#include <fake_host.hpp>
#include <json_schema.hpp>

#include <string>
#include <vector>

#include "support.hpp"

using textkit::testing::FakeHost;
using textkit::testing::parse_json;
using textkit::testing::read_json_file;
using textkit::testing::run_input;
using textkit::testing::RunRecord;
using textkit::testing::schema_violation;

namespace {

std::string default_config() {
    const auto manifest = read_json_file(KUBERNETES_MANIFEST_PATH);
    return agenthost::json::serialize(manifest["default_config"]);
}

struct LoadedAgent {
    explicit LoadedAgent(const std::string& config = default_config()) {
        REQUIRE(host.create_agent(config) == AGENTHOST_OK);
    }
    ~LoadedAgent() { CHECK(host.violations().empty()); }
    FakeHost host{KUBERNETES_PLUGIN_PATH};
};

}  // namespace

TEST_CASE("the plugin describes itself as in its manifest", "[plugin]") {
    FakeHost host(KUBERNETES_PLUGIN_PATH);
    const auto manifest = read_json_file(KUBERNETES_MANIFEST_PATH);
    CHECK(agenthost::from_abi(host.descriptor().name) == manifest["name"].GetString());
    CHECK(agenthost::from_abi(host.descriptor().version) == manifest["version"].GetString());
}

TEST_CASE("a free-text task alone generates valid manifests through the ABI", "[plugin]") {
    LoadedAgent agent;
    const RunRecord run =
        agent.host.invoke(run_input("Deploy the checkout service, image ghcr.io/acme/checkout:5.2.0, port 8000"));
    REQUIRE(run.status == AGENTHOST_OK);
    REQUIRE(run.has_result);
    const auto result = parse_json(run.result_json);
    const auto manifest = read_json_file(KUBERNETES_MANIFEST_PATH);
    CHECK(schema_violation(manifest["output_schema"], result) == "");
    CHECK(result["mode"] == "generate");
    REQUIRE(result["artifacts"].Size() == 3);
    for (const auto& artifact : result["artifacts"].GetArray()) {
        CHECK(artifact["media_type"] == "application/yaml");
        const auto object = k8s_test::yaml_object(artifact["content"].GetString());
        CHECK(schema_violation(k8s_test::schema_for(artifact["kind"].GetString()), object) == "");
        CHECK(object["metadata"]["labels"]["app.kubernetes.io/name"] == "checkout");
    }
    CHECK_THAT(result["summary"].GetString(), Catch::Contains("Defaults used") && Catch::Contains("2 replicas"));
    CHECK(result["warnings"].Size() == 0);
    // One progress event per object.
    REQUIRE(run.events.size() == 3);
    for (const auto& event : run.events) CHECK(event.type == "agent.progress");
    CHECK_THAT(run.events[0].data_json, Catch::Contains("Deployment/checkout"));
}

TEST_CASE("the registry prefix from the config applies through the ABI", "[plugin]") {
    LoadedAgent agent(R"({"registry_prefix":"registry.acme.io/shop"})");
    const auto run = agent.host.invoke(run_input("", R"({"service":"cart","image":"cart:1.0.0"})"));
    REQUIRE(run.status == AGENTHOST_OK);
    const auto result = parse_json(run.result_json);
    const auto deployment = k8s_test::yaml_object(result["artifacts"][0]["content"].GetString());
    CHECK(deployment["spec"]["template"]["spec"]["containers"][0]["image"] == "registry.acme.io/shop/cart:1.0.0");
}

TEST_CASE("review mode through the ABI", "[plugin]") {
    LoadedAgent agent;
    const auto run = agent.host.invoke(run_input(
        "review these", R"({"mode":"review","manifests":"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx\n"})"));
    REQUIRE(run.status == AGENTHOST_OK);
    const auto result = parse_json(run.result_json);
    const auto manifest = read_json_file(KUBERNETES_MANIFEST_PATH);
    CHECK(schema_violation(manifest["output_schema"], result) == "");
    CHECK(result["objects_reviewed"] == 1);
    CHECK(result["findings"].Size() > 0);
    CHECK(result["findings"][0]["object"] == "Pod/p");
}

TEST_CASE("bad input and bad YAML are INVALID_INPUT", "[plugin]") {
    LoadedAgent agent;
    for (const char* context : {R"({"service":"Bad_Name"})", R"({"mode":"review","manifests":"a: [1,\n"})",
                                R"({"mode":"review"})", R"({"mode":"apply","manifests":"a: [1,\n"})",
                                R"({"mode":"destroy"})"}) {
        CAPTURE(context);
        const auto run = agent.host.invoke(run_input("", context));
        CHECK(run.status == AGENTHOST_ERROR_INVALID_INPUT);
        CHECK_FALSE(run.has_result);
        CHECK_FALSE(run.error.empty());
        CHECK(run.approval_requests.empty());
    }
    CHECK_THAT(agent.host.invoke(run_input("", R"({"service":"Bad_Name"})")).error, Catch::Contains("context.service"));
    CHECK_THAT(agent.host.invoke(run_input("", R"({"mode":"review","manifests":"a: [1,\n"})")).error,
               Catch::Contains("line") && Catch::Contains("column"));
}

TEST_CASE("apply asks for approval first, then refuses clearly when the host runs no kubectl", "[plugin][apply]") {
    LoadedAgent agent;
    const auto paused = agent.host.invoke(run_input("deploy api", R"({"mode":"apply","service":"api","image":"api:1.0.0"})"));
    CHECK(paused.status == AGENTHOST_ERROR_APPROVAL_REQUIRED);
    REQUIRE(paused.approval_requests.size() == 1);
    CHECK_THAT(paused.approval_requests[0], Catch::Contains("\"operation\":\"apply\"") &&
                                                Catch::Contains("Deployment/api"));
    CHECK(paused.exec_requests.empty());  // nothing reached the cluster before approval
    CHECK(paused.exec_check_requests.size() == 1);  // but the host said it would run kubectl
    agent.host.approve("apply");
    // The fake host, like a host whose operator allows no kubectl, refuses.
    const auto refused = agent.host.invoke(run_input("deploy api", R"({"mode":"apply","service":"api","image":"api:1.0.0"})"));
    CHECK(refused.status == AGENTHOST_ERROR_UNAVAILABLE);
    CHECK_THAT(refused.error, Catch::Contains("kubernetes_agent cannot apply") &&
                                  Catch::Contains("agents.kubernetes_agent.exec") &&
                                  Catch::Contains("\"allow\": [\"kubectl\"]") && Catch::Contains("\"network\": true"));
}

TEST_CASE("an apply the host would never run fails with what to set, and nobody is asked to approve it",
          "[plugin][apply]") {
    LoadedAgent agent(R"({"kubectl_args":["--context","staging"],"kubectl_timeout_seconds":30})");
    agent.host.set_exec_check_handler([](const std::string&, std::string& response) {
        response = "kubectl is not in agents.kubernetes_agent.exec.allow";
        return AGENTHOST_ERROR_PERMISSION_DENIED;
    });
    const std::string input = run_input("deploy api", R"({"mode":"apply","service":"api","image":"api:1.0.0"})");
    const auto refused = agent.host.invoke(input);
    CHECK(refused.status == AGENTHOST_ERROR_PERMISSION_DENIED);
    CHECK(refused.approval_requests.empty());
    CHECK(refused.exec_requests.empty());
    CHECK_THAT(refused.error, Catch::Contains("kubectl is not in agents.kubernetes_agent.exec.allow") &&
                                  Catch::Contains("\"allow\": [\"kubectl\"]") && Catch::Contains("\"network\": true"));
    // The check was of the command apply runs.
    REQUIRE(refused.exec_check_requests.size() == 1);
    const auto checked = parse_json(refused.exec_check_requests[0]);
    std::vector<std::string> argv;
    for (const auto& arg : checked["argv"].GetArray()) argv.emplace_back(arg.GetString());
    CHECK(argv == std::vector<std::string>{"kubectl", "--context", "staging", "apply", "-f", "-"});
    CHECK(checked["network"].GetBool());
    CHECK(checked["timeout_seconds"].GetDouble() == 30);
    // An approval given earlier does not make it run.
    agent.host.approve("apply");
    CHECK(agent.host.invoke(input).exec_requests.empty());
}

TEST_CASE("apply runs kubectl through the host's exec service with the manifests on stdin", "[plugin][apply]") {
    LoadedAgent agent(R"({"kubectl_args":["--context","staging"],"kubectl_timeout_seconds":30})");
    agent.host.approve("apply");
    std::string request;
    agent.host.set_exec_handler([&](const std::string& request_json, std::string& response) {
        request = request_json;
        response = R"({"exit_code":0,"signal":0,"timed_out":false,"truncated":false,"stdout":"deployment.apps/api created\n","stderr":"","duration_ms":5})";
        return AGENTHOST_OK;
    });
    const auto run = agent.host.invoke(run_input("deploy api", R"({"mode":"apply","service":"api","image":"api:1.0.0"})"));
    INFO(run.error);
    REQUIRE(run.status == AGENTHOST_OK);
    const auto sent = parse_json(request);
    REQUIRE(sent["argv"].Size() == 6);
    std::vector<std::string> argv;
    for (const auto& arg : sent["argv"].GetArray()) argv.emplace_back(arg.GetString());
    CHECK(argv == std::vector<std::string>{"kubectl", "--context", "staging", "apply", "-f", "-"});
    CHECK_THAT(sent["stdin"].GetString(), Catch::Contains("kind: Deployment") && Catch::Contains("kind: Service"));
    CHECK(sent["network"].GetBool());
    CHECK(sent["timeout_seconds"].GetDouble() == 30);
    const auto result = parse_json(run.result_json);
    CHECK(result["mode"] == "apply");
    CHECK_THAT(result["kubectl_output"].GetString(), Catch::Contains("deployment.apps/api created"));

    agent.host.set_exec_handler([](const std::string&, std::string& response) {
        response = R"({"exit_code":1,"signal":0,"timed_out":false,"truncated":false,"stdout":"","stderr":"error: no context staging","duration_ms":5})";
        return AGENTHOST_OK;
    });
    const auto failed = agent.host.invoke(run_input("deploy api", R"({"mode":"apply","service":"api","image":"api:1.0.0"})"));
    CHECK(failed.status == AGENTHOST_ERROR_FAILED);
    CHECK_THAT(failed.error, Catch::Contains("kubectl apply failed (exit 1)") && Catch::Contains("no context staging"));
}

TEST_CASE("on a host older than ABI 1.2 apply says there is no exec service", "[plugin][apply]") {
    LoadedAgent agent;
    agent.host.emulate_abi_1_1();
    agent.host.approve("apply");
    const auto refused = agent.host.invoke(run_input("deploy api", R"({"mode":"apply","service":"api","image":"api:1.0.0"})"));
    CHECK(refused.status == AGENTHOST_ERROR_UNAVAILABLE);
    CHECK_THAT(refused.error, Catch::Contains("no exec service") && Catch::Contains("older than 1.2"));
    CHECK(refused.exec_requests.empty());
    // Generating needs no exec and still works there.
    CHECK(agent.host.invoke(run_input("deploy api", R"({"service":"api","image":"api:1.0.0"})")).status == AGENTHOST_OK);
}

TEST_CASE("a kubectl path in the config is refused with what to use instead", "[plugin][apply]") {
    FakeHost host(KUBERNETES_PLUGIN_PATH);
    CHECK(host.create_agent(R"({"kubectl":"/usr/local/bin/kubectl"})") == AGENTHOST_ERROR_FAILED);
    CHECK_THAT(host.create_error(), Catch::Contains("not a path") && Catch::Contains("exec.allow"));
}

TEST_CASE("a cancelled run stops with the cancelled status", "[plugin]") {
    LoadedAgent agent;
    const auto run = agent.host.invoke(run_input("deploy api", "{}"), /*cancelled=*/true);
    CHECK(run.status == AGENTHOST_ERROR_CANCELLED);
    CHECK_FALSE(run.has_result);
}

TEST_CASE("a bad config makes agent creation fail with a reason", "[plugin]") {
    FakeHost host(KUBERNETES_PLUGIN_PATH);
    CHECK(host.create_agent(R"({"default_resources":{"limits":{"cpu":"lots"}}})") == AGENTHOST_ERROR_FAILED);
    CHECK_THAT(host.create_error(), Catch::Contains("default_resources"));
}

TEST_CASE("the plugin unloads when the host closes it", "[plugin]") {
    {
        LoadedAgent agent;
        agent.host.invoke(run_input("deploy api"));
        REQUIRE(textkit::testing::is_library_loaded(KUBERNETES_PLUGIN_PATH));
    }
    CHECK_FALSE(textkit::testing::is_library_loaded(KUBERNETES_PLUGIN_PATH));
}
