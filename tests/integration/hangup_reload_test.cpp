// SIGHUP: the host reads its config again and enables, disables and
// reconfigures agents without a restart; runs in flight finish on the
// instance they started on and none is lost.
#include "sanitizer_build.hpp"
#include "test_host.hpp"

#include <catch2/catch.hpp>

#include <signal.h>

#include <chrono>
#include <fstream>
#include <string>

using namespace agenthost::testing;
using namespace std::chrono_literals;
using Catch::Matchers::Contains;

namespace {

std::string submit(HttpClient& client, const std::string& agent, const std::string& context_json) {
    return submit_run(client, agent, context_json, "reload test");
}

std::string agent_state(HttpClient& client, const std::string& name) {
    auto answer = client.get("/agents/" + name);
    if (answer.status != 200) return "";
    rapidjson::Document body;
    body.Parse(answer.body.c_str());
    return body.IsObject() ? string_member(body, "state") : "";
}

void rewrite_and_hangup(HostProcess& host, const std::string& config_json) {
    std::ofstream(host.work_dir() + "/agenthost.json", std::ios::trunc) << config_json;
    REQUIRE(kill(host.pid(), SIGHUP) == 0);
}

rapidjson::Document finished_run(HttpClient& client, const std::string& id) {
    REQUIRE(poll_until(
        [&] {
            std::string status = run_status_of(client, id);
            return status == "succeeded" || status == "failed" || status == "cancelled";
        },
        20000ms, 20ms));
    return fetch_run(client, id);
}

}  // namespace

TEST_CASE("SIGHUP enables, reconfigures and disables agents without losing a run", "[reload]") {
    HostProcess host(host_config(R"({"echo":{"enabled":true,"config":{"greeting":"hello"}}})"));
    HttpClient client(host.base_url());
    REQUIRE(agent_state(client, "echo") == "loaded");
    CHECK(agent_state(client, "exec_probe") == "disabled");

    // In flight on the first instance while the config changes under it.
    std::string before =
        submit(client, "echo", R"({"action":"sleep","ms":)" + std::to_string(slow_build_ms(1500)) + "}");
    REQUIRE(poll_until([&] { return run_status_of(client, before) == "running"; }, 10000ms, 10ms));
    rewrite_and_hangup(host, host_config(R"({"echo":{"enabled":true,"config":{"greeting":"bonjour"}},)"
                                         R"("exec_probe":{"enabled":true}})"));
    REQUIRE(poll_until([&] { return agent_state(client, "exec_probe") == "loaded"; }, 10000ms, 20ms));
    // The summary is logged once the new catalogue is in force.
    REQUIRE(poll_until([&] { return host.log().find("SIGHUP: config reloaded") != std::string::npos; }, 10000ms, 20ms));
    CHECK_THAT(host.log(), Contains("SIGHUP: config reloaded") && Contains("\"added\":\"exec_probe\"") &&
                               Contains("\"reloaded\":\"echo\""));
    // The new config answers new runs; the run in flight finishes on the
    // instance (and config) it started with.
    auto fresh = finished_run(client, submit(client, "echo", ""));
    CHECK(string_member(fresh["result"], "greeting") == "bonjour");
    auto old = finished_run(client, before);
    CHECK(string_member(old, "status") == "succeeded");
    CHECK(string_member(old["result"], "greeting") == "hello");

    // require_approval follows a reload without reloading the agent.
    rewrite_and_hangup(host, host_config(R"({"echo":{"enabled":true,"config":{"greeting":"bonjour"}},)"
                                         R"("exec_probe":{"enabled":true,"require_approval":true}})"));
    REQUIRE(poll_until([&] { return host.log().find("\"kept\":\"echo,exec_probe\"") != std::string::npos; }, 10000ms, 20ms));
    std::string gated = submit(client, "exec_probe", "");
    REQUIRE(poll_until([&] { return run_status_of(client, gated) == "pending_approval"; }, 10000ms, 20ms));

    // Disabling: a run in flight still finishes; new runs are refused.
    std::string last = submit(client, "echo", R"({"action":"sleep","ms":1000})");
    REQUIRE(poll_until([&] { return run_status_of(client, last) == "running"; }, 10000ms, 10ms));
    rewrite_and_hangup(host, host_config(R"({"exec_probe":{"enabled":true}})"));
    REQUIRE(poll_until([&] { return agent_state(client, "echo") == "disabled"; }, 10000ms, 20ms));
    CHECK(string_member(finished_run(client, last), "status") == "succeeded");
    auto refused = client.post("/runs", run_request("echo", "after disable"));
    CHECK(refused.status == 409);
    CHECK(agent_state(client, "exec_probe") == "loaded");  // unchanged: kept as it was

    // A config that does not load changes nothing.
    rewrite_and_hangup(host, "{ not json");
    REQUIRE(poll_until([&] { return host.log().find("the config does not load") != std::string::npos; }, 10000ms, 20ms));
    CHECK(agent_state(client, "exec_probe") == "loaded");
    CHECK(client.get("/health").status == 200);
    CHECK(host.running());
}
