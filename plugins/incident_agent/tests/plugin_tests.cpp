// End-to-end through the built libincident_agent.so and the C ABI: the
// analysis, bad input, and the loop's approval before acting.
#include <agenthost/agent.hpp>
#include <catch2/catch.hpp>

#include <set>
#include <fake_host.hpp>
#include <plugin_checks.hpp>

#include "support.hpp"

using textkit::testing::FakeHost;
using textkit::testing::parse_json;
using textkit::testing::read_json_file;
using textkit::testing::run_input;
using textkit::testing::schema_violation;

namespace {

std::string fixture_context(const std::string& name) {
    return agenthost::json::serialize(incident_test::fixture(name));
}

// The input the host gives one iteration of a loop.
std::string loop_input(const std::string& context, int iteration) {
    auto input = parse_json(run_input("checkout is failing", context));
    input.AddMember("iteration", iteration, input.GetAllocator());
    input.AddMember("max_iterations", 3, input.GetAllocator());
    return agenthost::json::serialize(input);
}

}  // namespace

TEST_CASE("the manifest is valid and matches the library", "[manifest]") {
    const auto manifest = textkit::testing::checked_manifest(INCIDENT_MANIFEST_PATH, MANIFEST_SCHEMA_PATH, INCIDENT_PLUGIN_PATH,
                                                             INCIDENT_PLUGIN_FILE_NAME, "operations");
    CHECK(schema_violation(manifest["config_schema"],
                           parse_json(R"({"actions":{"rollback":["kubectl","rollout","undo","deployment/{service}"]}})")) == "");
}

TEST_CASE("analyze through the ABI: ranked hypotheses and a postmortem artifact", "[plugin]") {
    FakeHost host(INCIDENT_PLUGIN_PATH);
    REQUIRE(host.create_agent("{}") == AGENTHOST_OK);
    const auto run = host.invoke(run_input("Why are orders failing?", fixture_context("pool_exhaustion")));
    REQUIRE(run.status == AGENTHOST_OK);
    const auto result = parse_json(run.result_json);
    CHECK(schema_violation(read_json_file(INCIDENT_MANIFEST_PATH)["output_schema"], result) == "");
    CHECK(result["mode"] == "analyze");
    CHECK(result["hypotheses"][0]["cause"] == "connection_pool_exhaustion");
    CHECK(result["hypotheses"][0]["rank"] == 1);
    CHECK(result["artifacts"][0]["path"] == "incident/postmortem.md");
    CHECK_THAT(result["artifacts"][0]["content"].GetString(), Catch::Contains("# Postmortem: Why are orders failing?"));
    CHECK(!result.HasMember("resolved"));
    CHECK(host.violations().empty());
}

TEST_CASE("bad input through the ABI is INVALID_INPUT naming the field", "[plugin]") {
    FakeHost host(INCIDENT_PLUGIN_PATH);
    REQUIRE(host.create_agent("{}") == AGENTHOST_OK);
    auto run = host.invoke(run_input("what broke?", "{}"));
    CHECK(run.status == AGENTHOST_ERROR_INVALID_INPUT);
    CHECK_THAT(run.error, Catch::Contains("context.logs"));
    run = host.invoke(run_input("what broke?", R"({"logs":"x","changes":[{"time":"noon"}]})"));
    CHECK(run.status == AGENTHOST_ERROR_INVALID_INPUT);
    CHECK_THAT(run.error, Catch::Contains("context.changes[0].time"));
}

TEST_CASE("the loop acts only after approval, then verifies and resolves", "[plugin][loop]") {
    FakeHost host(INCIDENT_PLUGIN_PATH);
    REQUIRE(host.create_agent(R"({"actions":{"rollback":["kubectl","rollout","undo","deployment/{service}"]},
                                  "verify":["kubectl","logs","deployment/checkout","--since=5m"]})") == AGENTHOST_OK);
    std::vector<std::string> commands;
    host.set_exec_handler([&commands](const std::string& request, std::string& response) {
        const auto parsed = parse_json(request);
        std::string argv;
        for (const auto& arg : parsed["argv"].GetArray()) argv += (argv.empty() ? "" : " ") + std::string(arg.GetString());
        commands.push_back(argv);
        const bool verify = argv.find("logs") != std::string::npos;
        response = std::string(R"({"exit_code":0,"signal":0,"timed_out":false,"truncated":false,"stdout":")") +
                   (verify ? "2026-12-06T15:00:00Z INFO [checkout] Order 5 placed" : "rolled back") +
                   R"(","stderr":"","duration_ms":5,"sandbox":"test"})";
        return AGENTHOST_OK;
    });
    const std::string input = loop_input(fixture_context("bad_deploy"), 1);

    // Observe and reason, then ask: nothing has run yet.
    auto run = host.invoke(input);
    CHECK(run.status == AGENTHOST_ERROR_APPROVAL_REQUIRED);
    REQUIRE(run.approval_requests.size() == 1);
    CHECK_THAT(run.approval_requests[0], Catch::Contains("\"operation\":\"rollback\"") &&
                                             Catch::Contains("kubectl rollout undo deployment/checkout"));
    CHECK(commands.empty());
    // The host was asked first whether it would run the command at all.
    CHECK(run.exec_check_requests.size() == 1);

    // Approved: the run starts again, acts, verifies, and is resolved.
    host.approve("rollback");
    run = host.invoke(input);
    REQUIRE(run.status == AGENTHOST_OK);
    const auto result = parse_json(run.result_json);
    CHECK(schema_violation(read_json_file(INCIDENT_MANIFEST_PATH)["output_schema"], result) == "");
    CHECK(result["mode"] == "loop");
    REQUIRE(commands.size() == 2);
    CHECK(commands[0] == "kubectl rollout undo deployment/checkout");
    CHECK(commands[1] == "kubectl logs deployment/checkout --since=5m");
    REQUIRE(run.exec_check_requests.size() == 1);
    CHECK(run.exec_check_requests[0] == run.exec_requests[0]);  // checked as it runs
    CHECK(result["loop"]["act"]["executed"] == true);
    CHECK(result["resolved"] == true);
    CHECK_THAT(result["loop"]["evaluation"].GetString(), Catch::Contains("no errors"));
    CHECK(host.violations().empty());
}

TEST_CASE("the loop without a configured command asks no approval and leaves it to a person", "[plugin][loop]") {
    FakeHost host(INCIDENT_PLUGIN_PATH);
    REQUIRE(host.create_agent("{}") == AGENTHOST_OK);
    const auto run = host.invoke(loop_input(fixture_context("certificate_expiry"), 1));
    REQUIRE(run.status == AGENTHOST_OK);
    CHECK(run.approval_requests.empty());
    const auto result = parse_json(run.result_json);
    CHECK(result["resolved"] == false);
    CHECK(result["loop"]["act"]["action"] == "renew_certificate");
    CHECK_THAT(result["loop"]["evaluation"].GetString(), Catch::Contains("no command is configured"));
}

TEST_CASE("the loop asks no approval for a command the host would refuse, says why and does not propose it again",
          "[plugin][loop]") {
    FakeHost host(INCIDENT_PLUGIN_PATH);
    REQUIRE(host.create_agent(R"({"actions":{"rollback":["kubectl","rollout","undo","deployment/{service}"]}})") ==
            AGENTHOST_OK);
    const std::string not_allowed =
        "'kubectl' is not an allowed command for agent 'incident_agent' (agents.incident_agent.exec.allow: empty)";
    host.set_exec_check_handler([&not_allowed](const std::string&, std::string& response) {
        response = not_allowed;
        return AGENTHOST_ERROR_PERMISSION_DENIED;
    });
    int executed = 0;
    host.set_exec_handler([&executed](const std::string&, std::string& response) {
        ++executed;
        response = "nothing should run";
        return AGENTHOST_ERROR_FAILED;
    });

    auto run = host.invoke(loop_input(fixture_context("bad_deploy"), 1));
    INFO(run.error);
    REQUIRE(run.status == AGENTHOST_OK);
    CHECK(run.approval_requests.empty());
    CHECK(run.exec_requests.empty());
    CHECK(executed == 0);
    REQUIRE(run.exec_check_requests.size() == 1);
    CHECK_THAT(run.exec_check_requests[0], Catch::Contains(R"(["kubectl","rollout","undo","deployment/checkout"])"));
    auto result = parse_json(run.result_json);
    CHECK(schema_violation(read_json_file(INCIDENT_MANIFEST_PATH)["output_schema"], result) == "");
    CHECK(result["resolved"] == false);
    CHECK(result["loop"]["act"]["action"] == "rollback");
    CHECK(result["loop"]["act"]["executed"] == false);
    CHECK(result["loop"]["act"]["refused"] == not_allowed.c_str());
    CHECK_THAT(result["loop"]["evaluation"].GetString(),
               Catch::Contains("`kubectl rollout undo deployment/checkout`") && Catch::Contains(not_allowed) &&
                   Catch::Contains("a person has to carry out the remediation"));
    REQUIRE(result["loop"]["attempted"].Size() == 1);
    CHECK(result["loop"]["attempted"][0] == "rollback:checkout");

    // The next iteration does not propose the refused command again.
    auto input = parse_json(loop_input(fixture_context("bad_deploy"), 2));
    input.AddMember("previous_result", rapidjson::Value(result, input.GetAllocator()), input.GetAllocator());
    run = host.invoke(agenthost::json::serialize(input));
    REQUIRE(run.status == AGENTHOST_OK);
    CHECK(run.approval_requests.empty());
    for (const auto& request : run.exec_check_requests)
        CHECK_THAT(request, !Catch::Contains("deployment/checkout"));
    result = parse_json(run.result_json);
    const auto& act = result["loop"]["act"];
    CHECK((!act.HasMember("service") || act["service"] != "checkout"));
    CHECK(result["loop"]["attempted"].Size() == 2);  // and the next one, refused too
    CHECK(executed == 0);
    CHECK(host.violations().empty());
}

TEST_CASE("the loop moves past a remediation with no command and hands over once none is left", "[plugin][loop]") {
    // It stopped at the first hypothesis without a configured command and
    // repeated that answer to max_iterations.
    FakeHost host(INCIDENT_PLUGIN_PATH);
    REQUIRE(host.create_agent("{}") == AGENTHOST_OK);
    rapidjson::Document previous;
    std::set<std::string> proposed;
    bool handed_over = false;
    int iteration = 1;
    for (; iteration <= 10 && !handed_over; ++iteration) {
        auto input = parse_json(loop_input(fixture_context("certificate_expiry"), iteration));
        if (iteration > 1)
            input.AddMember("previous_result", rapidjson::Value(previous, input.GetAllocator()), input.GetAllocator());
        const auto run = host.invoke(agenthost::json::serialize(input));
        REQUIRE(run.status == AGENTHOST_OK);
        CHECK(run.approval_requests.empty());
        previous = parse_json(run.result_json);
        CHECK(previous["resolved"] == false);
        handed_over = previous["handed_over"].GetBool();
        const auto& act = previous["loop"]["act"];
        if (!handed_over) {
            std::string key = std::string(act["action"].GetString()) + ":" + act["service"].GetString();
            CHECK(proposed.insert(key).second);  // never the same one twice
        }
    }
    CHECK(handed_over);
    CHECK(iteration - 1 == static_cast<int>(proposed.size()) + 1);
    CHECK_THAT(previous["loop"]["evaluation"].GetString(), Catch::Contains("a person has to take over"));
}
