// Run options, POST /runs/batch and crons with hosts on PostgreSQL: the
// SQLite scenarios again, and a cron that ticks every second on two hosts
// sharing the database, firing once per tick.
#include "run_options_scenarios.hpp"
#include "sanitizer_build.hpp"

using namespace agenthost::testing;
using namespace agenthost::testing::scenarios;

namespace {

const bool kHavePostgres = exit_77_without_postgres();

std::vector<std::string> on_database(const TestDatabase& database) {
    return {"--database-url", database.url(), "--workers", "4"};
}

}  // namespace

TEST_CASE("run options, batch and rollback on PostgreSQL", "[run-options][postgres]") {
    TestDatabase database;
    HostProcess host(host_config(R"({"echo":{"enabled":true}})"), on_database(database));
    HttpClient client(host.base_url());
    SECTION("if_not_exists") { scenarios::if_not_exists(client, "pg"); }
    SECTION("after_seconds") { delayed_run(client); }
    SECTION("on_completion delete") { on_completion_delete(client); }
    SECTION("rollback cancel") { rollback_cancel(client, "pg"); }
    SECTION("rollback strategy") { rollback_strategy(client, "pg"); }
    SECTION("batch of 500") { batch_of_500(client, "pg"); }
}

TEST_CASE("a delayed run on PostgreSQL waits for its time even with two hosts claiming", "[run-options][postgres]") {
    TestDatabase database;
    const std::string config = host_config(R"({"echo":{"enabled":true}})");
    HostProcess a(config, on_database(database));
    HostProcess b(config, on_database(database));
    HttpClient via_a(a.base_url()), via_b(b.base_url());
    auto created = json_of(via_a.post("/runs", R"({"agent_name":"echo","task":"t","after_seconds":4})"));
    std::string id = string_member(created, "run_id");
    long long run_after = epoch_ms_of(string_member(created, "run_after"));
    std::this_thread::sleep_for(1000ms);
    check_waiting_for_its_time(via_b, id, run_after);
    REQUIRE(final_status(via_b, id) == "succeeded");
    CHECK(epoch_ms_of(string_member(fetch_run(via_a, id), "started_at")) >= run_after);
}

TEST_CASE("a cron ticking every second on two hosts sharing PostgreSQL fires once per tick", "[crons][postgres]") {
    TestDatabase database;
    const std::string config = host_config(R"({"echo":{"enabled":true}})");
    HostProcess a(config, on_database(database));
    HostProcess b(config, on_database(database));
    HttpClient via_a(a.base_url()), via_b(b.base_url());
    std::string thread = "pg-cron-thread";
    // Timed from before the cron exists to after its deletion is answered,
    // so that every tick falls inside however slowly the hosts answer.
    auto started = std::chrono::steady_clock::now();
    std::string id = every_second_cron(via_a, thread);
    std::this_thread::sleep_for(6000ms);
    REQUIRE(via_b.request("DELETE", "/runs/crons/" + id, "", {}).status == 204);
    auto elapsed_s = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started).count();
    std::this_thread::sleep_for(500ms);
    auto [runs, seconds] = runs_and_seconds(via_b, thread);
    INFO("runs " << runs << " in " << elapsed_s << " s");
    // Ticks that a loaded (sanitizer) host fires late collapse into one.
    CHECK(runs >= static_cast<size_t>(kSanitizerBuild ? elapsed_s / 2 : elapsed_s - 2));
    CHECK(runs <= static_cast<size_t>(elapsed_s + 1));  // twice as many if both hosts fired each tick
    CHECK(seconds == runs);                              // never two runs for one tick
    // Both hosts took part in looking: each has the cron's routes and ticker.
    error_envelope(via_a.get("/runs/crons/" + id), 404, "CronNotFound");
}
