// GET /metrics: Prometheus exposition of what the host did, by route
// template and agent, valid for promtool.
#include "test_host.hpp"

#include <cstdlib>
#include <fstream>

using namespace agenthost::testing;
using Catch::Matchers::Contains;
using namespace std::chrono_literals;

namespace {

// The value of the series line that starts with `series` ("name{...}"), or -1.
double series_value(const std::string& text, const std::string& series) {
    size_t at = text.find("\n" + series + " ");
    if (at == std::string::npos) return -1;
    return std::atof(text.c_str() + at + series.size() + 2);
}

}  // namespace

TEST_CASE("GET /metrics counts requests by route template and runs by agent and status") {
    HostProcess host(host_config(R"({"echo":{"enabled":true},"thrower":{"enabled":true},"llm_probe":{"enabled":true}})"));
    HttpClient client(host.base_url());
    std::vector<std::string> ids;
    for (int i = 0; i < 3; ++i) {
        auto created = client.post("/runs", run_request("echo", "count me " + std::to_string(i)));
        REQUIRE(created.status == 202);
        ids.push_back(string_member(json_of(created), "run_id"));
    }
    REQUIRE(client.post("/runs", run_request("thrower", "fail")).status == 202);
    auto llm = client.post("/runs", R"({"agent_name":"llm_probe","task":"probe","context":{"mode":"complete",)"
                                    R"("request":{"messages":[{"role":"user","content":"Say hello."}]}}})");
    REQUIRE(llm.status == 202);
    std::string llm_id = string_member(json_of(llm), "run_id");
    REQUIRE(poll_until([&] { return run_status_of(client, llm_id) == "succeeded"; }, 10000ms));
    for (const auto& id : ids) REQUIRE(poll_until([&] { return run_status_of(client, id) == "succeeded"; }, 10000ms));
    CHECK(client.get("/runs/" + ids[0]).status == 200);
    CHECK(client.get("/no/such/endpoint").status == 404);

    std::string text;
    bool counted = poll_until(
        [&] {
            auto result = client.get("/metrics");
            text = result.body;
            return result.status == 200 &&
                   series_value(text, R"(agenthost_runs_finished_total{agent="echo",status="succeeded"})") == 3 &&
                   series_value(text, R"(agenthost_runs_finished_total{agent="thrower",status="failed"})") >= 1;
        },
        10000ms, 100ms);
    INFO(text);
    CHECK(counted);
    CHECK(client.get("/metrics").header("content-type").find("text/plain") == 0);
    CHECK(series_value(text, R"(agenthost_http_requests_total{route="/runs",method="POST",status="202"})") == 5);
    // One series per endpoint: the template, never the id in the path.
    CHECK(series_value(text, R"(agenthost_http_requests_total{route="/runs/:id",method="GET",status="200"})") >= 4);
    CHECK(text.find(ids[0]) == std::string::npos);
    CHECK(series_value(text, R"(agenthost_http_requests_total{route="none",method="GET",status="404"})") == 1);
    CHECK(series_value(text, R"(agenthost_run_execution_seconds_count{agent="echo"})") == 3);
    CHECK(series_value(text, R"(agenthost_run_queue_wait_seconds_count{agent="echo"})") == 3);
    // The offline provider answered the use_llm run.
    CHECK(series_value(text, R"(agenthost_llm_calls_total{provider="offline",model="offline",outcome="ok"})") == 1);
    CHECK(series_value(text, R"(agenthost_llm_call_duration_seconds_count{provider="offline",model="offline"})") == 1);
    CHECK(series_value(text, R"(agenthost_llm_tokens_total{provider="offline",model="offline",direction="output"})") >= 0);
    CHECK(series_value(text, "agenthost_db_batch_writes_count") >= 1);
    CHECK(series_value(text, "agenthost_db_commit_duration_seconds_count") >= 1);
    CHECK(series_value(text, R"(agenthost_workers{state="total"})") >= 1);
    CHECK(series_value(text, R"(agenthost_plugins{state="loaded"})") == 3);
    CHECK(series_value(text, "agenthost_process_resident_memory_bytes") > 1e6);
    CHECK(series_value(text, "agenthost_process_open_fds") > 3);
    CHECK_THAT(text, Contains("agenthost_build_info{version=\""));

    // The exposition format, checked by Prometheus's own linter.
    if (std::system("command -v promtool >/dev/null 2>&1") != 0) {
        WARN("promtool not installed (tools/install-deps promtool): the format check did not run");
        return;
    }
    DataDir dir;
    std::string path = dir.root + "/metrics.txt";
    std::ofstream(path) << text;
    int status = 0;
    std::string output = run_command("promtool check metrics < " + path + " 2>&1", status);
    INFO("promtool: " << output);
    CHECK(status == 0);
}
