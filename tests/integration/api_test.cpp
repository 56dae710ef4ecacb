// The REST core against a real agenthost process on a loopback port.
#include "test_host.hpp"

#include <atomic>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

using namespace agenthost::testing;
using Catch::Matchers::Contains;

namespace {

const char* kAgents = R"({
  "echo": {"enabled": true, "config": {"greeting": "hi there"}},
  "thrower": {"enabled": true},
  "abi_major": {"enabled": true},
  "summarizer": {"enabled": true},
  "sentiment": {"enabled": true},
  "entity_extractor": {"enabled": true}
})";

HostProcess& shared_host() {
    static HostProcess host(host_config(kAgents));
    return host;
}

std::string invoke_body(const std::string& agent, const std::string& task, const std::string& extra = "") {
    return R"({"agent_name":")" + agent + R"(","task":")" + task + "\"" + (extra.empty() ? "" : "," + extra) + "}";
}

}  // namespace

TEST_CASE("GET /health answers in seed 001's shape with component statuses") {
    HttpClient client(shared_host().base_url());
    auto result = client.get("/health");
    REQUIRE(result.status == 200);
    auto body = json_of(result);
    // abi_major is enabled but broken, so the host is up but degraded.
    CHECK(std::string(body["status"].GetString()) == "degraded");
    CHECK(std::string(body["version"].GetString()) == "0.1.0");
    CHECK(std::string(body["llm"].GetString()) == "not_configured");
    CHECK(body["components"]["plugins"]["loaded"].GetInt() == 5);
    CHECK(body["components"]["plugins"]["failed"].GetInt() == 1);
    CHECK(body["components"]["workers"]["threads"].GetInt() >= 1);
}

TEST_CASE("GET /ready is 200 once serving") {
    HttpClient client(shared_host().base_url());
    auto result = client.get("/ready");
    CHECK(result.status == 200);
    CHECK(std::string(json_of(result)["status"].GetString()) == "ready");
}

TEST_CASE("GET /agents lists loaded agents in seed 001's shape") {
    HttpClient client(shared_host().base_url());
    auto body = json_of(client.get("/agents"));
    std::vector<std::string> names;
    for (const auto& name : body["agents"].GetArray()) names.emplace_back(name.GetString());
    CHECK(names == std::vector<std::string>{"echo", "entity_extractor", "sentiment", "summarizer", "thrower"});
    CHECK(std::string(body["descriptions"]["echo"].GetString()) == "Test fixture that echoes its task and context.");
    CHECK(body["descriptions"].HasMember("summarizer"));
    CHECK_FALSE(body["descriptions"].HasMember("abi_major"));
    CHECK(body["workflow_routing"].IsBool());
    CHECK(body["domains"]["text"].Size() == 3);
}

TEST_CASE("GET /agents/{name} shows the manifest, schemas and state") {
    HttpClient client(shared_host().base_url());
    auto echo = json_of(client.get("/agents/echo"));
    CHECK(std::string(echo["state"].GetString()) == "loaded");
    CHECK(std::string(echo["library_version"].GetString()) == "1.2.3");
    CHECK(std::string(echo["manifest"]["domain"].GetString()) == "development");
    CHECK(echo["manifest"]["input_schema"]["properties"].HasMember("action"));
    CHECK(echo["manifest"]["config_schema"].IsObject());

    auto broken = json_of(client.get("/agents/abi_major"));
    CHECK(std::string(broken["state"].GetString()) == "failed");
    CHECK_THAT(broken["reason"].GetString(), Contains("ABI major mismatch"));

    error_envelope(client.get("/agents/nobody"), 404, "AgentNotFound");
}

TEST_CASE("GET /plugins lists every plugin found with its state and reason") {
    HttpClient client(shared_host().base_url());
    auto body = json_of(client.get("/plugins"));
    std::map<std::string, std::pair<std::string, std::string>> plugins;
    std::map<std::string, bool> enabled;
    std::map<std::string, std::string> abi;
    for (const auto& plugin : body["plugins"].GetArray()) {
        plugins[plugin["name"].GetString()] = {plugin["state"].GetString(),
                                               plugin["reason"].IsString() ? plugin["reason"].GetString() : ""};
        enabled[plugin["name"].GetString()] = plugin["enabled"].GetBool();
        if (plugin.HasMember("abi_version")) abi[plugin["name"].GetString()] = plugin["abi_version"].GetString();
    }
    CHECK(plugins["echo"].first == "loaded");
    CHECK(enabled["echo"]);
    // The ABI the loaded library reports (echo declares 1.1).
    CHECK(abi["echo"] == "1.1");
    CHECK(plugins["abi_major"].first == "failed");
    // Enabled in the config but not loaded: not shown as enabled.
    CHECK_FALSE(enabled["abi_major"]);
    CHECK_THAT(plugins["abi_major"].second, Contains("libabi_major.so") && Contains("ABI 2.0"));
    CHECK(plugins["no_entry"].first == "disabled");
    // Broken but not enabled: listed with its fault, without degrading health.
    CHECK(plugins["bad_manifest"].first == "disabled");
    CHECK_THAT(plugins["bad_manifest"].second, Contains("not enabled") && Contains("bad manifest"));
    CHECK(body["counts"]["loaded"].GetInt() == 5);
}

TEST_CASE("POST /agent/invoke runs the named agent and answers in seed 001's shape") {
    HttpClient client(shared_host().base_url());
    auto result = client.post("/agent/invoke", invoke_body("echo", "Create a pipeline", R"("context":{"note":"n1"})"));
    REQUIRE(result.status == 200);
    auto body = json_of(result);
    CHECK(std::string(body["status"].GetString()) == "success");
    CHECK(std::string(body["agent_used"].GetString()) == "echo");
    CHECK(body["execution_time"].IsNumber());
    CHECK(std::string(body["thread_id"].GetString()).size() == 36);
    CHECK(std::string(body["result"]["task"].GetString()) == "Create a pipeline");
    CHECK(std::string(body["result"]["context"]["note"].GetString()) == "n1");
    CHECK(std::string(body["result"]["greeting"].GetString()) == "hi there");
    CHECK(std::string(body["result"]["run_id"].GetString()) == body["run_id"].GetString());
}

TEST_CASE("runs on one thread_id share run memory") {
    HttpClient client(shared_host().base_url());
    std::string thread = R"("thread_id":"thread-memory-test")";
    auto first = json_of(client.post("/agent/invoke", invoke_body("echo", "one", thread)));
    auto second = json_of(client.post("/agent/invoke", invoke_body("echo", "two", thread)));
    CHECK(std::string(second["thread_id"].GetString()) == "thread-memory-test");
    CHECK(second["result"]["thread_run_count"].GetInt() == first["result"]["thread_run_count"].GetInt() + 1);
}

TEST_CASE("an agent that throws fails its run with a clear error and the host stays up") {
    HttpClient client(shared_host().base_url());
    auto body = error_envelope(client.post("/agent/invoke", invoke_body("thrower", "anything")), 500, "AgentFailed");
    CHECK_THAT(body["message"].GetString(), Contains("boom from thrower") && Contains("thrower"));
    // Seed 001's clients read result['status'] from every answer: "error" for a failed task.
    CHECK(std::string(body["status"].GetString()) == "error");
    CHECK(std::string(body["agent_used"].GetString()) == "thrower");
    CHECK_FALSE(std::string(body["run_id"].GetString()).empty());
    CHECK(client.get("/health").status == 200);
    CHECK(client.post("/agent/invoke", invoke_body("echo", "still here")).status == 200);
}

TEST_CASE("X-Request-ID is honoured and echoed; a missing or unsafe one is replaced") {
    HttpClient client(shared_host().base_url());
    auto given = client.get("/health", {"X-Request-ID: my-trace-42"});
    CHECK(given.header("x-request-id") == "my-trace-42");
    auto error = client.get("/nowhere", {"X-Request-ID: my-trace-43"});
    CHECK(std::string(json_of(error)["request_id"].GetString()) == "my-trace-43");
    auto unsafe = client.get("/health", {"X-Request-ID: bad id with spaces"});
    CHECK(unsafe.header("x-request-id").size() == 36);
    CHECK(client.get("/health").header("x-request-id").size() == 36);
}

TEST_CASE("HTTP/1.1 connections stay open unless the client asks to close") {
    HttpClient client(shared_host().base_url());
    auto first = client.get("/health");
    CHECK(first.header("connection") == "Keep-Alive");
    auto second = client.get("/health");
    CHECK(second.new_connections == 0);  // reused, not reconnected
    auto invoke = client.post("/agent/invoke", invoke_body("echo", "keep alive"));
    CHECK(invoke.new_connections == 0);
    auto closing = client.get("/health", {"Connection: close"});
    CHECK(closing.header("connection") == "Close");
}

TEST_CASE("many clients invoking at once all get their own answer") {
    std::atomic<int> ok{0};
    std::mutex failures_mutex;
    std::vector<std::string> failures;
    // Started here, not in a client thread: the host dies with the thread
    // that started it (PR_SET_PDEATHSIG), and client threads end early.
    const std::string base_url = shared_host().base_url();
    std::vector<std::thread> clients;
    for (int c = 0; c < 8; ++c) {
        clients.emplace_back([&, c] {
            HttpClient client(base_url);
            for (int i = 0; i < 25; ++i) {
                std::string task = "task-" + std::to_string(c) + "-" + std::to_string(i);
                auto result = client.post("/agent/invoke", invoke_body("echo", task));
                rapidjson::Document body;
                body.Parse(result.body.c_str());
                if (result.status == 200 && std::string(body["result"]["task"].GetString()) == task) {
                    ++ok;
                } else {
                    std::lock_guard<std::mutex> lock(failures_mutex);
                    failures.push_back(std::to_string(result.status) + " " + result.error + " " + result.body);
                }
            }
        });
    }
    for (auto& thread : clients) thread.join();
    CHECK(ok == 200);
    for (const auto& failure : failures) FAIL_CHECK("unexpected answer: " << failure);
}

TEST_CASE("SIGTERM stops the host gracefully") {
    HostProcess host(host_config(R"({"echo":{"enabled":true}})"));
    HttpClient client(host.base_url());
    REQUIRE(client.get("/health").status == 200);
    CHECK(host.stop() == 0);
    CHECK_THAT(host.log(), Contains("\"msg\":\"stopped\""));
}

TEST_CASE("every request is logged as one JSON line with method, path, status, duration and request id") {
    HostProcess host(host_config(R"({"echo":{"enabled":true}})"));
    HttpClient client(host.base_url());
    client.get("/agents", {"X-Request-ID: log-check-1"});
    host.stop();
    std::string log = host.log();
    CHECK_THAT(log, Contains(R"("msg":"request","method":"GET","path":"/agents","status":200,"duration_ms":)"));
    CHECK_THAT(log, Contains(R"("request_id":"log-check-1")"));
    // Every line is a JSON object.
    std::istringstream lines(log);
    for (std::string line; std::getline(lines, line);) {
        rapidjson::Document document;
        document.Parse(line.c_str());
        INFO(line);
        CHECK((!document.HasParseError() && document.IsObject()));
    }
}

// The log is written by its own thread in batches: an operator tailing it
// still sees a plugin's start-up line at once, without any traffic to push
// it out, and the request that follows shows up the same way.
TEST_CASE("a plugin's start-up line and a lone request's line reach the log while the host idles") {
    HostProcess host(host_config(R"({"echo":{"enabled":true}})"));
    CHECK(poll_until([&] { return host.log().find(R"("msg":"plugin loaded","agent":"echo")") != std::string::npos; },
                     std::chrono::milliseconds(3000), std::chrono::milliseconds(20)));
    HttpClient client(host.base_url());
    REQUIRE(client.get("/agents", {"X-Request-ID: lone-request"}).status == 200);
    CHECK(poll_until([&] { return host.log().find(R"("request_id":"lone-request")") != std::string::npos; },
                     std::chrono::milliseconds(3000), std::chrono::milliseconds(20)));
}

// The access log is buffered (a write per batch, on the log's own thread): under
// load every request still gets exactly one whole line, and lines reach the
// log within about a second even while the host keeps running.
TEST_CASE("the access log under load has one line per request, flushed within a second") {
    HostProcess host(host_config(R"({"echo":{"enabled":true}})"));
    const int kClients = 8, kPerClient = 250;
    std::vector<std::thread> clients;
    for (int c = 0; c < kClients; ++c) {
        clients.emplace_back([&, c] {
            HttpClient client(host.base_url());
            for (int i = 0; i < kPerClient; ++i)
                client.get("/health", {"X-Request-ID: load-" + std::to_string(c) + "-" + std::to_string(i)});
        });
    }
    for (auto& thread : clients) thread.join();
    std::map<std::string, int> seen;
    auto count_lines = [&] {
        seen.clear();
        std::istringstream lines(host.log());
        for (std::string line; std::getline(lines, line);) {
            size_t at = line.find(R"("request_id":"load-)");
            if (at == std::string::npos) continue;
            size_t start = at + 14, end = line.find('"', start);
            ++seen[line.substr(start, end - start)];
        }
        return seen.size() == static_cast<size_t>(kClients * kPerClient);
    };
    // Still running: the periodic flush, not the exit, brings them out.
    CHECK(poll_until(count_lines, std::chrono::milliseconds(3000), std::chrono::milliseconds(100)));
    CHECK(seen.size() == static_cast<size_t>(kClients * kPerClient));
    for (const auto& [id, lines] : seen) {
        INFO(id);
        CHECK(lines == 1);
    }
}
