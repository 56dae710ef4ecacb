// Threads and their checkpoints with two hosts on one PostgreSQL database:
// every thread endpoint through the real host, and state writes through
// both hosts at once each recorded as its own checkpoint, in order.
#include "test_host.hpp"

#include <set>
#include <thread>
#include <vector>

using namespace agenthost::testing;
using namespace std::chrono_literals;

namespace {

const bool kHavePostgres = exit_77_without_postgres();

std::vector<std::string> on_database(const TestDatabase& database) { return {"--database-url", database.url()}; }

}  // namespace

TEST_CASE("two hosts on PostgreSQL serve one set of threads and number their checkpoints together",
          "[threads][postgres]") {
    TestDatabase database;
    const std::string config = host_config(R"({"echo":{"enabled":true}})");
    HostProcess a(config, on_database(database));
    HostProcess b(config, on_database(database));
    HttpClient via_a(a.base_url()), via_b(b.base_url());

    auto made = via_a.post("/threads", R"({"thread_id":"pg-thread","metadata":{"suite":"pg","n":1}})");
    INFO(made.body);
    REQUIRE(made.status == 201);
    error_envelope(via_b.post("/threads", R"({"thread_id":"pg-thread"})"), 409, "ThreadExists");
    auto seen = json_of(via_b.get("/threads/pg-thread"));
    CHECK(string_member(seen, "status") == "idle");
    CHECK(seen["metadata"]["n"].GetInt() == 1);
    auto found = json_of(via_b.post("/threads/search", R"({"metadata":{"suite":"pg"},"status":"idle"})"));
    REQUIRE(found["threads"].Size() == 1);

    // Writes through both hosts at once: one checkpoint each, numbered 1..20.
    std::vector<long long> numbers(20, -1);
    std::vector<std::thread> writers;
    for (int i = 0; i < 20; ++i)
        writers.emplace_back([&, i] {
            HttpClient client((i % 2 == 0 ? a : b).base_url());
            auto answer = client.post("/threads/pg-thread/state",
                                      R"({"values":{"k)" + std::to_string(i) + R"(":)" + std::to_string(i) + "}}");
            rapidjson::Document body;
            body.Parse(answer.body.c_str());
            if (answer.status == 200 && body.IsObject()) numbers[i] = body["checkpoint_id"].GetInt64();
        });
    for (auto& writer : writers) writer.join();
    std::set<long long> distinct(numbers.begin(), numbers.end());
    CHECK(distinct.size() == 20);
    CHECK(*distinct.begin() == 1);
    CHECK(*distinct.rbegin() == 20);
    auto history = json_of(via_a.post("/threads/pg-thread/history", R"({"limit":100})"));
    REQUIRE(history["checkpoints"].Size() == 20);
    for (rapidjson::SizeType i = 0; i < 20; ++i)
        CHECK(history["checkpoints"][i]["checkpoint_id"].GetInt64() == 20 - static_cast<long long>(i));

    // A run's memory write is the next checkpoint, named by its run.
    auto run = via_b.post("/runs/wait", R"({"agent_name":"echo","task":"t","thread_id":"pg-thread",)"
                                        R"("context":{"action":"remember","read":["k3"]}})");
    INFO(run.body);
    REQUIRE(run.status == 200);
    auto ran = json_of(run);
    CHECK(ran["result"]["memory"]["k3"].GetInt() == 3);
    auto newest = json_of(via_a.post("/threads/pg-thread/history", R"({"limit":1})"));
    CHECK(newest["checkpoints"][0]["checkpoint_id"].GetInt64() == 21);
    CHECK(string_member(newest["checkpoints"][0], "run_id") == string_member(ran, "run_id"));
    CHECK(newest["next_before"].GetInt64() == 21);

    // A fork at checkpoint 5 through one host, read through the other.
    auto fork = via_b.post("/threads/pg-thread/copy", R"({"checkpoint_id":5,"thread_id":"pg-fork"})");
    INFO(fork.body);
    REQUIRE(fork.status == 201);
    auto forked = json_of(via_a.get("/threads/pg-fork/state"));
    CHECK(forked["checkpoint_id"].GetInt64() == 5);
    CHECK(forked["values"].MemberCount() == 5);
    auto earlier = json_of(via_a.get("/threads/pg-thread/state?checkpoint_id=5"));
    CHECK(earlier["values"] == forked["values"]);
    CHECK(json_of(via_b.get("/threads/pg-thread/state"))["values"].MemberCount() == 21);

    // Delete: refused while a run is active, then everything goes.
    auto sleeping = via_a.post("/runs", R"({"agent_name":"echo","task":"t","thread_id":"pg-thread",)"
                                        R"("context":{"action":"sleep","ms":1500}})");
    REQUIRE(sleeping.status == 202);
    CHECK(string_member(json_of(via_b.get("/threads/pg-thread")), "status") == "busy");
    error_envelope(via_b.request("DELETE", "/threads/pg-thread", "", {}), 409, "ThreadBusy");
    CHECK(poll_until([&] { return string_member(json_of(via_b.get("/threads/pg-thread")), "status") == "idle"; },
                     10000ms, 50ms));
    CHECK(via_b.request("DELETE", "/threads/pg-thread", "", {}).status == 204);
    error_envelope(via_a.get("/threads/pg-thread"), 404, "ThreadNotFound");
    error_envelope(via_a.get("/runs/" + string_member(ran, "run_id")), 404, "RunNotFound");
    // The fork lives on.
    CHECK(json_of(via_a.get("/threads/pg-fork"))["values"].MemberCount() == 5);
}
