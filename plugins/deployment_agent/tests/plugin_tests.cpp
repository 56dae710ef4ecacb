// The built libdeployment_agent.so through the C ABI: what a person is asked
// to approve, given what the host says it would run.
#include <agenthost/agent.hpp>
#include <catch2/catch.hpp>
#include <fake_host.hpp>
#include <json_schema.hpp>  // parse_json

#include <string>

using textkit::testing::FakeHost;
using textkit::testing::parse_json;
using textkit::testing::run_input;

namespace {

struct LoadedAgent {
    explicit LoadedAgent(const std::string& config = R"({"tool":"kubectl","rollout_timeout_seconds":300})") {
        host.set_permissions({"events", "exec", "http", "memory"});  // the manifest's
        REQUIRE(host.create_agent(config) == AGENTHOST_OK);
    }
    ~LoadedAgent() { CHECK(host.violations().empty()); }
    FakeHost host{DEPLOYMENT_PLUGIN_PATH};
};

// Every command succeeds; a read answers with an image.
agenthost_status kubectl_succeeds(const std::string&, std::string& response) {
    response = R"({"exit_code":0,"signal":0,"timed_out":false,"truncated":false,"stdout":"ghcr.io/acme/api:1.0.0","stderr":"","duration_ms":5})";
    return AGENTHOST_OK;
}

// An operator config that allows kubectl without network for production's
// context only, as the host would answer it.
agenthost_status production_refused(const std::string& request, std::string& response) {
    if (request.find("\"prod\"") == std::string::npos) {
        response = R"({"allowed":true,"binary":"/usr/bin/kubectl","sandbox":"fake"})";
        return AGENTHOST_OK;
    }
    response = "network is not allowed for deployment_agent (agents.deployment_agent.exec.network)";
    return AGENTHOST_ERROR_PERMISSION_DENIED;
}

const char* const kStagingThenProd = R"({"mode":"deploy","service":"api","image":"ghcr.io/acme/api:2.0.0",
    "environments":[{"name":"staging","kube_context":"stage"},{"name":"prod","kube_context":"prod"}]})";

}  // namespace

TEST_CASE("a production step the host would never run fails before anyone is asked to approve it", "[plugin][approval]") {
    LoadedAgent agent;
    agent.host.set_exec_handler(kubectl_succeeds);
    agent.host.set_exec_check_handler(production_refused);
    const auto run = agent.host.invoke(run_input("deploy", kStagingThenProd));
    CHECK(run.status == AGENTHOST_ERROR_FAILED);
    CHECK(run.approval_requests.empty());
    CHECK_THAT(run.error, Catch::Contains("prod.1") && Catch::Contains("before asking anyone to approve it") &&
                              Catch::Contains("agents.deployment_agent.exec.network") &&
                              Catch::Contains("\"allow\": [\"kubectl\"]") && Catch::Contains("nothing had been changed there"));
    // Staging was carried out; nothing ran in production.
    REQUIRE(run.exec_requests.size() == 3);
    for (const auto& request : run.exec_requests) CHECK_THAT(request, Catch::Contains("\"stage\""));
    // The check was of production's first command, with the network its run needs.
    REQUIRE(run.exec_check_requests.size() == 1);
    const auto checked = parse_json(run.exec_check_requests[0]);
    CHECK(checked["argv"][0] == "kubectl");
    CHECK_THAT(run.exec_check_requests[0], Catch::Contains("\"prod\""));
    CHECK(checked["network"].GetBool());

    // The deployment is on record as it went: staging deployed, prod failed.
    const auto history = agent.host.invoke(run_input("what is deployed", R"({"mode":"history"})"));
    REQUIRE(history.status == AGENTHOST_OK);
    const auto result = parse_json(history.result_json);
    REQUIRE(result["records"].Size() == 1);
    const auto& record = result["records"][0];
    CHECK(record["outcome"] == "failed");
    CHECK_THAT(record["error"].GetString(), Catch::Contains("agents.deployment_agent.exec.network"));
    CHECK(record["environments"][0]["status"] == "deployed");
    CHECK(record["environments"][1]["status"] == "failed");
}

TEST_CASE("a production step the host would run is put to a person first, as before", "[plugin][approval]") {
    LoadedAgent agent;
    agent.host.set_exec_handler(kubectl_succeeds);
    const auto paused = agent.host.invoke(run_input("deploy", kStagingThenProd));
    CHECK(paused.status == AGENTHOST_ERROR_APPROVAL_REQUIRED);
    REQUIRE(paused.approval_requests.size() == 1);
    CHECK_THAT(paused.approval_requests[0], Catch::Contains("deploy api to prod"));
    CHECK(paused.exec_requests.size() == 3);  // staging only
    REQUIRE(paused.exec_check_requests.size() == 1);  // production's first command, which the host would run
    CHECK_THAT(paused.exec_check_requests[0], Catch::Contains("\"prod\""));

    agent.host.approve("deploy api to prod");
    const auto resumed = agent.host.invoke(run_input("deploy", kStagingThenProd));
    INFO(resumed.error);
    CHECK(resumed.status == AGENTHOST_OK);
    CHECK(resumed.exec_requests.size() == 3);  // production's steps, staging's were done
}

TEST_CASE("a Harness call is no program: its approval is asked without an exec check", "[plugin][approval]") {
    LoadedAgent agent(R"({"tool":"harness","harness":{"base_url":"https://app.harness.io","account_id":"acct",
        "org_id":"default","project_id":"shop","pipeline_id":"deploy","api_key":"pat.x"}})");
    agent.host.set_exec_check_handler([](const std::string&, std::string& response) {
        response = "no exec is allowed for deployment_agent";
        return AGENTHOST_ERROR_PERMISSION_DENIED;
    });
    const auto paused =
        agent.host.invoke(run_input("deploy", R"({"mode":"deploy","service":"api","image":"ghcr.io/acme/api:2.0.0",
            "environments":["prod"]})"));
    CHECK(paused.status == AGENTHOST_ERROR_APPROVAL_REQUIRED);
    CHECK(paused.approval_requests.size() == 1);
    CHECK(paused.exec_check_requests.empty());
}
