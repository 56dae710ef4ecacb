// The host and its PostgreSQL store failing: unreachable at start, lost
// while serving, and back again.
#include "test_host.hpp"

#include <vector>

using namespace agenthost::testing;
using Catch::Matchers::Contains;
using namespace std::chrono_literals;

namespace {

const bool kHavePostgres = exit_77_without_postgres();

const char* kEchoOnly = R"({"echo":{"enabled":true}})";

}  // namespace

TEST_CASE("an unreachable PostgreSQL at start stops the host with a message naming the database") {
    const std::string url = "postgresql://agenthost@127.0.0.1:1/x";
    auto outcome = run_host_to_exit(host_config(kEchoOnly), {"--database-url", url}, 10000ms);
    INFO("output: " << outcome.output);
    REQUIRE(outcome.exited);
    CHECK(outcome.exit_code != 0);
    CHECK(outcome.elapsed < 8000ms);
    CHECK_THAT(outcome.output, Contains(url));
    CHECK_THAT(outcome.output, Contains("cannot start"));
}

TEST_CASE("PostgreSQL lost while serving: writes answer 503, health says unreachable, and it recovers") {
    TestDatabase database;
    HostProcess host(host_config(kEchoOnly), {"--database-url", database.url()});
    HttpClient client(host.base_url());

    auto before = client.post("/runs", run_request("echo", "before the outage"));
    REQUIRE(before.status == 202);
    std::string before_id = string_member(json_of(before), "run_id");
    REQUIRE(poll_until([&] { return run_status_of(client, before_id) == "succeeded"; }, 10000ms));
    CHECK(std::string(json_of(client.get("/health"))["database"].GetString()) == "healthy");

    database.refuse_connections();

    auto during = client.post("/runs", run_request("echo", "during the outage"));
    error_envelope(during, 503, "StoreUnavailable");
    CHECK(during.header("retry-after") != "");

    auto health = client.get("/health");
    REQUIRE(health.status == 200);
    auto health_body = json_of(health);
    CHECK(std::string(health_body["database"].GetString()) == "unreachable");
    CHECK(std::string(health_body["status"].GetString()) == "degraded");

    // Still down a moment later: still answering, still refusing writes.
    auto again = client.post("/runs", run_request("echo", "still down"));
    error_envelope(again, 503, "StoreUnavailable");
    REQUIRE(host.running());

    database.allow_connections();

    HttpResult after;
    bool accepted = poll_until(
        [&] {
            after = client.post("/runs", run_request("echo", "after the outage"));
            return after.status == 202;
        },
        10000ms, 200ms);
    INFO("last answer: " << after.status << " " << after.body);
    REQUIRE(accepted);
    std::string after_id = string_member(json_of(after), "run_id");
    // Its plugin reads thread memory at once: through a fresh read session,
    // not one of the pooled ones the outage killed.
    CHECK(poll_until([&] { return run_status_of(client, after_id) == "succeeded"; }, 10000ms));
    CHECK(poll_until(
        [&] {
            auto result = client.get("/health");
            return result.status == 200 && result.body.find(R"("database":"healthy")") != std::string::npos;
        },
        5000ms));
    // The run from before the outage is still there.
    CHECK(run_status_of(client, before_id) == "succeeded");
    CHECK(host.running());
}

// An outcome the database refused is kept by its host and written once the
// database returns: the run finishes with its result, not 'running' for good.
TEST_CASE("a run whose outcome could not be recorded during an outage still finishes after it") {
    TestDatabase database;
    HostProcess host(host_config(kEchoOnly), {"--database-url", database.url(), "--lease-ms", "1000"});
    HttpClient client(host.base_url());
    // Long enough that the outage below begins before it ends, however slow
    // the build (a sanitizer's).
    auto created = client.post("/runs", run_request("echo", "caught in the outage", R"({"action":"sleep","ms":5000})"));
    REQUIRE(created.status == 202);
    std::string run_id = string_member(json_of(created), "run_id");
    // Started for real: its start, and so its attempt, is recorded.
    REQUIRE(poll_until([&] { return count_events(fetch_events(client, run_id), "run.started") == 1; }, 5000ms, 10ms));

    database.refuse_connections();
    // The run ends while the database is away (errors are flushed to the log at once).
    const std::string lost = R"("msg":"recording a run's outcome failed; will retry","run_id":")" + run_id + "\"";
    REQUIRE(poll_until([&] { return host.log().find(lost) != std::string::npos; }, 30000ms));
    database.allow_connections();

    // The kept outcome is written at the next maintenance tick.
    std::string status;
    bool finished = poll_until(
        [&] {
            status = run_status_of(client, run_id);
            return status == "succeeded" || status == "failed" || status == "cancelled";
        },
        8000ms, 100ms);
    INFO("status 8 s after the database returned: " << status);
    CHECK(finished);
    // The echo agent reads run memory after its sleep, which the outage may
    // fail; either way the outcome it reached was kept, not produced again
    // by a second run.
    auto run = fetch_run(client, run_id);
    CHECK(run["attempts"].GetInt() == 1);
    if (status == "failed") CHECK_THAT(string_member(run, "error"), Catch::Matchers::Contains("memory"));
    CHECK(host.running());
}
