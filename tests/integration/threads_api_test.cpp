// Threads as a resource through a real host on SQLite: create, read (with
// status, metadata, memory and runs), search, delete; the memory as
// checkpoints (state now and at a checkpoint, writes by people, history,
// forks); hostile input; tenancy and the recorded actor with auth on.
#include "sanitizer_build.hpp"
#include "test_host.hpp"

#include <atomic>
#include <chrono>
#include <set>
#include <thread>
#include <vector>

#include <unistd.h>

using namespace agenthost::testing;
using namespace std::chrono_literals;
using Catch::Matchers::Contains;

namespace {

HostProcess& host() {
    static HostProcess instance(host_config(R"({"echo":{"enabled":true}})"), {"--workers", "2"});
    return instance;
}

// A thread id no other test (or earlier run of this one) uses.
std::string fresh(const std::string& prefix) {
    static std::atomic<int> counter{0};
    return prefix + "-" + std::to_string(getpid()) + "-" + std::to_string(++counter);
}

rapidjson::Document created_thread(HttpClient& client, const std::string& body, long status = 201) {
    auto answer = client.post("/threads", body);
    INFO(answer.body);
    REQUIRE(answer.status == status);
    return json_of(answer);
}

// Runs echo on `thread` with `context_json` and waits for it to end.
rapidjson::Document run_on(HttpClient& client, const std::string& thread, const std::string& context_json) {
    auto answer = client.post("/runs/wait", R"({"agent_name":"echo","task":"t","thread_id":")" + thread +
                                                R"(","context":)" + context_json + "}");
    INFO(answer.body);
    REQUIRE(answer.status == 200);
    return json_of(answer);
}

std::string thread_status(HttpClient& client, const std::string& thread) {
    return string_member(json_of(client.get("/threads/" + thread)), "status");
}

bool reaches_status(HttpClient& client, const std::string& thread, const std::string& wanted) {
    return poll_until([&] { return thread_status(client, thread) == wanted; }, 10000ms, 20ms);
}

rapidjson::Document state_of(HttpClient& client, const std::string& thread, const std::string& query = "") {
    auto answer = client.get("/threads/" + thread + "/state" + query);
    INFO(answer.body);
    REQUIRE(answer.status == 200);
    return json_of(answer);
}

long long write_state(HttpClient& client, const std::string& thread, const std::string& values_json) {
    auto answer = client.post("/threads/" + thread + "/state", R"({"values":)" + values_json + "}");
    INFO(answer.body);
    REQUIRE(answer.status == 200);
    return json_of(answer)["checkpoint_id"].GetInt64();
}

std::vector<std::string> keys_of(const rapidjson::Value& array) {
    std::vector<std::string> keys;
    for (const auto& key : array.GetArray()) keys.emplace_back(key.GetString());
    return keys;
}

}  // namespace

TEST_CASE("POST /threads creates a thread; if_exists raises or answers it; GET /threads/{id} is the thread with its runs",
          "[threads]") {
    HttpClient client(host().base_url());
    // No body at all: a new id, idle, empty.
    auto anonymous = client.post("/threads", "");
    INFO(anonymous.body);
    REQUIRE(anonymous.status == 201);
    auto made = json_of(anonymous);
    std::string uuid = made["thread_id"].GetString();
    CHECK(uuid.size() == 36);
    CHECK(anonymous.header("location") == "/threads/" + uuid);
    CHECK(string_member(made, "status") == "idle");
    CHECK(made["metadata"].ObjectEmpty());
    CHECK(made["values"].ObjectEmpty());
    CHECK(made["checkpoint_id"].GetInt64() == 0);
    CHECK_FALSE(string_member(made, "created_at").empty());

    std::string id = fresh("t-create");
    auto first = created_thread(client, R"({"thread_id":")" + id + R"(","metadata":{"owner":"ana","tier":2}})");
    CHECK(string_member(first["metadata"], "owner") == "ana");
    error_envelope(client.post("/threads", R"({"thread_id":")" + id + "\"}"), 409, "ThreadExists");
    error_envelope(client.post("/threads", R"({"thread_id":")" + id + R"(","if_exists":"raise"})"), 409, "ThreadExists");
    // do_nothing answers the thread as it is: the first metadata stays.
    auto again = created_thread(client, R"({"thread_id":")" + id + R"(","if_exists":"do_nothing","metadata":{"owner":"bo"}})",
                                200);
    CHECK(string_member(again["metadata"], "owner") == "ana");

    auto empty = json_of(client.get("/threads/" + id));
    CHECK(string_member(empty, "thread_id") == id);
    CHECK(empty["runs"].Empty());
    CHECK(empty["next_cursor"].IsNull());
    CHECK(empty["metadata"]["tier"].GetInt() == 2);

    // A run on it: listed with the thread, and its memory write is the
    // thread's first checkpoint.
    auto run = run_on(client, id, R"({"action":"none"})");
    auto thread = json_of(client.get("/threads/" + id));
    REQUIRE(thread["runs"].Size() == 1);
    CHECK(string_member(thread["runs"][0], "run_id") == string_member(run, "run_id"));
    CHECK(thread["values"]["echo_count"].GetInt() == 1);
    CHECK(thread["checkpoint_id"].GetInt64() == 1);
    CHECK(string_member(thread, "status") == "idle");
    CHECK(string_member(thread, "updated_at") >= string_member(thread, "created_at"));

    // A thread made by runs alone (the way threads always began) is a thread too.
    std::string implicit = fresh("t-implicit");
    run_on(client, implicit, R"({"action":"none"})");
    auto from_runs = json_of(client.get("/threads/" + implicit));
    CHECK(from_runs["runs"].Size() == 1);
    CHECK(from_runs["metadata"].ObjectEmpty());
    CHECK(from_runs["values"]["echo_count"].GetInt() == 1);

    error_envelope(client.get("/threads/never-used-thread"), 404, "ThreadNotFound");
    error_envelope(client.get("/threads/bad%20id%3F"), 404, "ThreadNotFound");
}

TEST_CASE("POST /threads refuses malformed and oversized input in the error envelope", "[threads][hostile]") {
    HttpClient client(host().base_url());
    error_envelope(client.post("/threads", "{"), 400, "InvalidJSON");
    error_envelope(client.post("/threads", R"({"metadata":"owner=ana"})"), 422, "ValidationError");
    error_envelope(client.post("/threads", R"({"metadata":[1,2]})"), 422, "ValidationError");
    error_envelope(client.post("/threads", R"({"thread_id":"no spaces allowed"})"), 422, "ValidationError");
    error_envelope(client.post("/threads", R"({"thread_id":")" + std::string(129, 'a') + "\"}"), 422, "ValidationError");
    error_envelope(client.post("/threads", R"({"if_exists":"maybe"})"), 422, "ValidationError");
    error_envelope(client.post("/threads", R"({"unknown":1})"), 422, "ValidationError");
    error_envelope(client.post("/threads", "[]"), 422, "ValidationError");
    error_envelope(client.post("/threads", "{}", {"Content-Type: text/plain"}), 415, "UnsupportedMediaType");
    // Metadata over 64 KiB is refused, naming the field.
    std::string huge = R"({"metadata":{"blob":")" + std::string(70 * 1024, 'x') + "\"}}";
    auto refused = error_envelope(client.post("/threads", huge), 422, "ValidationError");
    CHECK(string_member(refused["details"][0], "field") == "/metadata");
    // Nothing was made by any of them.
    auto listed = json_of(client.post("/threads/search", R"({"metadata":{"blob":"x"}})"));
    CHECK(listed["threads"].Empty());
}

TEST_CASE("a thread's status follows its runs: busy, interrupted, error, idle", "[threads]") {
    HttpClient client(host().base_url());
    std::string id = fresh("t-status");
    created_thread(client, R"({"thread_id":")" + id + "\"}");
    CHECK(thread_status(client, id) == "idle");

    auto sleeping = client.post("/runs", R"({"agent_name":"echo","task":"t","thread_id":")" + id +
                                             R"(","context":{"action":"sleep","ms":)" +
                                             std::to_string(slow_build_ms(1500)) + "}}");
    REQUIRE(sleeping.status == 202);
    CHECK(thread_status(client, id) == "busy");
    CHECK(reaches_status(client, id, "idle"));

    auto failing = client.post("/runs/wait", R"({"agent_name":"echo","task":"t","thread_id":")" + id +
                                                 R"(","context":{"action":"fail"}})");
    CHECK(failing.status == 200);
    CHECK(thread_status(client, id) == "error");

    auto waiting = client.post("/runs", R"({"agent_name":"echo","task":"t","require_approval":true,"thread_id":")" + id +
                                            "\"}");
    REQUIRE(waiting.status == 202);
    std::string run_id = json_of(waiting)["run_id"].GetString();
    CHECK(reaches_status(client, id, "interrupted"));
    // Search finds it by status.
    auto interrupted = json_of(client.post("/threads/search", R"({"status":"interrupted","limit":1000})"));
    std::set<std::string> ids;
    for (const auto& thread : interrupted["threads"].GetArray()) ids.insert(string_member(thread, "thread_id"));
    CHECK(ids.count(id) == 1);
    // Cancelled: nothing active, the last run did not fail.
    CHECK(client.post("/runs/" + run_id + "/cancel", "").status == 200);
    CHECK(thread_status(client, id) == "idle");
}

TEST_CASE("POST /threads/search filters by metadata and status and pages with a cursor", "[threads]") {
    HttpClient client(host().base_url());
    std::string suite = fresh("suite");
    std::vector<std::string> made;
    for (int i = 0; i < 5; ++i) {
        std::string id = fresh("t-search");
        made.push_back(id);
        created_thread(client, R"({"thread_id":")" + id + R"(","metadata":{"suite":")" + suite + R"(","n":)" +
                                   std::to_string(i) + R"(,"team":")" + (i % 2 == 0 ? "red" : "blue") +
                                   R"(","nested":{"a":1,"b":[1,2]}}})");
        std::this_thread::sleep_for(2ms);  // distinct creation times: a stable newest-first order
    }
    std::string filter = R"("metadata":{"suite":")" + suite + "\"}";
    std::vector<std::string> seen;
    std::string cursor;
    int pages = 0;
    do {
        std::string body = "{" + filter + R"(,"limit":2)" + (cursor.empty() ? "" : R"(,"cursor":")" + cursor + "\"") + "}";
        auto page = json_of(client.post("/threads/search", body));
        ++pages;
        CHECK(page["threads"].Size() <= 2);
        for (const auto& thread : page["threads"].GetArray()) {
            seen.push_back(string_member(thread, "thread_id"));
            CHECK_FALSE(thread.HasMember("values"));
        }
        cursor = page["next_cursor"].IsString() ? page["next_cursor"].GetString() : "";
    } while (!cursor.empty() && pages < 10);
    CHECK(pages == 3);
    // Newest first, each once.
    REQUIRE(seen.size() == 5);
    for (size_t i = 0; i < 5; ++i) CHECK(seen[i] == made[4 - i]);

    auto red = json_of(client.post("/threads/search", R"({"metadata":{"suite":")" + suite + R"(","team":"red"}})"));
    CHECK(red["threads"].Size() == 3);
    // Objects compare as JSON values, whatever their member order.
    auto nested = json_of(client.post("/threads/search", R"({"metadata":{"suite":")" + suite +
                                                             R"(","nested":{"b":[1,2],"a":1}}})"));
    CHECK(nested["threads"].Size() == 5);
    auto none = json_of(client.post("/threads/search", R"({"metadata":{"suite":")" + suite + R"(","n":99}})"));
    CHECK(none["threads"].Empty());
    CHECK(none["next_cursor"].IsNull());

    // Status and metadata together: one of them busy.
    auto sleeping = client.post("/runs", R"({"agent_name":"echo","task":"t","thread_id":")" + made[0] +
                                             R"(","context":{"action":"sleep","ms":)" +
                                             std::to_string(slow_build_ms(1500)) + "}}");
    REQUIRE(sleeping.status == 202);
    auto busy = json_of(client.post("/threads/search", "{" + filter + R"(,"status":"busy"})"));
    REQUIRE(busy["threads"].Size() == 1);
    CHECK(string_member(busy["threads"][0], "thread_id") == made[0]);
    CHECK(string_member(busy["threads"][0], "status") == "busy");
    auto idle = json_of(client.post("/threads/search", "{" + filter + R"(,"status":"idle"})"));
    CHECK(idle["threads"].Size() == 4);

    // An empty body lists everything the caller sees.
    CHECK(client.post("/threads/search", "").status == 200);
    error_envelope(client.post("/threads/search", R"({"status":"sleepy"})"), 422, "ValidationError");
    error_envelope(client.post("/threads/search", R"({"cursor":"not-a-cursor"})"), 422, "ValidationError");
    error_envelope(client.post("/threads/search", R"({"limit":0})"), 422, "ValidationError");
    error_envelope(client.post("/threads/search", R"({"limit":1001})"), 422, "ValidationError");
    error_envelope(client.post("/threads/search", R"({"metadata":"suite"})"), 422, "ValidationError");
    error_envelope(client.post("/threads/search", "{"), 400, "InvalidJSON");
    CHECK(reaches_status(client, made[0], "idle"));
}

TEST_CASE("memory writes are checkpoints: by runs and by people, with history and the state at a checkpoint",
          "[threads][state]") {
    HttpClient client(host().base_url());
    std::string id = fresh("t-memory");
    // Run 1 writes echo_count (checkpoint 1) and plan (checkpoint 2).
    auto first = run_on(client, id, R"({"action":"remember","key":"plan","value":{"step":1}})");
    std::string first_run = string_member(first, "run_id");

    // A person revises the plan and adds a note: one checkpoint, by "api"
    // (auth is off).
    auto written = client.post("/threads/" + id + "/state", R"({"values":{"plan":{"step":2},"note":"by hand"}})");
    INFO(written.body);
    REQUIRE(written.status == 200);
    auto write = json_of(written);
    CHECK(write["checkpoint_id"].GetInt64() == 3);
    CHECK(string_member(write, "actor") == "api");
    CHECK(keys_of(write["keys"]) == std::vector<std::string>{"plan", "note"});

    auto now = state_of(client, id);
    CHECK(now["checkpoint_id"].GetInt64() == 3);
    CHECK(now["values"]["plan"]["step"].GetInt() == 2);
    CHECK(string_member(now["values"], "note") == "by hand");
    CHECK(now["values"]["echo_count"].GetInt() == 1);
    // As it was after checkpoint 2: the run's plan, no note.
    auto before = state_of(client, id, "?checkpoint_id=2");
    CHECK(before["checkpoint_id"].GetInt64() == 2);
    CHECK(before["values"]["plan"]["step"].GetInt() == 1);
    CHECK_FALSE(before["values"].HasMember("note"));
    auto at_one = state_of(client, id, "?checkpoint_id=1");
    CHECK(at_one["values"].MemberCount() == 1);
    error_envelope(client.get("/threads/" + id + "/state?checkpoint_id=99"), 404, "CheckpointNotFound");
    error_envelope(client.get("/threads/" + id + "/state?checkpoint_id=0"), 422, "ValidationError");
    error_envelope(client.get("/threads/" + id + "/state?checkpoint_id=abc"), 422, "ValidationError");

    // The next run reads what the person wrote.
    auto second = run_on(client, id, R"({"action":"remember","read":["plan","note"]})");
    CHECK(second["result"]["memory"]["plan"]["step"].GetInt() == 2);
    CHECK(string_member(second["result"]["memory"], "note") == "by hand");
    std::string second_run = string_member(second, "run_id");

    // History: who wrote which keys, newest first. Run 2 wrote echo_count (4).
    auto history = json_of(client.post("/threads/" + id + "/history", "{}"));
    const auto& checkpoints = history["checkpoints"];
    REQUIRE(checkpoints.Size() == 4);
    CHECK(history["next_before"].IsNull());
    CHECK(checkpoints[0]["checkpoint_id"].GetInt64() == 4);
    CHECK(string_member(checkpoints[0], "run_id") == second_run);
    CHECK(checkpoints[0]["actor"].IsNull());
    CHECK(checkpoints[0]["writes"]["echo_count"].GetInt() == 2);
    CHECK(checkpoints[1]["checkpoint_id"].GetInt64() == 3);
    CHECK(checkpoints[1]["run_id"].IsNull());
    CHECK(string_member(checkpoints[1], "actor") == "api");
    CHECK(keys_of(checkpoints[1]["keys"]) == std::vector<std::string>{"note", "plan"});
    CHECK(checkpoints[1]["writes"]["plan"]["step"].GetInt() == 2);
    CHECK(string_member(checkpoints[2], "run_id") == first_run);
    CHECK(keys_of(checkpoints[2]["keys"]) == std::vector<std::string>{"plan"});
    CHECK(string_member(checkpoints[3], "run_id") == first_run);
    CHECK(keys_of(checkpoints[3]["keys"]) == std::vector<std::string>{"echo_count"});

    // Pages: limit, then before.
    auto page = json_of(client.post("/threads/" + id + "/history", R"({"limit":3})"));
    CHECK(page["checkpoints"].Size() == 3);
    REQUIRE(page["next_before"].IsInt64());
    CHECK(page["next_before"].GetInt64() == 2);
    auto rest = json_of(client.post("/threads/" + id + "/history", R"({"limit":3,"before":2})"));
    REQUIRE(rest["checkpoints"].Size() == 1);
    CHECK(rest["checkpoints"][0]["checkpoint_id"].GetInt64() == 1);
    CHECK(rest["next_before"].IsNull());
    CHECK(client.post("/threads/" + id + "/history", "").status == 200);
    error_envelope(client.post("/threads/" + id + "/history", R"({"limit":0})"), 422, "ValidationError");
    error_envelope(client.post("/threads/" + id + "/history", R"({"before":"x"})"), 422, "ValidationError");
}

TEST_CASE("POST /threads/{id}/state refuses bad writes and unknown threads", "[threads][state][hostile]") {
    HttpClient client(host().base_url());
    std::string id = fresh("t-bad-state");
    created_thread(client, R"({"thread_id":")" + id + "\"}");
    std::string path = "/threads/" + id + "/state";
    error_envelope(client.post(path, "{}"), 422, "ValidationError");
    error_envelope(client.post(path, R"({"values":{}})"), 422, "ValidationError");
    error_envelope(client.post(path, R"({"values":"plan"})"), 422, "ValidationError");
    error_envelope(client.post(path, R"({"values":{"a":1},"extra":true})"), 422, "ValidationError");
    error_envelope(client.post(path, R"({"values":{"":1}})"), 422, "ValidationError");
    error_envelope(client.post(path, R"({"values":{")" + std::string(257, 'k') + R"(":1}})"), 422, "ValidationError");
    std::string many = R"({"values":{)";
    for (int i = 0; i < 257; ++i) many += (i ? "," : "") + std::string("\"k") + std::to_string(i) + "\":" + std::to_string(i);
    error_envelope(client.post(path, many + "}}"), 422, "ValidationError");
    error_envelope(client.post(path, R"({"values":{"a":)"), 400, "InvalidJSON");
    // None of them wrote anything.
    CHECK(state_of(client, id)["checkpoint_id"].GetInt64() == 0);
    error_envelope(client.post("/threads/no-such-thread-here/state", R"({"values":{"a":1}})"), 404, "ThreadNotFound");
    error_envelope(client.get("/threads/no-such-thread-here/state"), 404, "ThreadNotFound");
    error_envelope(client.post("/threads/no-such-thread-here/history", "{}"), 404, "ThreadNotFound");
    error_envelope(client.post("/threads/no-such-thread-here/copy", "{}"), 404, "ThreadNotFound");
    error_envelope(client.request("DELETE", "/threads/no-such-thread-here", "", {}), 404, "ThreadNotFound");
}

TEST_CASE("concurrent state writes to one thread are each recorded as a checkpoint, in order", "[threads][state]") {
    HttpClient setup(host().base_url());
    std::string id = fresh("t-concurrent");
    created_thread(setup, R"({"thread_id":")" + id + "\"}");
    constexpr int kWriters = 8;
    std::vector<long long> numbers(kWriters, -1);
    std::vector<std::thread> writers;
    for (int i = 0; i < kWriters; ++i)
        writers.emplace_back([&, i] {
            HttpClient client(host().base_url());
            auto answer = client.post("/threads/" + id + "/state",
                                      R"({"values":{"shared":)" + std::to_string(i) + R"(,"w)" + std::to_string(i) +
                                          R"(":true}})");
            rapidjson::Document body;
            body.Parse(answer.body.c_str());
            if (answer.status == 200 && body.IsObject()) numbers[i] = body["checkpoint_id"].GetInt64();
        });
    for (auto& writer : writers) writer.join();
    // Every write got its own number, 1 to 8.
    std::set<long long> distinct(numbers.begin(), numbers.end());
    CHECK(distinct == std::set<long long>{1, 2, 3, 4, 5, 6, 7, 8});
    // History lists them in that order, each with its writer's keys; the
    // last one's value of "shared" is the memory's.
    auto history = json_of(setup.post("/threads/" + id + "/history", R"({"limit":100})"));
    REQUIRE(history["checkpoints"].Size() == kWriters);
    int newest_writer = -1;
    for (int i = 0; i < kWriters; ++i) {
        const auto& checkpoint = history["checkpoints"][i];
        long long number = checkpoint["checkpoint_id"].GetInt64();
        CHECK(number == kWriters - i);
        int writer = checkpoint["writes"]["shared"].GetInt();
        CHECK(numbers[writer] == number);
        CHECK(checkpoint["writes"].HasMember(("w" + std::to_string(writer)).c_str()));
        if (i == 0) newest_writer = writer;
    }
    auto state = state_of(setup, id);
    CHECK(state["values"]["shared"].GetInt() == newest_writer);
    CHECK(state["values"].MemberCount() == kWriters + 1);
}

TEST_CASE("POST /threads/{id}/copy forks the memory at a checkpoint, and the fork diverges without touching the original",
          "[threads][copy]") {
    HttpClient client(host().base_url());
    std::string original = fresh("t-original");
    created_thread(client, R"({"thread_id":")" + original + R"(","metadata":{"project":"apollo"}})");
    CHECK(write_state(client, original, R"({"a":1})") == 1);
    CHECK(write_state(client, original, R"({"a":2})") == 2);
    CHECK(write_state(client, original, R"({"b":3})") == 3);

    std::string fork = fresh("t-fork");
    auto copied = client.post("/threads/" + original + "/copy",
                              R"({"checkpoint_id":2,"thread_id":")" + fork + R"(","metadata":{"project":"apollo","fork":true}})");
    INFO(copied.body);
    REQUIRE(copied.status == 201);
    CHECK(copied.header("location") == "/threads/" + fork);
    auto forked = json_of(copied);
    CHECK(string_member(forked, "thread_id") == fork);
    CHECK(forked["checkpoint_id"].GetInt64() == 2);
    CHECK(forked["values"]["a"].GetInt() == 2);
    CHECK_FALSE(forked["values"].HasMember("b"));
    CHECK(forked["metadata"]["fork"].GetBool());

    // The fork goes its own way...
    CHECK(write_state(client, fork, R"({"a":100})") == 3);
    auto fork_run = run_on(client, fork, R"({"action":"remember","read":["a","b"]})");
    CHECK(fork_run["result"]["memory"]["a"].GetInt() == 100);
    CHECK(fork_run["result"]["memory"]["b"].IsNull());
    // ...and the original is as it was.
    auto kept = state_of(client, original);
    CHECK(kept["checkpoint_id"].GetInt64() == 3);
    CHECK(kept["values"]["a"].GetInt() == 2);
    CHECK(kept["values"]["b"].GetInt() == 3);
    CHECK_FALSE(kept["values"].HasMember("echo_count"));
    CHECK(json_of(client.get("/threads/" + original))["runs"].Empty());
    CHECK(json_of(client.post("/threads/" + original + "/history", "{}"))["checkpoints"].Size() == 3);
    // The fork's history: its own writes over the history it was forked from.
    auto fork_history = json_of(client.post("/threads/" + fork + "/history", "{}"));
    REQUIRE(fork_history["checkpoints"].Size() == 4);
    CHECK(fork_history["checkpoints"][0]["checkpoint_id"].GetInt64() == 4);  // the run's echo_count
    CHECK(fork_history["checkpoints"][1]["writes"]["a"].GetInt() == 100);
    CHECK(fork_history["checkpoints"][2]["writes"]["a"].GetInt() == 2);
    CHECK(fork_history["checkpoints"][3]["writes"]["a"].GetInt() == 1);

    // An empty body forks the latest memory under a new id, metadata kept.
    auto latest = client.post("/threads/" + original + "/copy", "");
    REQUIRE(latest.status == 201);
    auto second_fork = json_of(latest);
    CHECK(string_member(second_fork, "thread_id").size() == 36);
    CHECK(second_fork["values"]["b"].GetInt() == 3);
    CHECK(string_member(second_fork["metadata"], "project") == "apollo");

    error_envelope(client.post("/threads/" + original + "/copy", R"({"thread_id":")" + fork + "\"}"), 409, "ThreadExists");
    error_envelope(client.post("/threads/" + original + "/copy", R"({"thread_id":")" + original + "\"}"), 409,
                   "ThreadExists");
    error_envelope(client.post("/threads/" + original + "/copy", R"({"checkpoint_id":4})"), 404, "CheckpointNotFound");
    error_envelope(client.post("/threads/" + original + "/copy", R"({"checkpoint_id":0})"), 422, "ValidationError");
    error_envelope(client.post("/threads/" + original + "/copy", R"({"thread_id":"bad id"})"), 422, "ValidationError");
}

TEST_CASE("DELETE /threads/{id} deletes its runs, events and memory, and is refused while a run is active",
          "[threads][delete]") {
    HttpClient client(host().base_url());
    std::string id = fresh("t-delete");
    auto done = run_on(client, id, R"({"action":"remember","key":"plan","value":1})");
    std::string finished_run = string_member(done, "run_id");
    auto sleeping = client.post("/runs", R"({"agent_name":"echo","task":"t","thread_id":")" + id +
                                             R"(","context":{"action":"sleep","ms":)" +
                                             std::to_string(slow_build_ms(1500)) + "}}");
    REQUIRE(sleeping.status == 202);
    std::string active_run = json_of(sleeping)["run_id"].GetString();
    auto refused = error_envelope(client.request("DELETE", "/threads/" + id, "", {}), 409, "ThreadBusy");
    CHECK_THAT(std::string(refused["message"].GetString()), Contains("cancel"));
    CHECK(client.get("/runs/" + finished_run).status == 200);
    CHECK(reaches_status(client, id, "idle"));

    auto deleted = client.request("DELETE", "/threads/" + id, "", {});
    CHECK(deleted.status == 204);
    CHECK(deleted.body.empty());
    error_envelope(client.get("/threads/" + id), 404, "ThreadNotFound");
    error_envelope(client.get("/threads/" + id + "/state"), 404, "ThreadNotFound");
    for (const std::string& run : {finished_run, active_run}) {
        error_envelope(client.get("/runs/" + run), 404, "RunNotFound");
        error_envelope(client.get("/runs/" + run + "/events"), 404, "RunNotFound");
    }
    error_envelope(client.request("DELETE", "/threads/" + id, "", {}), 404, "ThreadNotFound");
    // The id can be used again, from nothing.
    auto fresh_run = run_on(client, id, R"({"action":"remember","read":["plan"]})");
    CHECK(fresh_run["result"]["thread_run_count"].GetInt() == 1);
    CHECK(fresh_run["result"]["memory"]["plan"].IsNull());
    auto history = json_of(client.post("/threads/" + id + "/history", "{}"));
    CHECK(history["checkpoints"].Size() == 1);
}

namespace {

const std::string kAdminKey = "threads-admin-key-0123456789abcdefghijklmn";

std::vector<std::string> bearer(const std::string& key) { return {"Authorization: Bearer " + key}; }

HostProcess& auth_host() {
    static HostProcess* instance = [] {
        setenv("AGENTHOST_ADMIN_KEY", kAdminKey.c_str(), 1);
        auto* host = new HostProcess(host_config(R"({"echo":{"enabled":true}})", R"("auth":{"mode":"required"})"));
        unsetenv("AGENTHOST_ADMIN_KEY");
        return host;
    }();
    return *instance;
}

std::string create_key(HttpClient& client, const std::string& body) {
    auto result = client.post("/admin/keys", body, bearer(kAdminKey));
    INFO(result.body);
    REQUIRE(result.status == 201);
    return json_of(result)["key"].GetString();
}

}  // namespace

TEST_CASE("with auth on, threads are their tenant's and a state write records the key's name",
          "[threads][auth]") {
    HttpClient client(auth_host().base_url());
    auto acme = bearer(create_key(client, R"({"name":"ana-at-acme","scopes":["read","invoke","cancel"],"tenant":"acme"})"));
    auto globex = bearer(create_key(client, R"({"name":"globex-bot","scopes":["read","invoke","cancel"],"tenant":"globex"})"));
    auto reader = bearer(create_key(client, R"({"name":"acme-reader","scopes":["read"],"tenant":"acme"})"));
    std::string id = fresh("t-auth");
    auto made = client.post("/threads", R"({"thread_id":")" + id + R"(","metadata":{"tag":")" + id + "\"}}", acme);
    REQUIRE(made.status == 201);
    auto written = client.post("/threads/" + id + "/state", R"({"values":{"plan":"ship it"}})", acme);
    REQUIRE(written.status == 200);
    CHECK(string_member(json_of(written), "actor") == "ana-at-acme");
    auto history = json_of(client.post("/threads/" + id + "/history", "{}", reader));
    REQUIRE(history["checkpoints"].Size() == 1);
    CHECK(string_member(history["checkpoints"][0], "actor") == "ana-at-acme");

    // Another tenant: the thread is not there, whatever it tries.
    error_envelope(client.get("/threads/" + id, globex), 404, "ThreadNotFound");
    error_envelope(client.get("/threads/" + id + "/state", globex), 404, "ThreadNotFound");
    error_envelope(client.post("/threads/" + id + "/state", R"({"values":{"plan":"x"}})", globex), 404, "ThreadNotFound");
    error_envelope(client.post("/threads/" + id + "/history", "{}", globex), 404, "ThreadNotFound");
    error_envelope(client.post("/threads/" + id + "/copy", "{}", globex), 404, "ThreadNotFound");
    error_envelope(client.request("DELETE", "/threads/" + id, "", globex), 404, "ThreadNotFound");
    // A run may not join it, though no run has used it yet.
    error_envelope(client.post("/runs", R"({"agent_name":"echo","task":"t","thread_id":")" + id + "\"}", globex), 404,
                   "ThreadNotFound");
    // Its id is taken all the same.
    error_envelope(client.post("/threads", R"({"thread_id":")" + id + R"(","if_exists":"do_nothing"})", globex), 409,
                   "ThreadExists");
    auto search = R"({"metadata":{"tag":")" + id + "\"}}";
    CHECK(json_of(client.post("/threads/search", search, globex))["threads"].Empty());
    CHECK(json_of(client.post("/threads/search", search, reader))["threads"].Size() == 1);
    CHECK(json_of(client.post("/threads/search", search, bearer(kAdminKey)))["threads"].Size() == 1);
    CHECK(string_member(json_of(client.get("/threads/" + id + "/state", bearer(kAdminKey)))["values"], "plan") ==
          "ship it");

    // Scopes: reading is `read`; writing `invoke`; deleting `cancel`.
    error_envelope(client.post("/threads", "{}", reader), 403, "Forbidden");
    error_envelope(client.post("/threads/" + id + "/state", R"({"values":{"a":1}})", reader), 403, "Forbidden");
    error_envelope(client.post("/threads/" + id + "/copy", "{}", reader), 403, "Forbidden");
    error_envelope(client.request("DELETE", "/threads/" + id, "", reader), 403, "Forbidden");
    CHECK(client.request("DELETE", "/threads/" + id, "", acme).status == 204);
}
