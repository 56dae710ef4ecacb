// Two hosts on one PostgreSQL database: a run whose host dies is taken over
// once its lease runs out, and shared work runs exactly once.
#include "run_options_scenarios.hpp"
#include "sse_client.hpp"
#include "test_host.hpp"

#include <map>
#include <set>
#include <vector>

using namespace agenthost::testing;
using Catch::Matchers::Contains;
using namespace std::chrono_literals;

namespace {

const bool kHavePostgres = exit_77_without_postgres();

const char* kEchoOnly = R"({"echo":{"enabled":true}})";

std::vector<std::string> on_database(const TestDatabase& database, std::vector<std::string> args) {
    args.push_back("--database-url");
    args.push_back(database.url());
    return args;
}

// The host id a host logged when it started listening (the log is flushed
// about once a second, so wait for it).
std::string host_id_of(const HostProcess& host) {
    std::string id;
    poll_until([&] { return !(id = log_field(host.log(), "host_id")).empty(); }, std::chrono::milliseconds(5000));
    return id;
}

// The "host" field of each run.started event, in order.
std::vector<std::string> started_hosts(const std::vector<RunEventView>& events) {
    std::vector<std::string> hosts;
    for (const auto& event : events) {
        if (event.type != "run.started") continue;
        rapidjson::Document data;
        data.Parse(event.data_json.c_str());
        hosts.push_back(data.HasParseError() ? "" : string_member(data, "host"));
    }
    return hosts;
}

}  // namespace

TEST_CASE("a run whose host is killed is taken over by the other host after its lease expires") {
    TestDatabase database;
    const std::string config = host_config(kEchoOnly);
    HostProcess a(config, on_database(database, {"--lease-ms", "1000"}));
    HttpClient client_a(a.base_url());
    // Long enough to outlast B's start, which takes seconds in a sanitizer build.
    auto created = client_a.post("/runs", run_request("echo", "long", R"({"action":"sleep","ms":8000})"));
    REQUIRE(created.status == 202);
    std::string run_id = string_member(json_of(created), "run_id");
    // Started for real: its start, and so its attempt, is recorded.
    REQUIRE(poll_until([&] { return count_events(fetch_events(client_a, run_id), "run.started") == 1; }, 5000ms, 10ms));

    HostProcess b(config, on_database(database, {"--lease-ms", "1000"}));
    HttpClient client_b(b.base_url());
    // Still A's: B must not take a run whose lease is being renewed.
    CHECK(run_status_of(client_b, run_id) == "running");
    REQUIRE(kill_host(a));

    // Lease (1 s) + a maintenance tick + the 8 s run, with room to spare.
    REQUIRE(poll_until([&] { return run_status_of(client_b, run_id) == "succeeded"; }, 30000ms, 50ms));
    auto run = fetch_run(client_b, run_id);
    REQUIRE(run.IsObject());
    CHECK(run["attempts"].GetInt() == 2);
    auto events = fetch_events(client_b, run_id);
    std::string types;
    for (const auto& event : events) types += event.type + " ";
    INFO("events: " << types);
    CHECK(count_events(events, "run.succeeded") == 1);
    CHECK(count_events(events, "run.requeued") == 1);
    CHECK(count_events(events, "run.failed") == 0);
    // The last start, the one that finished, was B's.
    auto hosts = started_hosts(events);
    REQUIRE_FALSE(hosts.empty());
    CHECK(hosts.back() == host_id_of(b));
    CHECK_THAT(b.log(), Contains("run taken over from a host that stopped"));
}

TEST_CASE("two hosts on one database run shared work exactly once and both take part") {
    TestDatabase database;
    const std::string config = host_config(kEchoOnly);
    HostProcess a(config, on_database(database, {}));
    HostProcess b(config, on_database(database, {}));
    const std::string id_a = host_id_of(a), id_b = host_id_of(b);
    REQUIRE_FALSE(id_a.empty());
    REQUIRE_FALSE(id_b.empty());
    CHECK(id_a != id_b);

    HttpClient client_a(a.base_url()), client_b(b.base_url());
    std::vector<std::string> ids;
    for (int i = 0; i < 100; ++i) {
        HttpClient& client = i % 2 == 0 ? client_a : client_b;
        auto created = client.post("/runs", run_request("echo", "shared-" + std::to_string(i),
                                                       R"({"action":"sleep","ms":20})"));
        INFO("body: " << created.body);
        REQUIRE(created.status == 202);
        ids.push_back(string_member(json_of(created), "run_id"));
    }

    std::map<std::string, std::string> statuses;
    bool settled = poll_until(
        [&] {
            statuses = list_run_statuses(client_a, "echo");
            if (statuses.size() < ids.size()) return false;
            for (const auto& [id, status] : statuses)
                if (status != "succeeded") return false;
            return true;
        },
        20000ms, 100ms);
    CHECK(settled);
    CHECK(statuses.size() == ids.size());

    std::map<std::string, int> executed_by;
    for (size_t i = 0; i < ids.size(); ++i) {
        const std::string& id = ids[i];
        INFO("run " << id);
        HttpClient& client = i % 2 == 0 ? client_b : client_a;  // read through the other host
        auto run = fetch_run(client, id);
        REQUIRE(run.IsObject());
        CHECK(string_member(run, "status") == "succeeded");
        CHECK(run["attempts"].GetInt() == 1);
        auto events = fetch_events(client, id);
        CHECK(count_events(events, "run.succeeded") == 1);
        auto hosts = started_hosts(events);
        CHECK(hosts.size() == 1);
        for (const auto& host : hosts) ++executed_by[host];
    }
    INFO("runs executed by A: " << executed_by[id_a] << ", by B: " << executed_by[id_b]);
    CHECK(executed_by[id_a] > 0);
    CHECK(executed_by[id_b] > 0);
    CHECK(executed_by[id_a] + executed_by[id_b] == 100);
}

TEST_CASE("a client streaming from one host sees, live, the events of a run executing on another") {
    TestDatabase database;
    // Only A has the echo agent, so only A can execute echo runs; B serves
    // the stream from the shared event log.
    HostProcess a(host_config(kEchoOnly, R"("streaming":{"poll_ms":50})"), on_database(database, {}));
    HostProcess b(host_config(R"({"thrower":{"enabled":true}})", R"("streaming":{"poll_ms":50})"),
                  on_database(database, {}));
    HttpClient client_a(a.base_url());
    auto created = client_a.post(
        "/runs", run_request("echo", "chatter across hosts", R"({"action":"chatter","count":15,"ms":100})"));
    REQUIRE(created.status == 202);
    std::string run_id = string_member(json_of(created), "run_id");

    SseClient stream(b.port(), "GET", "/runs/" + run_id + "/stream");
    // Frames arrive while the run is still going on A, not all at the end.
    REQUIRE(stream.read_frames(4, 10s));
    HttpClient client_b(b.base_url());
    CHECK(run_status_of(client_b, run_id) == "running");
    REQUIRE(stream.read_to_end(15s));
    const auto& frames = stream.frames();
    REQUIRE(frames.size() >= 19);  // queued, started, 15 steps, echoing, succeeded, done
    for (size_t i = 0; i + 1 < frames.size(); ++i) CHECK(frames[i].id == std::to_string(i + 1));
    CHECK(frames.back().event == "done");
    CHECK(frames.back().data == R"({"status":"complete"})");
    std::vector<RunEventView> events = fetch_events(client_b, run_id);
    std::vector<std::string> hosts = started_hosts(events);
    REQUIRE(hosts.size() == 1);
    CHECK(hosts[0] == host_id_of(a));
}

TEST_CASE("runs enqueued on one thread through two hosts all run, one after another", "[multitask]") {
    TestDatabase database;
    HostProcess a(host_config(kEchoOnly), on_database(database, {"--workers", "4"}));
    HostProcess b(host_config(kEchoOnly), on_database(database, {"--workers", "4"}));
    HttpClient client_a(a.base_url()), client_b(b.base_url());
    // Short runs submitted through both hosts at once race completions
    // against new dependencies; none may be left blocked.
    std::vector<std::string> ids;
    for (int i = 0; i < 40; ++i) {
        HttpClient& client = i % 2 == 0 ? client_a : client_b;
        auto created = client.post("/runs", R"({"agent_name":"echo","task":"in turn","thread_id":"shared-thread"})");
        INFO("body: " << created.body);
        REQUIRE(created.status == 202);
        ids.push_back(string_member(json_of(created), "run_id"));
    }
    bool settled = poll_until(
        [&] {
            for (const auto& id : ids)
                if (run_status_of(client_a, id) != "succeeded") return false;
            return true;
        },
        30000ms, 100ms);
    REQUIRE(settled);
    // One at a time: each started after the one before it finished, and the
    // thread's memory counted every run once.
    // A claim reads the clock as it begins, which can be a moment before the
    // commit that released its run (by under a millisecond normally; more
    // in a slow sanitizer build): the timestamps may overlap by that much.
    // That the runs really ran one at a time is what the counts show.
    std::set<int> counts;
    long long previous_finish = 0;
    for (const auto& id : ids) {
        auto run = fetch_run(client_a, id);
        counts.insert(run["result"]["thread_run_count"].GetInt());
        long long started = scenarios::epoch_ms_of(string_member(run, "started_at"));
        if (previous_finish > 0) CHECK(started >= previous_finish - 50);
        previous_finish = scenarios::epoch_ms_of(string_member(run, "finished_at"));
    }
    CHECK(counts.size() == ids.size());
}
