// monitoring_agent and incident_agent through the running host: listed by
// GET /agents, routed from free text through the operations supervisor,
// artifacts as artifact events, 422 naming the field, and the incident loop
// pausing for approval before its remediation runs through exec.
#include "test_host.hpp"

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

using namespace agenthost::testing;
using Catch::Matchers::Contains;

namespace {

HostProcess& host() {
    static HostProcess instance(host_config(R"({"monitoring_agent":{"enabled":true},"incident_agent":{"enabled":true}})"));
    return instance;
}

// A deploy at 14:20, then the new release's exceptions and 500s.
const char* incident_context = R"json({"logs":[
  "2026-12-06T14:10:00Z INFO [checkout] 10.0.4.1 \"POST /api/orders HTTP/1.1\" 200 512 31ms",
  "2026-12-06T14:12:00Z WARN [checkout] Cache miss ratio 25% above 20% for catalog cache",
  "2026-12-06T14:15:00Z INFO [checkout] 10.0.4.2 \"POST /api/orders HTTP/1.1\" 200 498 28ms",
  "2026-12-06T14:18:00Z WARN [checkout] Cache miss ratio 27% above 20% for catalog cache",
  "2026-12-06T14:21:05Z ERROR [checkout] Unhandled exception: java.lang.NullPointerException at PriceCalculator.total(PriceCalculator.java:88)",
  "2026-12-06T14:21:06Z INFO [checkout] 10.0.4.3 \"POST /api/orders HTTP/1.1\" 500 80 9ms",
  "2026-12-06T14:21:30Z ERROR [checkout] Unhandled exception: java.lang.NullPointerException at PriceCalculator.total(PriceCalculator.java:88)",
  "2026-12-06T14:21:31Z INFO [checkout] 10.0.4.4 \"POST /api/orders HTTP/1.1\" 500 80 8ms",
  "2026-12-06T14:22:02Z ERROR [checkout] Unhandled exception: java.lang.NullPointerException at PriceCalculator.total(PriceCalculator.java:88)",
  "2026-12-06T14:22:40Z WARN [checkout] Cache miss ratio 22% above 20% for catalog cache"],
  "changes":[{"time":"2026-12-06T14:20:00Z","type":"deploy","service":"checkout","version":"v2.14.0"}]})json";

std::size_t artifact_events(HttpClient& client, const std::string& run_id) {
    return static_cast<std::size_t>(count_events(fetch_events(client, run_id), "artifact"));
}

std::string wait_for(HttpClient& client, const std::string& id, const std::set<std::string>& wanted) {
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

TEST_CASE("GET /agents lists the operations agents") {
    HttpClient client(host().base_url());
    auto agents = json_of(client.get("/agents"));
    std::set<std::string> names;
    for (const auto& agent : agents["agents"].GetArray()) names.insert(agent.GetString());
    CHECK(names.count("monitoring_agent") == 1);
    CHECK(names.count("incident_agent") == 1);
    std::set<std::string> operations;
    for (const auto& agent : agents["domains"]["operations"].GetArray()) operations.insert(agent.GetString());
    CHECK(operations.count("incident_agent") == 1);
    CHECK(operations.count("monitoring_agent") == 1);
    CHECK_THAT(std::string(agents["descriptions"]["monitoring_agent"].GetString()), Contains("burn-rate"));
}

TEST_CASE("a monitoring task is routed to monitoring_agent and its rules come back as artifacts") {
    HttpClient client(host().base_url());
    auto result = client.post("/agent/invoke", R"({"agent_name":null,
        "task":"Write Prometheus alerting rules with SLO burn rate alerts for the checkout service, 99.9% availability",
        "context":{"kubernetes":true}})");
    REQUIRE(result.status == 200);
    auto body = json_of(result);
    CHECK(string_member(body, "agent_used") == "monitoring_agent");
    const auto& artifacts = body["result"]["artifacts"];
    REQUIRE(artifacts.Size() == 5);
    CHECK(artifact_events(client, body["run_id"].GetString()) == 5);
    const YAML::Node rules = YAML::Load(artifacts[0]["content"].GetString());
    CHECK(rules["groups"].size() == 2);
    CHECK(body["result"]["burn_rate_alerts"][0]["error_ratio_threshold"].GetDouble() == Approx(0.0144));

    // Bad input is answered 422 naming the field.
    auto bad = client.post("/agent/invoke", R"({"agent_name":"monitoring_agent","task":"alerts",
        "context":{"service":"checkout","metrics":{"error_regex":"zzz"}}})");
    auto envelope = error_envelope(bad, 422, "AgentRejectedInput");
    CHECK_THAT(std::string(envelope["message"].GetString()), Contains("context.metrics.error_regex"));
}

TEST_CASE("an incident task is routed to incident_agent, which blames the deploy and drafts a postmortem") {
    HttpClient client(host().base_url());
    auto result = client.post("/agent/invoke",
                              std::string(R"({"agent_name":null,"task":"Checkout throws 500 errors since the release: find the root cause in these logs","context":)") +
                                  incident_context + "}");
    REQUIRE(result.status == 200);
    auto body = json_of(result);
    CHECK(string_member(body, "agent_used") == "incident_agent");
    const auto& top = body["result"]["hypotheses"][0];
    CHECK(string_member(top, "cause") == "bad_change");
    CHECK_THAT(json_text(top["evidence"]), Contains("NullPointerException"));
    CHECK(artifact_events(client, body["run_id"].GetString()) == 1);
    CHECK_THAT(std::string(body["result"]["artifacts"][0]["content"].GetString()), Contains("## Timeline (UTC)"));

    auto bad = client.post("/agent/invoke", R"({"agent_name":"incident_agent","task":"what broke",
        "context":{"logs":"x","changes":[{"time":"after lunch"}]}})");
    auto envelope = error_envelope(bad, 422, "AgentRejectedInput");
    CHECK_THAT(std::string(envelope["message"].GetString()), Contains("context.changes[0].time"));
}

TEST_CASE("the incident loop waits for approval before its rollback runs, then resolves", "[loop]") {
    std::string dir = make_temp_dir();
    std::string kubectl = dir + "/kubectl";
    {
        // A stand-in kubectl: the rollback prints what it did; logs print a healthy line.
        std::ofstream script(kubectl);
        script << "#!/bin/sh\nif [ \"$1\" = logs ]; then echo '2026-12-06T15:00:00Z INFO [checkout] Order 7 placed'; "
                  "else echo \"kubectl $*\"; fi\n";
    }
    std::filesystem::permissions(kubectl, std::filesystem::perms::owner_all);
    const char* old_path = std::getenv("PATH");
    std::string saved_path = old_path != nullptr ? old_path : "/usr/bin:/bin";
    setenv("PATH", (dir + ":" + saved_path).c_str(), 1);
    bool sandbox = std::system("/usr/bin/bwrap --unshare-all --ro-bind / / --proc /proc --dev /dev -- /bin/true "
                               ">/dev/null 2>&1") == 0;
    HostProcess looping(host_config(
        R"({"incident_agent":{"enabled":true,"config":{"actions":{"rollback":["kubectl","rollout","undo","deployment/{service}"]},)"
        R"("verify":["kubectl","logs","deployment/checkout"]},"exec":{"allow":["kubectl"],"network":true)" +
        std::string(sandbox ? "" : R"(,"allow_unsandboxed":true)") + "}}}"));
    setenv("PATH", saved_path.c_str(), 1);
    HttpClient client(looping.base_url());
    auto accepted = client.post("/runs", std::string(R"({"agent_name":"incident_agent","task":"fix checkout","thread_id":"incident-loop",
        "loop":{"max_iterations":3},"context":)") + incident_context + "}");
    REQUIRE(accepted.status == 202);
    std::string id = json_of(accepted)["run_id"].GetString();
    REQUIRE(wait_for(client, id, {"pending_approval"}) == "pending_approval");
    auto run = fetch_run(client, id);
    CHECK(string_member(run["approval"], "operation") == "rollback");
    CHECK(count_events(fetch_events(client, id), "exec.started") == 0);

    REQUIRE(client.post("/workflow/approve/incident-loop", R"({"approved":true,"approver":"oncall"})").status == 200);
    REQUIRE(wait_for(client, id, {"succeeded", "failed", "cancelled"}) == "succeeded");
    run = fetch_run(client, id);
    CHECK(run["result"]["resolved"].GetBool());
    CHECK_THAT(string_member(run["result"]["loop"]["act"], "output"), Contains("kubectl rollout undo deployment/checkout"));
    auto events = fetch_events(client, id);
    CHECK(count_events(events, "exec.started") == 2);  // the rollback, then the verification
    CHECK(count_events(events, "loop.finished") == 1);
    std::filesystem::remove_all(dir);
}
