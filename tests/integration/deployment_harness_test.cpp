// deployment_agent with tool harness, through the real host, against a fake
// of Harness's pipeline API on a loopback port: it records every call (so a
// test can tell what ran before an approval), answers an execution's status
// Running once and then Success, or Failed for an image whose tag says
// "broken", and records aborts.
#include "loopback_server.hpp"
#include "test_host.hpp"

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <map>
#include <mutex>
#include <set>

using namespace agenthost::testing;
using Catch::Matchers::Contains;

namespace {

struct FakeHarness {
    struct Call {
        std::string method, path, api_key, body;
    };
    std::mutex mutex;
    std::vector<Call> calls;
    std::map<std::string, std::string> image_of;  // execution id -> image it deploys
    std::map<std::string, int> polls;
    int next = 0;

    LoopbackServer server{"fake harness", 0, std::chrono::seconds(5), [this](int fd, LoopbackRequest request) {
                              auto [status, body] = answer(request);
                              send_all(fd, "HTTP/1.1 " + std::to_string(status) + " " + reason_phrase(status) +
                                               "\r\nContent-Type: application/json\r\nContent-Length: " +
                                               std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
                          }};

    std::pair<int, std::string> answer(const LoopbackRequest& request) {
        std::lock_guard<std::mutex> lock(mutex);
        calls.push_back({request.method, request.path, request.header("x-api-key"), request.body});
        const std::string scope = "accountIdentifier=acct&orgIdentifier=default&projectIdentifier=shop";
        if (request.path.find(scope) == std::string::npos) return {400, R"({"status":"ERROR","message":"scope missing"})"};
        if (request.header("x-api-key") != "pat.test.key") return {401, R"({"status":"ERROR","message":"bad key"})"};
        if (request.method == "POST" && request.path.rfind("/pipeline/api/pipeline/execute/deploy_api?", 0) == 0) {
            YAML::Node inputs = YAML::Load(request.body);
            std::string image;
            for (const auto& variable : inputs["pipeline"]["variables"])
                if (variable["name"].as<std::string>() == "image") image = variable["value"].as<std::string>();
            std::string id = "exec_" + std::to_string(++next);
            image_of[id] = image;
            return {200, R"({"status":"SUCCESS","data":{"planExecution":{"uuid":")" + id + R"(","status":"RUNNING"}}})"};
        }
        const std::string status_path = "/pipeline/api/pipelines/execution/v2/";
        if (request.method == "GET" && request.path.rfind(status_path, 0) == 0) {
            std::string id = request.path.substr(status_path.size(), request.path.find('?') - status_path.size());
            if (image_of.count(id) == 0) return {404, R"({"status":"ERROR","message":"no such execution"})"};
            std::string status = ++polls[id] < 2                                       ? "Running"
                                 : image_of[id].find("broken") != std::string::npos ? "Failed"
                                                                                     : "Success";
            return {200, R"({"status":"SUCCESS","data":{"pipelineExecutionSummary":{"status":")" + status + R"("}}})"};
        }
        if (request.method == "PUT" && request.path.rfind("/pipeline/api/pipeline/execute/interrupt/", 0) == 0)
            return {200, R"({"status":"SUCCESS","data":{"type":"AbortAll"}})"};
        return {404, R"({"status":"ERROR","message":"unexpected call"})"};
    }

    std::vector<Call> calls_so_far() {
        std::lock_guard<std::mutex> lock(mutex);
        return calls;
    }
    std::string image_run_by(const std::string& execution) {
        std::lock_guard<std::mutex> lock(mutex);
        return image_of[execution];
    }
};

FakeHarness& harness() {
    static FakeHarness fake;
    return fake;
}

HostProcess& host() {
    static std::unique_ptr<HostProcess> instance;
    if (!instance) {
        std::string config = R"({"deployment_agent":{"enabled":true,"http":{"allowed_hosts":["127.0.0.1"]},"config":{
            "tool":"harness","harness":{"base_url":")" + harness().server.url("") + R"(","account_id":"acct",
            "org_id":"default","project_id":"shop","pipeline_id":"deploy_api","api_key":"pat.test.key","poll_interval_ms":50}}}})";
        instance = std::make_unique<HostProcess>(host_config(config));
    }
    return *instance;
}

std::string submit(HttpClient& client, const std::string& thread, const std::string& context_json) {
    auto accepted = client.post("/runs", R"({"agent_name":"deployment_agent","task":"deploy","thread_id":")" + thread +
                                             R"(","context":)" + context_json + "}");
    INFO(accepted.body);
    REQUIRE(accepted.status == 202);
    return json_of(accepted)["run_id"].GetString();
}

const std::set<std::string> kEnded = {"succeeded", "failed", "cancelled"};

size_t executions_since(size_t from, const std::string& environment) {
    size_t count = 0;
    auto calls = harness().calls_so_far();
    for (size_t i = from; i < calls.size(); ++i)
        if (calls[i].method == "POST" && calls[i].body.find("\"" + environment + "\"") != std::string::npos) ++count;
    return count;
}

}  // namespace

TEST_CASE("tool harness runs the pipeline per environment, nothing in production before approval", "[deployment][harness]") {
    HttpClient client(host().base_url());
    size_t before = harness().calls_so_far().size();
    std::string id = submit(client, "harness-approve", R"({"mode":"deploy","service":"api","image":"ghcr.io/acme/api:2.0.0",
        "environments":["staging","prod"]})");
    REQUIRE(wait_for_status(client, id, {"pending_approval", "failed", "succeeded"}) == "pending_approval");
    CHECK(executions_since(before, "staging") == 1);
    CHECK(executions_since(before, "prod") == 0);
    // The runtime inputs are YAML with the release's values, and the key rode in x-api-key.
    auto calls = harness().calls_so_far();
    const auto& started = calls[before];
    CHECK(started.api_key == "pat.test.key");
    YAML::Node inputs = YAML::Load(started.body);
    CHECK(inputs["pipeline"]["identifier"].as<std::string>() == "deploy_api");
    std::map<std::string, std::string> variables;
    for (const auto& variable : inputs["pipeline"]["variables"])
        variables[variable["name"].as<std::string>()] = variable["value"].as<std::string>();
    CHECK(variables["service"] == "api");
    CHECK(variables["image"] == "ghcr.io/acme/api:2.0.0");
    CHECK(variables["tag"] == "2.0.0");
    CHECK(variables["environment"] == "staging");

    REQUIRE(client.post("/workflow/approve/harness-approve", R"({"approved":true,"approver":"oncall"})").status == 200);
    REQUIRE(wait_for_status(client, id, kEnded) == "succeeded");
    CHECK(executions_since(before, "prod") == 1);
    CHECK(executions_since(before, "staging") == 1);  // not run again when the run resumed
    auto run = fetch_run(client, id);
    const auto& log = run["result"]["log"];
    CHECK_THAT(json_text(log), Contains("ended Success"));
    // The key never shows in the result.
    CHECK_THAT(json_text(run), !Contains("pat.test.key"));
}

TEST_CASE("a failed Harness execution is aborted and the last recorded image runs again", "[deployment][harness]") {
    HttpClient client(host().base_url());
    std::string good = submit(client, "harness-rollback", R"({"mode":"deploy","service":"web","image":"ghcr.io/acme/web:1.0.0",
        "environments":["qa"]})");
    REQUIRE(wait_for_status(client, good, kEnded) == "succeeded");
    size_t before = harness().calls_so_far().size();
    std::string bad = submit(client, "harness-rollback", R"({"mode":"deploy","service":"web",
        "image":"ghcr.io/acme/web:2.0.0-broken","environments":["qa"]})");
    REQUIRE(wait_for_status(client, bad, kEnded) == "failed");
    CHECK_THAT(string_member(fetch_run(client, bad), "error"), Contains("ended Failed") && Contains("rolled back"));
    auto calls = harness().calls_so_far();
    std::vector<std::string> kinds;
    for (size_t i = before; i < calls.size(); ++i)
        if (calls[i].method != "GET") kinds.push_back(calls[i].method + " " + calls[i].path.substr(0, calls[i].path.find('?')));
    REQUIRE(kinds.size() == 3);
    CHECK(kinds[0] == "POST /pipeline/api/pipeline/execute/deploy_api");
    CHECK_THAT(kinds[1], Contains("PUT /pipeline/api/pipeline/execute/interrupt/"));
    CHECK(kinds[2] == "POST /pipeline/api/pipeline/execute/deploy_api");
    // The re-run deploys what the first run recorded.
    std::string rerun_body;
    for (size_t i = calls.size(); i-- > before;)
        if (calls[i].method == "POST") {
            rerun_body = calls[i].body;
            break;
        }
    CHECK_THAT(rerun_body, Contains("ghcr.io/acme/web:1.0.0"));
    auto history = invoke_result(client.post("/agent/invoke", R"({"agent_name":"deployment_agent","task":"history",
        "thread_id":"harness-rollback","context":{"mode":"history"}})"));
    CHECK(string_member(history["records"][0], "outcome") == "rolled_back");
    CHECK(string_member(history["currently_deployed"]["web"]["qa"], "image") == "ghcr.io/acme/web:1.0.0");
}

TEST_CASE("a failed Harness execution with nothing on record is aborted and says nothing was restored",
          "[deployment][harness]") {
    HttpClient client(host().base_url());
    std::string id = submit(client, "harness-first", R"({"mode":"deploy","service":"cart",
        "image":"ghcr.io/acme/cart:0.1.0-broken","environments":["dev"]})");
    REQUIRE(wait_for_status(client, id, kEnded) == "failed");
    auto run = fetch_run(client, id);
    CHECK_THAT(string_member(run, "error"),
               Contains("ended Failed") && Contains("aborted the Harness execution") && Contains("nothing was deployed again"));
    auto history = invoke_result(client.post("/agent/invoke", R"({"agent_name":"deployment_agent","task":"history",
        "thread_id":"harness-first","context":{"mode":"history"}})"));
    CHECK(string_member(history["records"][0]["environments"][0], "status") == "aborted");
}
