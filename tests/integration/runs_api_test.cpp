// The runs resource through a real host on SQLite: accept, list, page,
// cancel, events, threads.
#include "sse_client.hpp"
#include "test_host.hpp"

#include <chrono>
#include <set>
#include <thread>

using namespace agenthost::testing;
using Catch::Matchers::Contains;

namespace {

HostProcess& host() {
    // One worker, so a sleeping run holds it and the next stays queued.
    static HostProcess instance(host_config(R"({"echo":{"enabled":true},"thrower":{"enabled":true}})"),
                                {"--workers", "1"});
    return instance;
}

// By default a new run is queued, or running when a free worker took it as
// it was accepted; "" accepts any (runs on a busy thread start blocked).
std::string create(HttpClient& client, const std::string& body, const std::string& expected_status = "queued|running") {
    auto result = client.post("/runs", body);
    INFO(result.body);
    REQUIRE(result.status == 202);
    auto json = json_of(result);
    std::string status = json["status"].GetString();
    if (expected_status == "queued|running") CHECK((status == "queued" || status == "running"));
    else if (!expected_status.empty()) CHECK(status == expected_status);
    CHECK(result.header("location") == "/runs/" + std::string(json["run_id"].GetString()));
    return json["run_id"].GetString();
}

// Polls GET /runs/{id} until its status is final (or the deadline passes).
rapidjson::Document wait_final(HttpClient& client, const std::string& id, int seconds = 15) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    for (;;) {
        auto run = json_of(client.get("/runs/" + id));
        std::string status = run["status"].GetString();
        if (status == "succeeded" || status == "failed" || status == "cancelled") return run;
        REQUIRE(std::chrono::steady_clock::now() < deadline);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

std::string wait_status(HttpClient& client, const std::string& id, const std::string& wanted) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    for (;;) {
        std::string status = json_of(client.get("/runs/" + id))["status"].GetString();
        if (status == wanted || std::chrono::steady_clock::now() > deadline) return status;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

}  // namespace

TEST_CASE("POST /runs answers 202 once stored, and the run completes with input, result and timings") {
    HttpClient client(host().base_url());
    std::string id = create(client, R"({"agent_name":"echo","task":"durable hello","context":{"note":"n"},"thread_id":"t-runs-1"})");
    auto run = wait_final(client, id);
    CHECK(std::string(run["status"].GetString()) == "succeeded");
    CHECK(std::string(run["agent"].GetString()) == "echo");
    CHECK(std::string(run["thread_id"].GetString()) == "t-runs-1");
    CHECK(std::string(run["input"]["task"].GetString()) == "durable hello");
    CHECK(std::string(run["input"]["context"]["note"].GetString()) == "n");
    CHECK(std::string(run["result"]["task"].GetString()) == "durable hello");
    CHECK(run["attempts"].GetInt() == 1);
    CHECK(run["error"].IsNull());
    CHECK(run["created_at"].IsString());
    CHECK(run["started_at"].IsString());
    CHECK(run["finished_at"].IsString());
    CHECK(run["duration_seconds"].GetDouble() >= 0);
}

TEST_CASE("a failing agent's run records its error") {
    HttpClient client(host().base_url());
    auto run = wait_final(client, create(client, R"({"agent_name":"thrower","task":"x"})"));
    CHECK(std::string(run["status"].GetString()) == "failed");
    CHECK(std::string(run["error_type"].GetString()) == "agent_error");
    CHECK_THAT(run["error"].GetString(), Contains("boom from thrower"));
}

TEST_CASE("POST /runs refuses what it cannot run, before storing anything") {
    HttpClient client(host().base_url());
    error_envelope(client.post("/runs", R"({"context":{}})"), 422, "ValidationError");
    error_envelope(client.post("/runs", R"({"task":"x"})"), 422, "NoAgentFits");
    error_envelope(client.post("/runs", R"({"agent_name":"nobody","task":"x"})"), 404, "AgentNotFound");
    error_envelope(client.post("/runs", R"({"agent_name":"echo","task":"x","context":{"ms":"soon"}})"), 422,
                   "ValidationError");
    error_envelope(client.post("/runs", R"({"agent_name":"echo","task":"x"})", {"Content-Type: text/plain"}), 415,
                   "UnsupportedMediaType");
    error_envelope(client.get("/runs/no-such-run"), 404, "RunNotFound");
}

TEST_CASE("synchronous invoke is a durable run too, listed with the others") {
    HttpClient client(host().base_url());
    auto invoke = json_of(client.post("/agent/invoke", R"({"agent_name":"echo","task":"sync and durable"})"));
    std::string id = invoke["run_id"].GetString();
    auto run = json_of(client.get("/runs/" + id));
    CHECK(std::string(run["status"].GetString()) == "succeeded");
    CHECK(std::string(run["input"]["task"].GetString()) == "sync and durable");
}

TEST_CASE("GET /runs filters by status, agent and thread and pages with a cursor") {
    HttpClient client(host().base_url());
    std::string thread = "t-list-" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
    std::set<std::string> created;
    for (int i = 0; i < 7; ++i)
        created.insert(create(client, R"({"agent_name":"echo","task":"list me","thread_id":")" + thread + R"("})", ""));
    for (const auto& id : created) wait_final(client, id);

    std::set<std::string> seen;
    std::string cursor;
    int pages = 0;
    do {
        auto page = json_of(client.get("/runs?thread_id=" + thread + "&status=succeeded&agent=echo&limit=3" +
                                       (cursor.empty() ? "" : "&cursor=" + cursor)));
        for (const auto& run : page["runs"].GetArray()) seen.insert(run["run_id"].GetString());
        cursor = page["next_cursor"].IsNull() ? "" : page["next_cursor"].GetString();
        ++pages;
    } while (!cursor.empty() && pages < 10);
    CHECK(seen == created);
    CHECK(pages == 3);

    auto thread_view = json_of(client.get("/threads/" + thread));
    CHECK(thread_view["runs"].Size() == 7);
    error_envelope(client.get("/threads/never-used"), 404, "ThreadNotFound");
    error_envelope(client.get("/runs?limit=0"), 422, "ValidationError");
    error_envelope(client.get("/runs?status=sleeping"), 422, "ValidationError");
    error_envelope(client.get("/runs?cursor=garbage"), 422, "ValidationError");
}

TEST_CASE("cancel: a queued run at once, a running one through is_cancelled") {
    HttpClient client(host().base_url());
    // The single worker is held by the sleeper, so the second run waits.
    std::string sleeper = create(client, R"({"agent_name":"echo","task":"sleep","context":{"action":"sleep","ms":20000}})");
    REQUIRE(wait_status(client, sleeper, "running") == "running");
    // The one worker is busy: the run waits, in the store's queue or (taken
    // by this host as it was accepted) in this host's worker queue.
    std::string waiting = create(client, R"({"agent_name":"echo","task":"never runs"})");

    auto queued = client.post("/runs/" + waiting + "/cancel", "");
    // Either way it has not started: cancelled at once, and its attempt
    // (counted when this host took it) given back. Claimed by the claim
    // loop in the same instant (a commit whose runs are not yet on the
    // worker queue): asked (202 cancelling) and cancelled before its worker
    // would start it. Either way it never runs.
    INFO(queued.body);
    CHECK((queued.status == 200 || queued.status == 202));
    if (queued.status == 200) {
        CHECK(std::string(json_of(queued)["status"].GetString()) == "cancelled");
        auto never_started = json_of(client.get("/runs/" + waiting));
        CHECK(std::string(never_started["status"].GetString()) == "cancelled");
        CHECK(never_started["started_at"].IsNull());
        CHECK(never_started["attempts"].GetInt() == 0);
    }

    auto running = client.post("/runs/" + sleeper + "/cancel", "");
    CHECK(running.status == 202);
    CHECK(std::string(json_of(running)["status"].GetString()) == "cancelling");
    auto ended = wait_final(client, sleeper, 5);  // long before its 20 s sleep would end
    CHECK(std::string(ended["status"].GetString()) == "cancelled");
    auto never = wait_final(client, waiting);
    CHECK(std::string(never["status"].GetString()) == "cancelled");
    CHECK_FALSE((never.HasMember("result") && never["result"].IsObject()));

    error_envelope(client.post("/runs/" + sleeper + "/cancel", ""), 409, "RunFinished");
    error_envelope(client.post("/runs/no-such-run/cancel", ""), 404, "RunNotFound");
}

TEST_CASE("a run's events come in order from since_index") {
    HttpClient client(host().base_url());
    std::string id = create(client, R"({"agent_name":"echo","task":"events"})");
    wait_final(client, id);
    auto all = json_of(client.get("/runs/" + id + "/events"));
    std::vector<std::string> types;
    long long previous = 0;
    for (const auto& event : all["events"].GetArray()) {
        types.emplace_back(event["type"].GetString());
        CHECK(event["seq"].GetInt64() == previous + 1);
        previous = event["seq"].GetInt64();
        CHECK(std::string(event["run_id"].GetString()) == id);
    }
    // The echo agent's memory write is an event too (stream_mode values).
    CHECK(types ==
          std::vector<std::string>{"run.queued", "run.started", "agent.progress", "memory.updated", "run.succeeded"});
    CHECK(all["next_index"].GetInt64() == 5);
    auto later = json_of(client.get("/runs/" + id + "/events?since_index=2"));
    REQUIRE(later["events"].Size() == 3);
    CHECK(later["events"][0]["seq"].GetInt64() == 3);
    // Past the end, next_index says where the log ends.
    auto beyond = json_of(client.get("/runs/" + id + "/events?since_index=99"));
    CHECK(beyond["events"].Size() == 0);
    CHECK(beyond["next_index"].GetInt64() == 5);
    error_envelope(client.get("/runs/" + id + "/events?since_index=-1"), 422, "ValidationError");
}

TEST_CASE("the retention sweep deletes finished runs older than the TTL") {
    // 0.001 h is 3.6 s; sweeping every 0.2 s.
    HostProcess short_lived(host_config(R"({"echo":{"enabled":true}})",
                                        R"("runs":{"retention_hours":0.001,"sweep_interval_seconds":0.2})"));
    HttpClient client(short_lived.base_url());
    std::string id = create(client, R"({"agent_name":"echo","task":"forget me"})");
    CHECK(std::string(wait_final(client, id)["status"].GetString()) == "succeeded");
    // Still there just after it finished.
    CHECK(client.get("/runs/" + id).status == 200);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(12);
    long status = 200;
    while (status == 200 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        status = client.get("/runs/" + id).status;
    }
    CHECK(status == 404);
    CHECK(client.get("/runs/" + id + "/events").status == 404);
}

// Seed 003's paths: start on a thread, read, stream and stop an agent run.
TEST_CASE("seed 003's agent-run paths start, read, stream and stop runs") {
    HttpClient client(host().base_url());
    auto started = client.post("/thread/t-seed3/agent/start", R"({"agent_name":"echo","task":"from seed 003"})");
    INFO(started.body);
    REQUIRE(started.status == 202);
    auto body = json_of(started);
    std::string id = body["agent_run_id"].GetString();
    CHECK(std::string(body["run_id"].GetString()) == id);
    CHECK(std::string(body["thread_id"].GetString()) == "t-seed3");
    CHECK(started.header("location") == "/agent-run/" + id);
    auto run = wait_final(client, id);
    CHECK(std::string(run["status"].GetString()) == "succeeded");

    auto read = client.get("/agent-run/" + id);
    REQUIRE(read.status == 200);
    CHECK(std::string(json_of(read)["agent_run_id"].GetString()) == id);
    CHECK(std::string(json_of(read)["thread_id"].GetString()) == "t-seed3");

    SseClient stream(host().port(), "GET", "/agent-run/" + id + "/stream");
    REQUIRE(stream.read_to_end(std::chrono::seconds(10)));
    CHECK(stream.frames().back().event == "done");

    // The plural path too; a body naming another thread is refused.
    CHECK(client.post("/threads/t-seed3/agent/start", R"({"agent_name":"echo","task":"again"})").status == 202);
    error_envelope(client.post("/thread/t-seed3/agent/start", R"({"agent_name":"echo","task":"x","thread_id":"other"})"),
                   422, "ValidationError");
    error_envelope(client.post("/thread/t-seed3/agent/start", "{nope"), 400, "InvalidJSON");

    // Stop: the one worker is busy, so the new run waits and stops at once.
    std::string sleeper = create(client, R"({"agent_name":"echo","task":"sleep","context":{"action":"sleep","ms":3000}})");
    auto waiting = json_of(client.post("/thread/t-seed3-stop/agent/start", R"({"agent_name":"echo","task":"stop me"})"));
    std::string stop_id = waiting["agent_run_id"].GetString();
    auto stopped = client.post("/agent-run/" + stop_id + "/stop", "");
    INFO(stopped.body);
    CHECK((stopped.status == 200 || stopped.status == 202));
    CHECK(std::string(json_of(stopped)["agent_run_id"].GetString()) == stop_id);
    CHECK(std::string(wait_final(client, stop_id)["status"].GetString()) == "cancelled");
    error_envelope(client.get("/agent-run/no-such-run"), 404, "RunNotFound");
    client.post("/runs/" + sleeper + "/cancel", "");
}

// LangGraph's run calls: create-and-wait, join, delete, bulk cancel.
TEST_CASE("POST /runs/wait, GET /runs/{id}/join, DELETE /runs/{id} and POST /runs/cancel") {
    HttpClient client(host().base_url());
    auto waited = client.post("/runs/wait", R"({"agent_name":"echo","task":"wait for me","thread_id":"t-lg-1"})");
    INFO(waited.body);
    REQUIRE(waited.status == 200);
    auto run = json_of(waited);
    CHECK(std::string(run["status"].GetString()) == "succeeded");
    std::string id = run["run_id"].GetString();
    CHECK(string_member(run["result"], "task") == "wait for me");
    error_envelope(client.post("/runs/wait", R"({"agent_name":"no-such","task":"x"})"), 404, "AgentNotFound");
    error_envelope(client.post("/runs/wait", "{nope"), 400, "InvalidJSON");

    // Join: an ended run at once; a running one when it ends.
    CHECK(std::string(json_of(client.get("/runs/" + id + "/join"))["status"].GetString()) == "succeeded");
    std::string later = create(client, R"({"agent_name":"echo","task":"sleep","context":{"action":"sleep","ms":300}})");
    auto joined = client.get("/runs/" + later + "/join");
    REQUIRE(joined.status == 200);
    CHECK(std::string(json_of(joined)["status"].GetString()) == "succeeded");
    error_envelope(client.get("/runs/no-such-run/join"), 404, "RunNotFound");

    // Delete: finished runs only, with their events.
    auto removed = client.request("DELETE", "/runs/" + id, "", {});
    CHECK(removed.status == 204);
    error_envelope(client.get("/runs/" + id), 404, "RunNotFound");
    CHECK(client.get("/runs/" + id + "/events").status == 404);
    error_envelope(client.request("DELETE", "/runs/" + id, "", {}), 404, "RunNotFound");
    std::string busy = create(client, R"({"agent_name":"echo","task":"sleep","context":{"action":"sleep","ms":20000}})");
    poll_until([&] { return run_status_of(client, busy) == "running"; }, std::chrono::milliseconds(5000));
    error_envelope(client.request("DELETE", "/runs/" + busy, "", {}), 409, "RunNotFinished");

    // Bulk cancel by ids: the running one is asked, the queued one is cancelled, unknown ids say so.
    // (Taken by this host as it is accepted, it says running: claimed, not started.)
    std::string queued = create(client, R"({"agent_name":"echo","task":"behind the sleeper","thread_id":"t-lg-2"})");
    auto cancelled = client.post("/runs/cancel", R"({"run_ids":[")" + busy + R"(",")" + queued + R"(","nope"]})");
    INFO(cancelled.body);
    REQUIRE(cancelled.status == 200);
    auto cancelled_json = json_of(cancelled);  // outlives the array view below
    auto outcomes = cancelled_json["runs"].GetArray();
    REQUIRE(outcomes.Size() == 3);
    CHECK(std::string(outcomes[0]["status"].GetString()) == "cancelling");
    // The queued run may already be claimed into this host's local queue
    // (prefetch), where it shows as running until its worker reaches it:
    // then it is asked, not cancelled on the spot. Either way it never runs.
    std::string queued_outcome = outcomes[1]["status"].GetString();
    CHECK((queued_outcome == "cancelled" || queued_outcome == "cancelling"));
    CHECK(std::string(outcomes[2]["status"].GetString()) == "not_found");
    CHECK(std::string(wait_final(client, busy)["status"].GetString()) == "cancelled");
    auto queued_run = wait_final(client, queued);
    CHECK(std::string(queued_run["status"].GetString()) == "cancelled");
    CHECK_FALSE((queued_run.HasMember("result") && queued_run["result"].IsObject()));
    error_envelope(client.post("/runs/cancel", R"({})"), 422, "ValidationError");
    error_envelope(client.post("/runs/cancel", R"({"run_ids":[],"thread_id":"x"})"), 422, "ValidationError");
    // By thread: nothing left running there.
    auto by_thread = json_of(client.post("/runs/cancel", R"({"thread_id":"t-lg-2"})"));
    CHECK(by_thread["runs"].Size() == 0);
}

// An agent blocked where it cannot poll (Run::on_cancel, SDK 1.2) stops
// when the run is cancelled instead of holding its worker.
TEST_CASE("POST /runs/{id}/cancel wakes an agent blocked on a cancellation watch") {
    HttpClient client(host().base_url());
    std::string blocked =
        create(client, R"({"agent_name":"echo","task":"block","context":{"action":"block_until_cancelled","ms":60000}})");
    // Really executing (a run claimed ahead also reads "running" until its
    // worker reaches it): its run.started event is written as it starts.
    REQUIRE(poll_until([&] { return client.get("/runs/" + blocked + "/events").body.find("\"run.started\"") !=
                                    std::string::npos; },
                       std::chrono::milliseconds(10000)));
    auto asked = client.post("/runs/" + blocked + "/cancel", "");
    INFO(asked.body);
    CHECK(asked.status == 202);
    // wait_final gives up long before the agent's own 60 s wait would end.
    auto ended = wait_final(client, blocked);
    CHECK(std::string(ended["status"].GetString()) == "cancelled");
}
