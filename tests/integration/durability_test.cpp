// Runs survive the host: SQLite durability across SIGKILL and restart, and
// one host per data directory.
#include "sanitizer_build.hpp"
#include "test_host.hpp"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

using namespace agenthost::testing;
using Catch::Matchers::Contains;
using namespace std::chrono_literals;

namespace {

const char* kEchoOnly = R"({"echo":{"enabled":true}})";

// The ids of runs the host lists with `status`.
std::vector<std::string> runs_with_status(HttpClient& client, const std::string& status) {
    std::vector<std::string> ids;
    auto result = client.get("/runs?status=" + status + "&limit=500");
    if (result.status != 200) return ids;
    rapidjson::Document body;
    body.Parse(result.body.c_str());
    if (body.HasParseError() || !body.IsObject()) return ids;
    for (const auto& run : body["runs"].GetArray()) ids.push_back(string_member(run, "run_id"));
    return ids;
}

// Waits until every echo run the host lists has succeeded; `statuses`
// holds the last listing (run id -> status) either way.
bool all_echo_runs_succeed(HttpClient& client, std::map<std::string, std::string>& statuses,
                           std::chrono::milliseconds deadline) {
    return poll_until(
        [&] {
            statuses = list_run_statuses(client, "echo");
            for (const auto& [id, status] : statuses)
                if (status != "succeeded") return false;
            return true;
        },
        deadline, 100ms);
}

}  // namespace

TEST_CASE("every acknowledged run survives SIGKILL and finishes after a restart") {
    DataDir dir;
    const std::string config = host_config(kEchoOnly);
    const std::string sleep_context = R"({"action":"sleep","ms":150})";
    const int kSubmitters = 3, kPerSubmitter = 20;

    std::mutex mutex;
    std::vector<std::string> acknowledged;        // every run id answered 202
    std::vector<std::string> unexpected_answers;  // answers other than 202 or a dead connection
    std::vector<std::string> seen_running;        // running just before the kill
    std::atomic<int> acks{0};
    {
        HostProcess first(config, with_data_dir(dir, {"--workers", "2"}));
        std::vector<std::thread> submitters;
        for (int s = 0; s < kSubmitters; ++s) {
            submitters.emplace_back([&, s] {
                HttpClient client(first.base_url());
                for (int i = 0; i < kPerSubmitter; ++i) {
                    std::string task = "burst-" + std::to_string(s) + "-" + std::to_string(i);
                    auto result = client.post("/runs", run_request("echo", task, sleep_context));
                    if (result.status == 0) return;  // the host is gone
                    rapidjson::Document body;
                    body.Parse(result.body.c_str());
                    std::lock_guard<std::mutex> lock(mutex);
                    if (result.status == 202 && !body.HasParseError() && body.IsObject() &&
                        (string_member(body, "status") == "queued" || string_member(body, "status") == "running")) {
                        acknowledged.push_back(string_member(body, "run_id"));
                        ++acks;
                    } else {
                        unexpected_answers.push_back(std::to_string(result.status) + " " + result.body);
                    }
                }
            });
        }
        // Kill mid-burst, once some runs are running and others wait.
        HttpClient watcher(first.base_url());
        bool ready = poll_until(
            [&] {
                if (acks.load() < 40) return false;
                seen_running = runs_with_status(watcher, "running");
                // Waiting runs are queued in the store or claimed ahead by
                // the host (running, beyond its two workers).
                return !seen_running.empty() &&
                       (seen_running.size() > 2 || !runs_with_status(watcher, "queued").empty());
            },
            10000ms, 5ms);
        // Right away, before a 150 ms run can finish.
        bool killed = kill_host(first);
        for (auto& thread : submitters) thread.join();
        REQUIRE(ready);
        REQUIRE(killed);
    }
    INFO("acknowledged before the kill: " << acknowledged.size());
    CHECK(unexpected_answers.empty());
    REQUIRE(acknowledged.size() >= 40);

    HostProcess second(config, with_data_dir(dir, {"--workers", "2"}));
    HttpClient client(second.base_url());
    std::map<std::string, std::string> statuses;
    CHECK(all_echo_runs_succeed(client, statuses, 30000ms));

    std::set<std::string> unique(acknowledged.begin(), acknowledged.end());
    CHECK(unique.size() == acknowledged.size());
    int retried = 0;
    for (const std::string& id : acknowledged) {
        INFO("run " << id);
        REQUIRE(statuses.count(id) == 1);  // not lost
        auto run = fetch_run(client, id);
        REQUIRE(run.IsObject());
        CHECK(string_member(run, "status") == "succeeded");
        auto events = fetch_events(client, id);
        CHECK(count_events(events, "run.succeeded") == 1);
        // Every real start counts one attempt; a run that was running when
        // the host died started twice, one only claimed (waiting for a
        // worker) once.
        CHECK(static_cast<size_t>(run["attempts"].GetInt()) == count_events(events, "run.started"));
        if (count_events(events, "run.requeued") > 0) {
            CHECK(count_events(events, "run.requeued") == 1);
            if (run["attempts"].GetInt() == 2) ++retried;
        } else {
            CHECK(run["attempts"].GetInt() == 1);
        }
    }
    INFO("seen running just before the kill: " << seen_running.size());
    CHECK(retried >= 1);
    CHECK_THAT(second.log(), Contains("run recovered after restart"));
}

// The engine's fast paths (hand-off to a free worker in the accepting
// commit, batched claims that count attempts, the start log) under as much
// load as the test machine gives: whatever was acknowledged is there after
// SIGKILL and ends succeeded exactly once.
TEST_CASE("a crash under full load loses no accepted run") {
    DataDir dir;
    const std::string config = host_config(kEchoOnly);
    const int kSubmitters = 8;
    std::mutex mutex;
    std::vector<std::string> acknowledged;
    std::vector<std::string> unexpected_answers;
    std::atomic<int> acks{0};
    std::atomic<bool> stop{false};
    {
        HostProcess first(config, with_data_dir(dir, {"--workers", "2"}));
        std::vector<std::thread> submitters;
        for (int s = 0; s < kSubmitters; ++s) {
            submitters.emplace_back([&, s] {
                HttpClient client(first.base_url());
                for (int i = 0; !stop.load(); ++i) {
                    auto result = client.post("/runs", run_request("echo", "load-" + std::to_string(s) + "-" + std::to_string(i)));
                    if (result.status == 0) return;  // the host is gone
                    rapidjson::Document body;
                    body.Parse(result.body.c_str());
                    std::lock_guard<std::mutex> lock(mutex);
                    if (result.status == 202 && !body.HasParseError() && body.IsObject()) {
                        acknowledged.push_back(string_member(body, "run_id"));
                        ++acks;
                    } else {
                        unexpected_answers.push_back(std::to_string(result.status) + " " + result.body);
                    }
                }
            });
        }
        REQUIRE(poll_until([&] { return acks.load() >= 300; }, 20000ms, 5ms));
        bool killed = kill_host(first);
        stop = true;
        for (auto& thread : submitters) thread.join();
        REQUIRE(killed);
    }
    CHECK(unexpected_answers.empty());

    HostProcess second(config, with_data_dir(dir, {"--workers", "2"}));
    HttpClient client(second.base_url());
    std::map<std::string, std::string> statuses;
    CHECK(all_echo_runs_succeed(client, statuses, 60000ms));
    INFO("acknowledged before the kill: " << acknowledged.size());
    size_t missing = 0;
    for (const std::string& id : acknowledged)
        if (statuses.count(id) == 0) ++missing;
    CHECK(missing == 0);
    // A sample, each succeeded exactly once within its attempts.
    for (size_t i = 0; i < acknowledged.size(); i += std::max<size_t>(1, acknowledged.size() / 40)) {
        auto run = fetch_run(client, acknowledged[i]);
        REQUIRE(run.IsObject());
        CHECK(string_member(run, "status") == "succeeded");
        CHECK(run["attempts"].GetInt() <= run["max_attempts"].GetInt());
        CHECK(count_events(fetch_events(client, acknowledged[i]), "run.succeeded") == 1);
    }
}

TEST_CASE("with max_attempts 1 a run the host died in fails as abandoned after a restart") {
    DataDir dir;
    const std::string config = host_config(kEchoOnly);
    std::string run_id;
    {
        HostProcess first(config, with_data_dir(dir, {"--max-attempts", "1"}));
        HttpClient client(first.base_url());
        auto created = client.post("/runs", run_request("echo", "doomed", R"({"action":"sleep","ms":5000})"));
        REQUIRE(created.status == 202);
        run_id = string_member(json_of(created), "run_id");
        // Started for real (its start, and so its attempt, is recorded).
        REQUIRE(poll_until([&] { return count_events(fetch_events(client, run_id), "run.started") == 1; }, 5000ms, 10ms));
        REQUIRE(kill_host(first));
    }

    HostProcess second(config, with_data_dir(dir, {}));
    HttpClient client(second.base_url());
    REQUIRE(poll_until([&] { return run_status_of(client, run_id) == "failed"; }, 10000ms));
    auto run = fetch_run(client, run_id);
    REQUIRE(run.IsObject());
    CHECK(string_member(run, "error_type") == "abandoned");
    CHECK_THAT(string_member(run, "error"), Contains("abandoned"));
    CHECK(run["attempts"].GetInt() == 1);
    CHECK(run["max_attempts"].GetInt() == 1);
    auto events = fetch_events(client, run_id);
    CHECK(count_events(events, "run.failed") == 1);
    CHECK(count_events(events, "run.succeeded") == 0);
    CHECK(count_events(events, "run.requeued") == 0);
}

TEST_CASE("a second agenthost on a data directory in use refuses to start") {
    DataDir dir;
    const std::string config = host_config(kEchoOnly);
    HostProcess first(config, with_data_dir(dir, {}));

    auto second = run_host_to_exit(config, with_data_dir(dir, {}), 10000ms);
    INFO("output: " << second.output);
    REQUIRE(second.exited);
    CHECK(second.exit_code != 0);
    CHECK_THAT(second.output, Contains("data directory") && Contains(dir.path) && Contains("in use"));

    // The first host is untouched and still runs work.
    HttpClient client(first.base_url());
    auto created = client.post("/runs", run_request("echo", "still mine"));
    REQUIRE(created.status == 202);
    std::string run_id = string_member(json_of(created), "run_id");
    CHECK(poll_until([&] { return run_status_of(client, run_id) == "succeeded"; }, 10000ms));
}

// A run accepted while every worker of the host is busy, and fewer runs are
// in flight there than a claim would take ahead, is claimed in the commit
// that stores it (no claim statement later): 'running' under the host's
// lease from its 202 on, its attempt counted, and its run.started written
// only once a worker really starts it.
TEST_CASE("a run accepted while the workers are busy is claimed in its accepting commit and starts later") {
    DataDir dir;
    HostProcess host(host_config(kEchoOnly), with_data_dir(dir, {"--workers", "1"}));
    HttpClient client(host.base_url());
    // A first run drains the queue the host starts with, so nothing older
    // waits in the store (which a run accepted now must not overtake).
    auto first = client.post("/runs", run_request("echo", "first"));
    REQUIRE(first.status == 202);
    REQUIRE(poll_until([&] { return run_status_of(client, string_member(json_of(first), "run_id")) == "succeeded"; },
                       10000ms));
    const std::string hold = R"({"action":"sleep","ms":)" + std::to_string(slow_build_ms(3000)) + "}";
    auto sleeper = client.post("/runs", run_request("echo", "holds the worker", hold));
    REQUIRE(sleeper.status == 202);
    std::string sleeper_id = string_member(json_of(sleeper), "run_id");
    REQUIRE(poll_until([&] { return count_events(fetch_events(client, sleeper_id), "run.started") == 1; }, 5000ms));

    auto waiting = client.post("/runs", run_request("echo", "waits for the worker"));
    REQUIRE(waiting.status == 202);
    auto accepted = json_of(waiting);
    CHECK(string_member(accepted, "status") == "running");
    std::string waiting_id = string_member(accepted, "run_id");
    auto stored = fetch_run(client, waiting_id);
    CHECK(string_member(stored, "status") == "running");
    CHECK(stored["attempts"].GetInt() == 1);
    auto events = fetch_events(client, waiting_id);
    CHECK(count_events(events, "run.queued") == 1);
    CHECK(count_events(events, "run.started") == 0);  // its worker is still busy

    REQUIRE(poll_until([&] { return run_status_of(client, waiting_id) == "succeeded"; }, 15000ms));
    events = fetch_events(client, waiting_id);
    CHECK(count_events(events, "run.started") == 1);
    CHECK(fetch_run(client, waiting_id)["attempts"].GetInt() == 1);
    std::vector<long long> seqs;
    for (const auto& event : events) seqs.push_back(event.seq);
    for (size_t i = 0; i < seqs.size(); ++i) CHECK(seqs[i] == static_cast<long long>(i + 1));
}

// An operator's small workers.queue_limit bounds how many runs the host takes
// ahead (claimed, or taken as they are accepted): a run the worker queue
// cannot hold is left queued in the store, never claimed and then dropped
// (which stranded it, 'running' under a lease nobody renewed, until the
// lease ran out and it failed as abandoned with max_attempts 1).
TEST_CASE("a small worker queue limit leaves extra runs queued instead of stranding them") {
    DataDir dir;
    HostProcess host(host_config(kEchoOnly, R"("workers":{"count":1,"queue_limit":2})"),
                     with_data_dir(dir, {"--max-attempts", "1"}));
    HttpClient client(host.base_url());
    std::vector<std::string> ids;
    for (int i = 0; i < 12; ++i) {
        auto created = client.post("/runs", run_request("echo", "run " + std::to_string(i), R"({"action":"sleep","ms":50})"));
        REQUIRE(created.status == 202);
        ids.push_back(string_member(json_of(created), "run_id"));
    }
    // Twelve runs of 50 ms on one worker: well within the lease (15 s), so
    // a stranded run would still be 'running' when this gives up.
    std::map<std::string, std::string> statuses;
    bool all_ended = poll_until(
        [&] {
            for (const std::string& id : ids) statuses[id] = run_status_of(client, id);
            return std::all_of(ids.begin(), ids.end(), [&](const std::string& id) {
                return statuses[id] == "succeeded" || statuses[id] == "failed";
            });
        },
        std::chrono::milliseconds(slow_build_ms(8000)), 50ms);
    for (const std::string& id : ids) {
        INFO("run " << id << " is " << statuses[id]);
        CHECK(statuses[id] == "succeeded");
    }
    CHECK(all_ended);
}

// Runs claimed ahead of free workers count an attempt only when they really
// start: when their host dies before that, they are queued again, never
// failed as 'abandoned' (even with max_attempts 1).
TEST_CASE("a run that never started when its host died is not abandoned") {
    DataDir dir;
    const std::string config = host_config(kEchoOnly);
    std::string executing, waiting;
    {
        HostProcess first(config, with_data_dir(dir, {"--workers", "1", "--max-attempts", "1"}));
        HttpClient client(first.base_url());
        auto one = client.post("/runs", run_request("echo", "executing", R"({"action":"sleep","ms":5000})"));
        auto two = client.post("/runs", run_request("echo", "waiting"));
        REQUIRE(one.status == 202);
        REQUIRE(two.status == 202);
        executing = string_member(json_of(one), "run_id");
        waiting = string_member(json_of(two), "run_id");
        REQUIRE(poll_until([&] { return count_events(fetch_events(client, executing), "run.started") == 1; }, 5000ms));
        // The one worker is busy: the second run waits, in the store or, when
        // claimed ahead, in this host's queue. Either way it has not started.
        poll_until([&] { return run_status_of(client, waiting) == "running"; }, 1000ms, 10ms);
        INFO("the waiting run is " << run_status_of(client, waiting) << " at the kill");
        REQUIRE(count_events(fetch_events(client, waiting), "run.started") == 0);
        REQUIRE(kill_host(first));
    }

    HostProcess second(config, with_data_dir(dir, {"--workers", "1"}));
    HttpClient client(second.base_url());
    REQUIRE(poll_until([&] { return run_status_of(client, executing) == "failed"; }, 10000ms));
    CHECK(string_member(fetch_run(client, executing), "error_type") == "abandoned");

    std::string status;
    poll_until(
        [&] {
            status = run_status_of(client, waiting);
            return status == "succeeded" || status == "failed" || status == "cancelled";
        },
        10000ms);
    auto run = fetch_run(client, waiting);
    REQUIRE(run.IsObject());
    INFO("error: " << string_member(run, "error"));
    CHECK(status == "succeeded");
    CHECK(count_events(fetch_events(client, waiting), "run.started") == 1);
}
