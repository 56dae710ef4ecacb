// Run options, POST /runs/batch and crons, as scenarios over one HTTP
// client: run through a host on SQLite (run_options_test.cpp) and on
// PostgreSQL (run_options_postgres_test.cpp). The host must enable echo.
#pragma once

#include "test_host.hpp"

#include <chrono>
#include <set>
#include <string>
#include <thread>

namespace agenthost::testing::scenarios {

using namespace std::chrono_literals;

inline long long epoch_ms_of(const std::string& iso) {
    // "YYYY-MM-DDTHH:MM:SS.mmmZ" as the host writes it.
    std::tm tm{};
    strptime(iso.substr(0, 19).c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
    return static_cast<long long>(timegm(&tm)) * 1000 + std::stoll(iso.substr(20, 3));
}

// A delayed run read before its time is still queued. How long the steps
// before the read take is up to the machine (a sanitizer build is slow), so
// the status is only checked when the read began ahead of run_after.
inline void check_waiting_for_its_time(HttpClient& client, const std::string& run_id, long long run_after_ms) {
    auto before = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch()).count();
    std::string status = run_status_of(client, run_id);
    if (before < run_after_ms - 100) CHECK(status == "queued");
    else WARN("the read began after run_after; status " << status);
}

inline std::string final_status(HttpClient& client, const std::string& run_id, std::chrono::milliseconds timeout = 15000ms) {
    std::string status;
    poll_until(
        [&] {
            status = run_status_of(client, run_id);
            return status == "succeeded" || status == "failed" || status == "cancelled";
        },
        timeout, 20ms);
    return status;
}

inline void make_thread(HttpClient& client, const std::string& id) {
    auto made = client.post("/threads", R"({"thread_id":")" + id + R"("})");
    INFO(made.body);
    REQUIRE(made.status == 201);
}

inline rapidjson::Document thread_values(HttpClient& client, const std::string& id) {
    auto state = json_of(client.get("/threads/" + id + "/state"));
    rapidjson::Document values;
    values.CopyFrom(state["values"], values.GetAllocator());
    return values;
}

// if_not_exists: reject refuses a thread that does not exist; create (the
// default) makes it.
inline void if_not_exists(HttpClient& client, const std::string& prefix) {
    std::string thread = prefix + "-ine";
    auto refused = client.post("/runs", R"({"agent_name":"echo","task":"t","thread_id":")" + thread +
                                            R"(","if_not_exists":"reject"})");
    error_envelope(refused, 404, "ThreadNotFound");
    error_envelope(client.get("/threads/" + thread), 404, "ThreadNotFound");
    auto created = client.post("/runs", R"({"agent_name":"echo","task":"t","thread_id":")" + thread +
                                            R"(","if_not_exists":"create"})");
    REQUIRE(created.status == 202);
    CHECK(final_status(client, string_member(json_of(created), "run_id")) == "succeeded");
    // Now it exists, reject lets the run join it.
    auto joined = client.post("/runs", R"({"agent_name":"echo","task":"t","thread_id":")" + thread +
                                           R"(","if_not_exists":"reject"})");
    CHECK(joined.status == 202);
    error_envelope(client.post("/runs", R"({"agent_name":"echo","task":"t","if_not_exists":"maybe"})"), 422,
                   "ValidationError");
}

// A delayed run: queued with run_after, not started before it.
inline void delayed_run(HttpClient& client) {
    auto created = client.post("/runs", R"({"agent_name":"echo","task":"later","after_seconds":4})");
    INFO(created.body);
    REQUIRE(created.status == 202);
    auto accepted = json_of(created);
    CHECK(string_member(accepted, "status") == "queued");
    std::string id = string_member(accepted, "run_id");
    long long run_after = epoch_ms_of(string_member(accepted, "run_after"));
    auto run = fetch_run(client, id);
    CHECK(string_member(run, "status") == "queued");
    CHECK(string_member(run, "run_after") == string_member(accepted, "run_after"));
    long long created_at = epoch_ms_of(string_member(run, "created_at"));
    CHECK(run_after - created_at == 4000);
    std::this_thread::sleep_for(700ms);
    CHECK(run_status_of(client, id) == "queued");  // not before its time
    REQUIRE(final_status(client, id) == "succeeded");
    auto ran = fetch_run(client, id);
    CHECK(epoch_ms_of(string_member(ran, "started_at")) >= run_after);
    error_envelope(client.post("/runs", R"({"agent_name":"echo","task":"t","after_seconds":-1})"), 422,
                   "ValidationError");
    error_envelope(client.post("/runs", R"({"agent_name":"echo","task":"t","after_seconds":"soon"})"), 422,
                   "ValidationError");
}

// on_completion delete: the run answers, then it and its events are gone.
inline void on_completion_delete(HttpClient& client) {
    auto waited = client.post("/runs/wait", R"({"agent_name":"echo","task":"gone soon","on_completion":"delete"})");
    INFO(waited.body);
    REQUIRE(waited.status == 200);
    auto run = json_of(waited);
    CHECK(string_member(run, "status") == "succeeded");
    CHECK(string_member(run, "on_completion") == "delete");
    std::string id = string_member(run, "run_id");
    CHECK(poll_until([&] { return client.get("/runs/" + id).status == 404; }, 5000ms, 20ms));
    error_envelope(client.get("/runs/" + id + "/events"), 404, "RunNotFound");
    // keep (the default) stays.
    auto kept = json_of(client.post("/runs/wait", R"({"agent_name":"echo","task":"kept"})"));
    CHECK(string_member(kept, "on_completion") == "keep");
    std::this_thread::sleep_for(300ms);
    CHECK(client.get("/runs/" + string_member(kept, "run_id")).status == 200);
}

// POST /runs/{id}/cancel?action=rollback on a running run that wrote
// memory: the run goes, the memory is as before its first write; on a
// queued run: gone at once.
inline void rollback_cancel(HttpClient& client, const std::string& prefix) {
    std::string thread = prefix + "-rollback";
    make_thread(client, thread);
    REQUIRE(client.post("/threads/" + thread + "/state", R"({"values":{"a":1}})").status == 200);
    long long before_checkpoint = json_of(client.get("/threads/" + thread + "/state"))["checkpoint_id"].GetInt64();
    auto started = client.post("/runs", R"({"agent_name":"echo","task":"t","thread_id":")" + thread +
                                            R"(","context":{"action":"block_until_cancelled","write_first":{"a":2,"b":3}}})");
    REQUIRE(started.status == 202);
    std::string id = string_member(json_of(started), "run_id");
    REQUIRE(poll_until([&] { return thread_values(client, thread).HasMember("b"); }, 10000ms, 20ms));
    CHECK(thread_values(client, thread)["a"].GetInt() == 2);
    error_envelope(client.post("/runs/" + id + "/cancel?action=undo", ""), 422, "ValidationError");
    auto cancelled = client.post("/runs/" + id + "/cancel?action=rollback", "");
    INFO(cancelled.body);
    CHECK((cancelled.status == 202 || cancelled.status == 200));
    CHECK(poll_until([&] { return client.get("/runs/" + id).status == 404; }, 10000ms, 20ms));
    auto values = thread_values(client, thread);
    CHECK(values.MemberCount() == 1);
    CHECK(values["a"].GetInt() == 1);
    auto state = json_of(client.get("/threads/" + thread + "/state"));
    CHECK(state["checkpoint_id"].GetInt64() > before_checkpoint);
    // The history no longer shows the run's write.
    auto history = json_of(client.post("/threads/" + thread + "/history", R"({"limit":10})"));
    for (const auto& checkpoint : history["checkpoints"].GetArray()) CHECK(string_member(checkpoint, "run_id") != id);

    // A run that never started: cancelled and deleted at once.
    auto delayed = client.post("/runs", R"({"agent_name":"echo","task":"t","thread_id":")" + thread +
                                            R"(","after_seconds":60})");
    std::string queued = string_member(json_of(delayed), "run_id");
    auto rolled = client.post("/runs/" + queued + "/cancel?action=rollback", "");
    INFO(rolled.body);
    CHECK(rolled.status == 200);
    CHECK(string_member(json_of(rolled)["run"], "on_completion") == "rollback");
    error_envelope(client.get("/runs/" + queued), 404, "RunNotFound");

    // POST /runs/cancel with action rollback: every active run of the thread.
    auto writer = client.post("/runs", R"({"agent_name":"echo","task":"t","thread_id":")" + thread +
                                           R"(","context":{"action":"block_until_cancelled","write_first":{"c":4}}})");
    std::string writer_id = string_member(json_of(writer), "run_id");
    REQUIRE(poll_until([&] { return thread_values(client, thread).HasMember("c"); }, 10000ms, 20ms));
    error_envelope(client.post("/runs/cancel", R"({"thread_id":")" + thread + R"(","action":"undo"})"), 422,
                   "ValidationError");
    auto bulk = json_of(client.post("/runs/cancel", R"({"thread_id":")" + thread + R"(","action":"rollback"})"));
    REQUIRE(bulk["runs"].Size() == 1);
    CHECK(string_member(bulk["runs"][0], "run_id") == writer_id);
    CHECK(poll_until([&] { return client.get("/runs/" + writer_id).status == 404; }, 10000ms, 20ms));
    CHECK_FALSE(thread_values(client, thread).HasMember("c"));
    CHECK(thread_values(client, thread)["a"].GetInt() == 1);
}

// multitask_strategy rollback: the active run is cancelled and deleted with
// its memory writes before the new run starts (which reads none of them).
inline void rollback_strategy(HttpClient& client, const std::string& prefix) {
    std::string thread = prefix + "-mts";
    make_thread(client, thread);
    auto first = client.post("/runs", R"({"agent_name":"echo","task":"t","thread_id":")" + thread +
                                          R"(","context":{"action":"block_until_cancelled","write_first":{"draft":"x"}}})");
    REQUIRE(first.status == 202);
    std::string first_id = string_member(json_of(first), "run_id");
    REQUIRE(poll_until([&] { return thread_values(client, thread).HasMember("draft"); }, 10000ms, 20ms));
    auto second = client.post("/runs/wait", R"({"agent_name":"echo","task":"t","thread_id":")" + thread +
                                                R"(","multitask_strategy":"rollback","context":{"action":"remember","read":["draft"]}})");
    INFO(second.body);
    REQUIRE(second.status == 200);
    auto run = json_of(second);
    CHECK(string_member(run, "status") == "succeeded");
    CHECK(run["result"]["memory"]["draft"].IsNull());
    CHECK(poll_until([&] { return client.get("/runs/" + first_id).status == 404; }, 5000ms, 20ms));
    CHECK_FALSE(thread_values(client, thread).HasMember("draft"));
}

// POST /runs/batch: 500 runs in one request, two of them refused on their own.
inline void batch_of_500(HttpClient& client, const std::string& prefix) {
    std::string body = "[";
    for (int i = 0; i < 500; ++i) {
        if (i > 0) body += ",";
        if (i == 7) body += R"({"agent_name":"no_such_agent","task":"t"})";
        else if (i == 11) body += R"({"agent_name":"echo"})";  // no task
        else body += R"({"agent_name":"echo","task":"batch )" + std::to_string(i) + R"(","thread_id":")" + prefix +
                     "-batch-" + std::to_string(i % 50) + R"("})";
    }
    body += "]";
    auto started = std::chrono::steady_clock::now();
    auto answer = client.post("/runs/batch", body);
    auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    WARN("POST /runs/batch of 500 answered in " << took.count() << " ms");
    INFO(answer.body.substr(0, 2000));
    REQUIRE(answer.status == 200);
    auto batch = json_of(answer);
    CHECK(batch["accepted"].GetInt() == 498);
    CHECK(batch["rejected"].GetInt() == 2);
    REQUIRE(batch["results"].Size() == 500);
    CHECK(batch["results"][7]["status"].GetInt() == 404);
    CHECK(string_member(batch["results"][7]["error"], "error") == "AgentNotFound");
    CHECK(batch["results"][11]["status"].GetInt() == 422);
    CHECK(string_member(batch["results"][11]["error"], "error") == "ValidationError");
    std::set<std::string> ids;
    for (rapidjson::SizeType i = 0; i < 500; ++i) {
        const auto& result = batch["results"][i];
        CHECK(result["index"].GetInt() == static_cast<int>(i));
        if (result["status"].GetInt() == 202) ids.insert(string_member(result["run"], "run_id"));
    }
    CHECK(ids.size() == 498);
    // Runs of one batch on one thread queue behind each other, as separate
    // requests would: the first of thread 0 is item 0, the next item 50.
    CHECK(string_member(batch["results"][50]["run"], "status") == "blocked");
    CHECK(string_member(batch["results"][499]["run"], "status") == "blocked");
    // Every run is stored and runs (10 per thread, enqueued one after another).
    CHECK(poll_until(
        [&] {
            auto statuses = list_run_statuses(client);
            size_t done = 0;
            for (const auto& id : ids) done += statuses.count(id) != 0 && statuses[id] == "succeeded" ? 1 : 0;
            return done == ids.size();
        },
        60000ms, 200ms));
    error_envelope(client.post("/runs/batch", "[]"), 422, "ValidationError");
    error_envelope(client.post("/runs/batch", R"({"agent_name":"echo","task":"t"})"), 422, "ValidationError");
    error_envelope(client.post("/runs/batch", "[1,2"), 400, "InvalidJSON");
    std::string too_many = "[";
    for (int i = 0; i < 1001; ++i) too_many += std::string(i ? "," : "") + "{}";
    error_envelope(client.post("/runs/batch", too_many + "]"), 422, "ValidationError");
}

// A cron that ticks every second, on a thread: one run per tick.
inline std::string every_second_cron(HttpClient& client, const std::string& thread) {
    make_thread(client, thread);
    auto made = client.post("/threads/" + thread + "/runs/crons",
                            R"({"agent_name":"echo","task":"tick","schedule":"@every 1s"})");
    INFO(made.body);
    REQUIRE(made.status == 201);
    auto cron = json_of(made);
    CHECK(made.header("location") == "/runs/crons/" + string_member(cron, "cron_id"));
    CHECK(string_member(cron, "thread_id") == thread);
    return string_member(cron, "cron_id");
}

// The runs of `thread` and the distinct seconds they were created in.
inline std::pair<size_t, size_t> runs_and_seconds(HttpClient& client, const std::string& thread) {
    auto page = json_of(client.get("/runs?thread_id=" + thread + "&limit=500"));
    std::set<long long> seconds;
    for (const auto& run : page["runs"].GetArray()) seconds.insert(epoch_ms_of(string_member(run, "created_at")) / 1000);
    return {page["runs"].Size(), seconds.size()};
}

}  // namespace agenthost::testing::scenarios
