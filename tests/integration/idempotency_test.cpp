// Idempotency-Key on the creating POSTs: a retry answers what the first
// request created, a different request under the key is refused, racing
// retries create one resource, and keys survive a restart.
#include "test_host.hpp"

#include <filesystem>
#include <mutex>
#include <set>
#include <thread>

using namespace agenthost::testing;
using namespace std::chrono_literals;

namespace {

const std::string kAgents = R"({"echo":{"enabled":true},"sentiment":{"enabled":true},"summarizer":{"enabled":true},)"
                            R"("entity_extractor":{"enabled":true}})";

HostProcess& host() {
    static HostProcess instance(host_config(kAgents));
    return instance;
}

std::vector<std::string> key_header(const std::string& key) { return {"Idempotency-Key: " + key}; }

std::string unique_key(const std::string& what) {
    static int counter = 0;
    return what + "-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
}

// How many runs the thread has.
size_t runs_on_thread(HttpClient& client, const std::string& thread_id) {
    auto listed = json_of(client.get("/runs?thread_id=" + thread_id + "&limit=50"));
    return listed["runs"].Size();
}

}  // namespace

TEST_CASE("a retried POST /runs answers the run its first attempt created", "[idempotency]") {
    HttpClient client(host().base_url());
    std::string key = unique_key("runs");
    std::string body = run_request("echo", "create me once");
    auto first = client.post("/runs", body, key_header(key));
    REQUIRE(first.status == 202);
    auto second = client.post("/runs", body, key_header(key));
    REQUIRE(second.status == 202);
    auto a = json_of(first), b = json_of(second);
    CHECK(string_member(a, "run_id") == string_member(b, "run_id"));
    CHECK(second.header("location") == "/runs/" + string_member(a, "run_id"));
    CHECK(runs_on_thread(client, string_member(a, "thread_id")) == 1);

    // Without a key, the same body makes a new run each time.
    auto unkeyed = json_of(client.post("/runs", body));
    CHECK(string_member(unkeyed, "run_id") != string_member(a, "run_id"));
}

TEST_CASE("a different request under a used key is refused", "[idempotency]") {
    HttpClient client(host().base_url());
    std::string key = unique_key("reuse");
    REQUIRE(client.post("/runs", run_request("echo", "first body"), key_header(key)).status == 202);
    auto reused = client.post("/runs", run_request("echo", "second body"), key_header(key));
    auto body = error_envelope(reused, 422, "IdempotencyKeyReused");
    CHECK_THAT(std::string(body["message"].GetString()), Catch::Matchers::Contains(key));
    // The same key on another endpoint is another request too.
    auto elsewhere = client.post("/agent/invoke", run_request("echo", "first body"), key_header(key));
    error_envelope(elsewhere, 422, "IdempotencyKeyReused");
}

TEST_CASE("malformed keys are refused before anything is stored", "[idempotency]") {
    HttpClient client(host().base_url());
    auto too_long = client.post("/runs", run_request("echo", "x"), key_header(std::string(256, 'k')));
    error_envelope(too_long, 422, "ValidationError");
    auto spaced = client.post("/runs", run_request("echo", "x"), key_header("has space"));
    error_envelope(spaced, 422, "ValidationError");
}

TEST_CASE("racing retries with one key create one run", "[idempotency]") {
    std::string key = unique_key("race");
    std::string body = run_request("echo", "raced");
    std::mutex mutex;
    std::set<std::string> run_ids;
    std::vector<long> statuses;
    std::vector<std::thread> clients;
    for (int i = 0; i < 8; ++i) {
        clients.emplace_back([&] {
            HttpClient client(host().base_url());
            auto result = client.post("/runs", body, key_header(key));
            std::lock_guard<std::mutex> lock(mutex);
            statuses.push_back(result.status);
            rapidjson::Document parsed;
            parsed.Parse(result.body.c_str());
            if (!parsed.HasParseError() && parsed.IsObject()) run_ids.insert(string_member(parsed, "run_id"));
        });
    }
    for (auto& t : clients) t.join();
    for (long status : statuses) CHECK(status == 202);
    CHECK(run_ids.size() == 1);
    HttpClient client(host().base_url());
    auto run = fetch_run(client, *run_ids.begin());
    CHECK(runs_on_thread(client, string_member(run, "thread_id")) == 1);
}

TEST_CASE("a retried invoke answers the first run's outcome", "[idempotency]") {
    HttpClient client(host().base_url());
    std::string key = unique_key("invoke");
    std::string body = run_request("echo", "invoke once");
    auto first = client.post("/agent/invoke", body, key_header(key));
    REQUIRE(first.status == 200);
    auto second = client.post("/agent/invoke", body, key_header(key));
    REQUIRE(second.status == 200);
    CHECK(string_member(json_of(first), "run_id") == string_member(json_of(second), "run_id"));
}

TEST_CASE("processing requests and workflows honour the key", "[idempotency]") {
    HttpClient client(host().base_url());
    std::string key = unique_key("process");
    std::string process = R"({"text":"Acme Widgets Inc. reported record revenue on Tuesday.","orchestration_mode":"parallel"})";
    auto first = client.post("/api/v1/process", process, key_header(key));
    REQUIRE(first.status == 202);
    auto second = client.post("/api/v1/process", process, key_header(key));
    REQUIRE(second.status == 202);
    CHECK(string_member(json_of(first), "request_id") == string_member(json_of(second), "request_id"));

    std::string workflow_key = unique_key("workflow");
    std::string workflow = R"({"task":"echo twice","steps":[{"id":"a","agent":"echo"},{"id":"b","agent":"echo","depends_on":["a"]}]})";
    auto w1 = client.post("/agents/orchestrate", workflow, key_header(workflow_key));
    REQUIRE(w1.status == 202);
    auto w2 = client.post("/agents/orchestrate", workflow, key_header(workflow_key));
    REQUIRE(w2.status == 202);
    CHECK(string_member(json_of(w1), "id") == string_member(json_of(w2), "id"));
}

TEST_CASE("keys survive a restart", "[idempotency]") {
    DataDir data;
    std::string key = unique_key("restart");
    std::string body = run_request("echo", "before the restart");
    std::string run_id;
    {
        HostProcess first(host_config(kAgents), with_data_dir(data));
        HttpClient client(first.base_url());
        auto created = client.post("/runs", body, key_header(key));
        REQUIRE(created.status == 202);
        run_id = string_member(json_of(created), "run_id");
    }
    {
        HostProcess second(host_config(kAgents), with_data_dir(data));
        HttpClient client(second.base_url());
        auto retried = client.post("/runs", body, key_header(key));
        REQUIRE(retried.status == 202);
        CHECK(string_member(json_of(retried), "run_id") == run_id);
    }
}
