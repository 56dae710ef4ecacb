// End-to-end tests of the built libharness_expert.so through the C ABI, with
// the textkit fake host standing in for agenthost.
#include <agenthost/agent.hpp>
#include <catch2/catch.hpp>
#include <fake_host.hpp>
#include <json_schema.hpp>
#include <yaml-cpp/yaml.h>

#include <string>

using textkit::testing::FakeHost;
using textkit::testing::parse_json;
using textkit::testing::read_json_file;
using textkit::testing::run_input;
using textkit::testing::RunRecord;
using textkit::testing::schema_violation;

namespace {

struct LoadedAgent {
    explicit LoadedAgent(const std::string& config_json = R"({"default_org":"default","default_project":"default_project"})") {
        REQUIRE(host.create_agent(config_json) == AGENTHOST_OK);
    }
    ~LoadedAgent() { CHECK(host.violations().empty()); }
    FakeHost host{HARNESS_EXPERT_PLUGIN_PATH};
};

void check_output_schema(const rapidjson::Document& result) {
    const auto manifest = read_json_file(HARNESS_EXPERT_MANIFEST_PATH);
    CHECK(schema_violation(manifest["output_schema"], result) == "");
}

}  // namespace

TEST_CASE("the plugin describes itself as the agent of its manifest", "[plugin]") {
    FakeHost host(HARNESS_EXPERT_PLUGIN_PATH);
    const auto manifest = read_json_file(HARNESS_EXPERT_MANIFEST_PATH);
    CHECK(host.descriptor().abi_version == AGENTHOST_MAKE_VERSION(1, 0));  // the manifest's abi_version
    CHECK(agenthost::from_abi(host.descriptor().name) == manifest["name"].GetString());
    CHECK(agenthost::from_abi(host.descriptor().version) == manifest["version"].GetString());
}

TEST_CASE("a canary request through the ABI returns a parseable pipeline and a progress event per stage", "[plugin]") {
    LoadedAgent agent;
    const RunRecord run = agent.host.invoke(run_input(
        "Canary pipeline for payments", R"({"service":"payments","environments":["dev","staging","prod"],
            "strategy":"canary","image":"ghcr.io/acme/payments:3.1.0","org":"acme","project":"fintech"})"));
    REQUIRE(run.status == AGENTHOST_OK);
    REQUIRE(run.has_result);
    const auto result = parse_json(run.result_json);
    check_output_schema(result);
    REQUIRE(result["artifacts"].Size() == 1);
    CHECK(result["artifacts"][0]["media_type"] == "application/yaml");
    const YAML::Node pipeline = YAML::Load(result["artifacts"][0]["content"].GetString())["pipeline"];
    CHECK(pipeline["orgIdentifier"].as<std::string>() == "acme");
    CHECK(pipeline["projectIdentifier"].as<std::string>() == "fintech");
    CHECK(pipeline["stages"].size() == 3);
    CHECK(result["settings"]["strategy"] == "canary");

    REQUIRE(run.events.size() == 3);
    for (const auto& event : run.events) CHECK(event.type == "agent.progress");
    CHECK_THAT(run.events[2].data_json, Catch::Contains("prod (3/3)"));
}

TEST_CASE("a free-text task alone works through the ABI, with config defaults", "[plugin]") {
    LoadedAgent agent(R"({"default_org":"platform","default_project":"checkout_team"})");
    const RunRecord run = agent.host.invoke(run_input("Create a blue-green Harness pipeline for the cart service"));
    REQUIRE(run.status == AGENTHOST_OK);
    const auto result = parse_json(run.result_json);
    check_output_schema(result);
    const std::string summary = result["summary"].GetString();
    CHECK_THAT(summary, Catch::Contains("environments: dev, staging, prod (default)"));
    CHECK_THAT(summary, Catch::Contains("org: platform (config default_org)"));
    CHECK_THAT(summary, Catch::Contains("blue_green"));
    const YAML::Node pipeline = YAML::Load(result["artifacts"][0]["content"].GetString())["pipeline"];
    CHECK(pipeline["orgIdentifier"].as<std::string>() == "platform");
    CHECK(pipeline["projectIdentifier"].as<std::string>() == "checkout_team");
    CHECK(pipeline["stages"][0]["stage"]["spec"]["service"]["serviceRef"].as<std::string>() == "cart");
}

TEST_CASE("GitHub Actions through the ABI", "[plugin]") {
    LoadedAgent agent;
    const RunRecord run =
        agent.host.invoke(run_input("", R"({"service":"web","target":"github_actions","environments":["dev","prod"]})"));
    REQUIRE(run.status == AGENTHOST_OK);
    const auto result = parse_json(run.result_json);
    check_output_schema(result);
    CHECK(result["artifacts"][0]["path"] == ".github/workflows/deploy-web.yml");
    const YAML::Node workflow = YAML::Load(result["artifacts"][0]["content"].GetString());
    CHECK(workflow["jobs"]["deploy-prod"]["needs"].as<std::string>() == "deploy-dev");
}

TEST_CASE("review mode through the ABI", "[plugin]") {
    LoadedAgent agent;
    SECTION("findings") {
        const RunRecord run = agent.host.invoke(run_input(
            "review this", R"({"mode":"review","pipeline":"pipeline:\n  name: p\n  identifier: p-1\n  projectIdentifier: x\n  orgIdentifier: y\n  stages:\n    - stage:\n        name: prod\n        identifier: prod\n        type: Deployment\n        spec:\n          execution:\n            steps:\n              - step: {identifier: deploy, type: K8sRollingDeploy}\n"})"));
        REQUIRE(run.status == AGENTHOST_OK);
        const auto result = parse_json(run.result_json);
        check_output_schema(result);
        // invalid identifier, no deploymentType, service or environment, no rollback, no approval
        REQUIRE(result["findings"].Size() == 6);
        CHECK(run.events.size() == 1);
    }
    SECTION("YAML that does not parse is invalid input naming line and column") {
        const RunRecord run =
            agent.host.invoke(run_input("", R"({"mode":"review","pipeline":"pipeline:\n  stages: [a\n  x: 1\n"})"));
        CHECK(run.status == AGENTHOST_ERROR_INVALID_INPUT);
        CHECK_FALSE(run.has_result);
        CHECK_THAT(run.error, Catch::Contains("line") && Catch::Contains("column"));
    }
}

TEST_CASE("bad input is refused as invalid input", "[plugin]") {
    LoadedAgent agent;
    for (const char* context : {R"({"strategy":"big_bang"})", R"({"environments":[]})", R"({"mode":"review"})"}) {
        CAPTURE(context);
        const RunRecord run = agent.host.invoke(run_input("deploy checkout", context));
        CHECK(run.status == AGENTHOST_ERROR_INVALID_INPUT);
        CHECK_FALSE(run.error.empty());
    }
    CHECK(agent.host.invoke(run_input("", "{}")).status == AGENTHOST_ERROR_INVALID_INPUT);
}

TEST_CASE("a cancelled run stops with the cancelled status", "[plugin]") {
    LoadedAgent agent;
    const RunRecord run = agent.host.invoke(run_input("deploy checkout"), /*cancelled=*/true);
    CHECK(run.status == AGENTHOST_ERROR_CANCELLED);
    CHECK_FALSE(run.has_result);
}

TEST_CASE("a config of the wrong type makes agent creation fail with a reason", "[plugin]") {
    FakeHost host(HARNESS_EXPERT_PLUGIN_PATH);
    CHECK(host.create_agent(R"({"default_org":7})") == AGENTHOST_ERROR_FAILED);
    CHECK_THAT(host.create_error(), Catch::Contains("default_org"));
}

TEST_CASE("the plugin unloads when the host closes it", "[plugin]") {
    {
        LoadedAgent agent;
        agent.host.invoke(run_input("deploy checkout"));
        REQUIRE(textkit::testing::is_library_loaded(HARNESS_EXPERT_PLUGIN_PATH));
    }
    CHECK_FALSE(textkit::testing::is_library_loaded(HARNESS_EXPERT_PLUGIN_PATH));
}
