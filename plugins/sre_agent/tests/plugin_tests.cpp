// End-to-end through the built libsre_agent.so and the C ABI: the act step
// asks the host whether it would run a command before it asks a person to
// approve it, and an incident nothing can be done for ends its loop at once.
#include <agenthost/agent.hpp>
#include <catch2/catch.hpp>
#include <fake_host.hpp>
#include <json_schema.hpp>

#include <string>

using textkit::testing::FakeHost;
using textkit::testing::parse_json;
using textkit::testing::run_input;

namespace {

// An incident of orders after its deploy: errors from the service.
std::string incident_context() {
    std::string signals;
    for (int i = 0; i < 20; ++i)
        signals += std::string(i == 0 ? "" : ",") + R"({"id":"e)" + std::to_string(i) +
                   R"(","kind":"log","service":"orders","severity":"error","message":"NullPointerException in OrderController.total request=)" +
                   std::to_string(1000 + i) + R"(","received_at_ms":)" + std::to_string(999'100'000 + i * 1000) +
                   R"(,"incident_id":"inc_1"})";
    return R"({"incident":{"id":"inc_1","title":"orders is failing","service":"orders"},"signals":[)" + signals +
           R"(],"recent_signals":[{"id":"d0","kind":"log","service":"orders","severity":"info",)"
           R"("message":"deploy orders v2.4.1 rolled out","received_at_ms":999000000}],"now_ms":1000000000})";
}

// One iteration of the host's loop, after `previous_result` (JSON, or "").
std::string iteration_input(int iteration, const std::string& previous_result = "", bool llm = false) {
    std::string more = R"("iteration":)" + std::to_string(iteration) + R"(,"max_iterations":6)";
    if (!previous_result.empty()) more += R"(,"previous_result":)" + previous_result;
    if (llm) more += R"(,"llm":{"provider":"fake","model":"m","fallback":"fail"})";
    return run_input("Resolve incident inc_1: orders is failing", incident_context(), more);
}

std::string llm_plan(const std::string& action) {
    return agenthost::testing::llm_response(R"({"root_cause":"a connection leak in orders","action":")" + action +
                                            R"(","service":"orders","patch":null})");
}

// What the host answers when the operator never allowed kubectl.
const char* const kNotAllowed =
    "'kubectl' is not an allowed command for agent 'sre_agent' (agents.sre_agent.exec.allow: empty)";

void refuse_kubectl(FakeHost& host) {
    host.set_exec_check_handler([](const std::string&, std::string& response) {
        response = kNotAllowed;
        return AGENTHOST_ERROR_PERMISSION_DENIED;
    });
}

void created(FakeHost& host, const std::string& config = R"({"settle_seconds":0})") {
    host.set_permissions({"events", "exec", "llm", "http", "memory"});
    REQUIRE(host.create_agent(config) == AGENTHOST_OK);
}

}  // namespace

TEST_CASE("sre_agent: a command the host would refuse is never put up for approval; the incident goes to a person") {
    FakeHost host(SRE_PLUGIN_PATH);
    created(host);
    refuse_kubectl(host);
    int executed = 0;
    host.set_exec_handler([&executed](const std::string&, std::string& response) {
        ++executed;
        response = "nothing should run";
        return AGENTHOST_ERROR_FAILED;
    });

    const auto run = host.invoke(iteration_input(1));
    INFO(run.error);
    REQUIRE(run.status == AGENTHOST_OK);
    CHECK(run.approval_requests.empty());
    CHECK(run.exec_requests.empty());
    CHECK(executed == 0);
    REQUIRE(!run.exec_check_requests.empty());
    const auto checked = parse_json(run.exec_check_requests.front());
    CHECK(checked["argv"][0] == "kubectl");
    CHECK(checked["network"] == true);

    const auto result = parse_json(run.result_json);
    CHECK(textkit::testing::schema_violation(textkit::testing::read_json_file(SRE_MANIFEST_PATH)["output_schema"],
                                             result) == "");
    REQUIRE(result["actions"].Size() == run.exec_check_requests.size());
    for (const auto& action : result["actions"].GetArray()) {
        CHECK(action["status"] == "refused");
        CHECK(std::string(action["error"].GetString()) == kNotAllowed);
        CHECK(!action.HasMember("approval"));
    }
    CHECK(result["resolved"] == false);
    CHECK(result["handed_over"] == true);
    const std::string evaluation = result["evaluation"].GetString();
    CHECK_THAT(evaluation, Catch::Contains("this host cannot run `kubectl rollout undo deployment/orders") &&
                               Catch::Contains("agents.sre_agent.exec.allow") &&
                               Catch::Contains("a person has to take over"));
    const auto acted = run.events_of("sre.act");
    REQUIRE(!acted.empty());
    CHECK_THAT(acted.front().data_json, Catch::Contains("\"status\":\"refused\"") && Catch::Contains(kNotAllowed));
    CHECK(host.violations().empty());
}

TEST_CASE("sre_agent: a command the host would run is checked with the options it runs with, then approved and run") {
    FakeHost host(SRE_PLUGIN_PATH);
    created(host);
    host.set_exec_handler([](const std::string&, std::string& response) {
        response = R"({"exit_code":0,"signal":0,"timed_out":false,"truncated":false,"stdout":"rolled back",)"
                   R"("stderr":"","duration_ms":5,"sandbox":"fake"})";
        return AGENTHOST_OK;
    });

    auto run = host.invoke(iteration_input(1));
    CHECK(run.status == AGENTHOST_ERROR_APPROVAL_REQUIRED);
    REQUIRE(run.approval_requests.size() == 1);
    CHECK_THAT(run.approval_requests[0], Catch::Contains("\"operation\":\"rollout_undo\"") &&
                                             Catch::Contains("kubectl rollout undo deployment/orders"));
    CHECK(run.exec_check_requests.size() == 1);
    CHECK(run.exec_requests.empty());

    host.approve("rollout_undo");
    run = host.invoke(iteration_input(1));
    INFO(run.error);
    REQUIRE(run.status == AGENTHOST_OK);
    REQUIRE(run.exec_requests.size() == 1);
    REQUIRE(!run.exec_check_requests.empty());
    CHECK(run.exec_check_requests.back() == run.exec_requests.front());
    const auto result = parse_json(run.result_json);
    REQUIRE(result["actions"].Size() == 1);
    CHECK(result["actions"][0]["status"] == "executed");
    CHECK(result["handed_over"] == false);
    CHECK(host.violations().empty());
}

TEST_CASE("sre_agent: refused actions do not make the loop spin to max_iterations") {
    FakeHost host(SRE_PLUGIN_PATH);
    created(host);
    refuse_kubectl(host);
    // The model proposes a restart, then (told it was tried) a rollout
    // undo, then nothing: both commands are refused.
    host.script_llm(llm_plan("restart"));
    host.script_llm(llm_plan("rollout_undo"));
    host.script_llm(llm_plan("none"));

    auto run = host.invoke(iteration_input(1, "", true));
    INFO(run.error);
    REQUIRE(run.status == AGENTHOST_OK);
    CHECK(run.approval_requests.empty());
    CHECK(run.exec_check_requests.size() == 2);
    CHECK(run.llm_calls.size() == 3);
    auto result = parse_json(run.result_json);
    REQUIRE(result["actions"].Size() == 2);
    CHECK(result["actions"][0]["command"] == "kubectl rollout restart deployment/orders --namespace=default");
    CHECK(result["actions"][1]["command"] == "kubectl rollout undo deployment/orders --namespace=default");
    CHECK(result["handed_over"] == true);
    const std::string evaluation = result["evaluation"].GetString();

    // The host's loop goes on; each later iteration carries the outcome
    // over without asking the model, the host or a person again.
    for (int iteration = 2; iteration <= 6; ++iteration) {
        run = host.invoke(iteration_input(iteration, agenthost::json::serialize(result), true));
        INFO("iteration " << iteration << ": " << run.error);
        REQUIRE(run.status == AGENTHOST_OK);
        CHECK(run.llm_calls.empty());
        CHECK(run.exec_check_requests.empty());
        CHECK(run.approval_requests.empty());
        CHECK(run.events_of("sre.act").empty());
        result = parse_json(run.result_json);
        CHECK(result["handed_over"] == true);
        CHECK(result["resolved"] == false);
        CHECK(result["evaluation"] == evaluation.c_str());
        CHECK(result["root_cause"] == "a connection leak in orders");
        CHECK(result["actions"].Size() == 2);
    }
    CHECK(host.violations().empty());
}

TEST_CASE("sre_agent: when no allowed action fits, later iterations do not ask the model again") {
    FakeHost host(SRE_PLUGIN_PATH);
    created(host, R"({"settle_seconds":0,"allowed_actions":["open_pull_request"]})");
    host.script_llm(llm_plan("none"));

    auto run = host.invoke(iteration_input(1, "", true));
    REQUIRE(run.status == AGENTHOST_OK);
    CHECK(run.llm_calls.size() == 1);
    auto result = parse_json(run.result_json);
    CHECK(result["handed_over"] == true);
    CHECK_THAT(result["evaluation"].GetString(), Catch::Contains("a person has to take over"));

    run = host.invoke(iteration_input(2, agenthost::json::serialize(result), true));
    REQUIRE(run.status == AGENTHOST_OK);
    CHECK(run.llm_calls.empty());
    CHECK(parse_json(run.result_json)["handed_over"] == true);
}
