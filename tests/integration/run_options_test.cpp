// Run options (if_not_exists, after_seconds, on_completion, rollback),
// POST /runs/batch and crons through a real host on SQLite. The same
// scenarios run on PostgreSQL in run_options_postgres_test.cpp.
#include "run_options_scenarios.hpp"

using namespace agenthost::testing;
using namespace agenthost::testing::scenarios;

namespace {

HostProcess& host() {
    static HostProcess instance(host_config(R"({"echo":{"enabled":true}})"), {"--workers", "4"});
    return instance;
}

}  // namespace

TEST_CASE("if_not_exists reject refuses a run on a thread that does not exist", "[run-options]") {
    HttpClient client(host().base_url());
    scenarios::if_not_exists(client, "sqlite");
}

TEST_CASE("after_seconds: a delayed run is queued with run_after and starts after it, not before", "[run-options]") {
    HttpClient client(host().base_url());
    delayed_run(client);
}

TEST_CASE("on_completion delete removes the run and its events once it ends", "[run-options]") {
    HttpClient client(host().base_url());
    on_completion_delete(client);
}

TEST_CASE("cancel with action rollback deletes the run and undoes its memory writes", "[run-options]") {
    HttpClient client(host().base_url());
    rollback_cancel(client, "sqlite");
}

TEST_CASE("multitask_strategy rollback: the new run never sees the rolled-back run's writes", "[run-options]") {
    HttpClient client(host().base_url());
    rollback_strategy(client, "sqlite");
}

TEST_CASE("POST /runs/batch stores 500 runs in one request with one answer per run", "[run-options][batch]") {
    HttpClient client(host().base_url());
    batch_of_500(client, "sqlite");
}

TEST_CASE("a delayed run survives a restart of the host and runs after its time", "[run-options][restart]") {
    DataDir dir;
    const std::string config = host_config(R"({"echo":{"enabled":true}})");
    std::string id, run_after;
    {
        HostProcess first(config, with_data_dir(dir));
        HttpClient client(first.base_url());
        auto created = json_of(client.post("/runs", R"({"agent_name":"echo","task":"t","after_seconds":3})"));
        id = string_member(created, "run_id");
        run_after = string_member(created, "run_after");
        REQUIRE(first.stop() == 0);
    }
    HostProcess second(config, with_data_dir(dir));
    HttpClient client(second.base_url());
    check_waiting_for_its_time(client, id, epoch_ms_of(run_after));
    CHECK(string_member(fetch_run(client, id), "run_after") == run_after);
    REQUIRE(final_status(client, id) == "succeeded");
    CHECK(epoch_ms_of(string_member(fetch_run(client, id), "started_at")) >= epoch_ms_of(run_after));
}

TEST_CASE("crons: create, read, search, tick every second, delete", "[crons]") {
    HttpClient client(host().base_url());
    std::string thread = "sqlite-cron-thread";
    std::string id = every_second_cron(client, thread);
    auto cron = json_of(client.get("/runs/crons/" + id));
    CHECK(string_member(cron, "schedule") == "@every 1s");
    CHECK(string_member(cron, "timezone") == "UTC");
    CHECK(string_member(cron, "on_missed") == "once");
    CHECK(cron["next_run_at"].IsString());
    REQUIRE(poll_until([&] { return json_of(client.get("/runs/crons/" + id))["runs_created"].GetInt() >= 3; }, 10000ms,
                       50ms));
    auto metrics = client.get("/metrics").body;
    CHECK(metrics.find("# TYPE agenthost_cron_ticks_total counter") != std::string::npos);
    CHECK(metrics.find("agenthost_cron_ticks_total{outcome=\"fired\"}") != std::string::npos);
    CHECK(client.request("DELETE", "/runs/crons/" + id, "", {}).status == 204);
    error_envelope(client.get("/runs/crons/" + id), 404, "CronNotFound");
    error_envelope(client.request("DELETE", "/runs/crons/" + id, "", {}), 404, "CronNotFound");
    std::this_thread::sleep_for(300ms);  // a tick claimed just before the delete may still commit
    auto [runs, seconds] = runs_and_seconds(client, thread);
    CHECK(runs >= 3);
    CHECK(seconds == runs);  // one run per tick
    std::this_thread::sleep_for(1500ms);
    CHECK(runs_and_seconds(client, thread).first == runs);  // no tick after the delete

    // A cron without a thread: a new thread per tick, found by search.
    auto loose = json_of(client.post("/runs/crons", R"({"agent_name":"echo","task":"daily check","schedule":"0 9 * * MON-FRI",)"
                                                    R"("timezone":"Europe/Berlin","metadata":{"team":"sre"}})"));
    CHECK(loose["thread_id"].IsNull());
    CHECK(loose["metadata"]["team"] == "sre");
    auto found = json_of(client.post("/runs/crons/search", R"({"agent_name":"echo"})"));
    bool listed = false;
    for (const auto& entry : found["crons"].GetArray()) listed |= string_member(entry, "cron_id") == string_member(loose, "cron_id");
    CHECK(listed);
    CHECK(json_of(client.post("/runs/crons/search", R"({"thread_id":"no-such-thread"})"))["crons"].Size() == 0);
}

TEST_CASE("crons: a cron on a thread goes when its thread is deleted", "[crons]") {
    HttpClient client(host().base_url());
    std::string thread = "sqlite-cron-deleted-thread";
    std::string id = every_second_cron(client, thread);
    REQUIRE(poll_until([&] { return json_of(client.get("/runs/crons/" + id))["runs_created"].GetInt() >= 1; }, 10000ms,
                       50ms));
    // Deleted between ticks (refused while a tick's run is active).
    REQUIRE(poll_until([&] { return client.request("DELETE", "/threads/" + thread, "", {}).status == 204; }, 10000ms,
                       20ms));
    CHECK(poll_until([&] { return client.get("/runs/crons/" + id).status == 404; }, 5000ms, 50ms));
    std::this_thread::sleep_for(1200ms);
    error_envelope(client.get("/threads/" + thread), 404, "ThreadNotFound");
}

TEST_CASE("crons: invalid input is refused naming the field", "[crons]") {
    HttpClient client(host().base_url());
    auto field_of = [](const rapidjson::Document& error) { return string_member(error["details"][0], "field"); };
    auto bad = error_envelope(client.post("/runs/crons", R"({"agent_name":"echo","task":"t","schedule":"61 * * * *"})"),
                              422, "ValidationError");
    CHECK(field_of(bad) == "/schedule");
    CHECK(std::string(bad["message"].GetString()).find("minute") != std::string::npos);
    bad = error_envelope(client.post("/runs/crons", R"({"agent_name":"echo","task":"t","schedule":"* * * *"})"), 422,
                         "ValidationError");
    CHECK(field_of(bad) == "/schedule");
    bad = error_envelope(client.post("/runs/crons", R"({"agent_name":"echo","task":"t","schedule":"0 0 30 2 *"})"), 422,
                         "ValidationError");
    CHECK(std::string(bad["message"].GetString()).find("never fires") != std::string::npos);
    bad = error_envelope(client.post("/runs/crons", R"({"agent_name":"echo","task":"t","schedule":"* * * * *",)"
                                                    R"("timezone":"Mars/Olympus"})"),
                         422, "ValidationError");
    CHECK(field_of(bad) == "/timezone");
    bad = error_envelope(client.post("/runs/crons", R"({"agent_name":"echo","task":"t","schedule":"* * * * *",)"
                                                    R"("timezone":"../../etc/passwd"})"),
                         422, "ValidationError");
    CHECK(field_of(bad) == "/timezone");
    bad = error_envelope(client.post("/runs/crons", R"({"agent_name":"echo","task":"t","schedule":"* * * * *",)"
                                                    R"("end_time":"2001-01-01T00:00:00Z"})"),
                         422, "ValidationError");
    CHECK(field_of(bad) == "/end_time");
    bad = error_envelope(client.post("/runs/crons", R"({"agent_name":"echo","task":"t","schedule":"* * * * *",)"
                                                    R"("end_time":"tomorrow"})"),
                         422, "ValidationError");
    CHECK(field_of(bad) == "/end_time");
    error_envelope(client.post("/runs/crons", R"({"agent_name":"ghost","task":"t","schedule":"* * * * *"})"), 404,
                   "AgentNotFound");
    error_envelope(client.post("/runs/crons", R"({"agent_name":"echo","task":"t","schedule":"* * * * *","on_missed":"twice"})"),
                   422, "ValidationError");
    error_envelope(client.post("/threads/no-such-thread/runs/crons",
                               R"({"agent_name":"echo","task":"t","schedule":"* * * * *"})"),
                   404, "ThreadNotFound");
    error_envelope(client.post("/runs/crons", "{"), 400, "InvalidJSON");
    error_envelope(client.get("/runs/crons/nope"), 404, "CronNotFound");
}

TEST_CASE("crons: ticks missed while the host was down fire once, or not at all with skip", "[crons][restart]") {
    DataDir dir;
    const std::string config = host_config(R"({"echo":{"enabled":true}})");
    std::string once_id, skip_id;
    {
        HostProcess first(config, with_data_dir(dir));
        HttpClient client(first.base_url());
        // A tick every 2 s, the first almost 2 s away (just after an even
        // second), and none after the one after it: the host stops at once,
        // so every tick up to end_time passes while no host is up.
        REQUIRE(poll_until(
            [] {
                auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
                return ms % 2000 < 100;
            },
            3000ms, 5ms));
        std::time_t end = std::time(nullptr) + 3;
        char end_text[32];
        std::strftime(end_text, sizeof end_text, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&end));
        for (const char* missed : {"once", "skip"}) {
            auto made = client.post("/runs/crons", std::string(R"({"agent_name":"echo","task":"t","schedule":"@every 2s",)") +
                                                       R"("on_missed":")" + missed + R"(","end_time":")" + end_text + "\"}");
            INFO(made.body);
            REQUIRE(made.status == 201);
            (std::string(missed) == "once" ? once_id : skip_id) = string_member(json_of(made), "cron_id");
        }
        kill_host(first);  // before the first tick: every host is down
    }
    std::this_thread::sleep_for(4500ms);  // every tick up to end_time passes
    HostProcess second(config, with_data_dir(dir));
    HttpClient client(second.base_url());
    REQUIRE(poll_until([&] { return json_of(client.get("/runs/crons/" + once_id))["next_run_at"].IsNull() &&
                                    json_of(client.get("/runs/crons/" + skip_id))["next_run_at"].IsNull(); },
                       5000ms, 50ms));
    auto once = json_of(client.get("/runs/crons/" + once_id));
    auto skip = json_of(client.get("/runs/crons/" + skip_id));
    CHECK(once["runs_created"].GetInt() == 1);
    CHECK(once["last_run_id"].IsString());
    CHECK(skip["runs_created"].GetInt() == 0);
    CHECK(skip["last_run_id"].IsNull());
    CHECK(final_status(client, string_member(once, "last_run_id")) == "succeeded");
    auto metrics = client.get("/metrics").body;
    CHECK(metrics.find("agenthost_cron_ticks_total{outcome=\"fired\"} 1") != std::string::npos);
    CHECK(metrics.find("agenthost_cron_ticks_total{outcome=\"skipped\"} 1") != std::string::npos);
}

namespace {

const std::string kAdminKey = "runs21-admin-key-0123456789abcdefghijklmnop";

std::vector<std::string> bearer(const std::string& key) { return {"Authorization: Bearer " + key}; }

std::string create_key(HttpClient& client, const std::string& body) {
    auto result = client.post("/admin/keys", body, bearer(kAdminKey));
    INFO(result.body);
    REQUIRE(result.status == 201);
    return json_of(result)["key"].GetString();
}

}  // namespace

TEST_CASE("with auth on, crons and batches are their tenant's", "[crons][auth]") {
    setenv("AGENTHOST_ADMIN_KEY", kAdminKey.c_str(), 1);
    HostProcess host(host_config(R"({"echo":{"enabled":true}})", R"("auth":{"mode":"required"})"));
    unsetenv("AGENTHOST_ADMIN_KEY");
    HttpClient client(host.base_url());
    auto acme = bearer(create_key(client, R"({"name":"acme-ops","scopes":["read","invoke","cancel"],"tenant":"acme"})"));
    auto globex = bearer(create_key(client, R"({"name":"globex-ops","scopes":["read","invoke","cancel"],"tenant":"globex"})"));
    auto reader = bearer(create_key(client, R"({"name":"acme-reader","scopes":["read"],"tenant":"acme"})"));

    auto made = client.post("/runs/crons", R"({"agent_name":"echo","task":"t","schedule":"@every 1s"})", acme);
    INFO(made.body);
    REQUIRE(made.status == 201);
    std::string id = string_member(json_of(made), "cron_id");
    error_envelope(client.get("/runs/crons/" + id, globex), 404, "CronNotFound");
    error_envelope(client.request("DELETE", "/runs/crons/" + id, "", globex), 404, "CronNotFound");
    CHECK(json_of(client.post("/runs/crons/search", "{}", globex))["crons"].Empty());
    CHECK(json_of(client.post("/runs/crons/search", "{}", reader))["crons"].Size() == 1);
    error_envelope(client.post("/runs/crons", R"({"agent_name":"echo","task":"t","schedule":"@every 1s"})", reader), 403,
                   "Forbidden");
    // Its ticks' runs are acme's: globex cannot see them.
    REQUIRE(poll_until([&] { return json_of(client.get("/runs/crons/" + id, acme))["last_run_id"].IsString(); },
                       10000ms, 50ms));
    std::string run_id = string_member(json_of(client.get("/runs/crons/" + id, acme)), "last_run_id");
    error_envelope(client.get("/runs/" + run_id, globex), 404, "RunNotFound");
    CHECK(client.get("/runs/" + run_id, acme).status == 200);
    CHECK(client.request("DELETE", "/runs/crons/" + id, "", acme).status == 204);

    // A thread cron and a batch run may not use another tenant's thread.
    REQUIRE(client.post("/threads", R"({"thread_id":"acme-only"})", acme).status == 201);
    error_envelope(client.post("/threads/acme-only/runs/crons", R"({"agent_name":"echo","task":"t","schedule":"@daily"})",
                               globex),
                   404, "ThreadNotFound");
    auto batch = json_of(client.post("/runs/batch", R"([{"agent_name":"echo","task":"t","thread_id":"acme-only"},)"
                                                    R"({"agent_name":"echo","task":"t"}])",
                                     globex));
    CHECK(batch["results"][0]["status"].GetInt() == 404);
    CHECK(string_member(batch["results"][0]["error"], "error") == "ThreadNotFound");
    CHECK(batch["results"][1]["status"].GetInt() == 202);
    error_envelope(client.post("/runs/batch", R"([{"agent_name":"echo","task":"t"}])", reader), 403, "Forbidden");
    // if_not_exists reject: another tenant's thread does not exist for it.
    error_envelope(client.post("/runs", R"({"agent_name":"echo","task":"t","thread_id":"acme-only","if_not_exists":"reject"})",
                               globex),
                   404, "ThreadNotFound");
}
