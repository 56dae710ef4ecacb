// Usage and quotas with two hosts on one PostgreSQL database: both hosts'
// group commits add to the same rollup rows at once (none lost, no
// deadlock), and a tenant's quota used up through one host is refused by
// the other after its next refresh.
#include "test_host.hpp"

#include <atomic>
#include <thread>
#include <vector>

using namespace agenthost::testing;
using namespace std::chrono_literals;

namespace {

const bool kHavePostgres = exit_77_without_postgres();

std::vector<std::string> on_database(const TestDatabase& database) { return {"--database-url", database.url()}; }

long long total_runs(HttpClient& client) {
    auto result = client.get("/usage?group_by=tenant");
    if (result.status != 200) return -1;
    return json_of(result)["totals"]["runs"].GetInt64();
}

}  // namespace

TEST_CASE("two hosts ending runs at once add to the same rollup rows without losing any", "[usage]") {
    TestDatabase database;
    const std::string config = host_config(R"({"echo":{"enabled":true}})");
    HostProcess a(config, on_database(database));
    HostProcess b(config, on_database(database));
    std::atomic<int> accepted{0};
    std::vector<std::thread> clients;
    for (HostProcess* host : {&a, &b}) {
        clients.emplace_back([host, &accepted] {
            HttpClient client(host->base_url());
            for (int i = 0; i < 100; ++i)
                if (client.post("/runs", run_request("echo", "count-" + std::to_string(i))).status == 202) ++accepted;
        });
    }
    for (auto& client : clients) client.join();
    REQUIRE(accepted == 200);
    HttpClient client_a(a.base_url()), client_b(b.base_url());
    long long seen = 0;
    CHECK(poll_until([&] { return (seen = total_runs(client_a)) == 200; }, 30000ms, 100ms));
    INFO("runs counted: " << seen);
    CHECK(total_runs(client_b) == 200);
    auto report = json_of(client_b.get("/usage?group_by=agent"));
    REQUIRE(report["groups"].Size() == 1);
    CHECK(report["groups"][0]["runs_by_status"]["succeeded"].GetInt64() == 200);
    CHECK(a.log().find("deadlock") == std::string::npos);
    CHECK(b.log().find("deadlock") == std::string::npos);
}

TEST_CASE("a quota used up through one host is refused by the other after its refresh", "[usage][quota]") {
    TestDatabase database;
    const std::string config =
        host_config(R"({"echo":{"enabled":true}})", R"("auth":{"quotas":{"default":{"runs_per_day":20},"refresh_seconds":3}})");
    // A refresh while A admits its 20 would count its newest runs twice
    // (conservatively, until they are surely stored): the period is longer
    // than the 20 requests take, even in a sanitizer build.
    HostProcess a(config, on_database(database));
    HostProcess b(config, on_database(database));
    HttpClient client_a(a.base_url()), client_b(b.base_url());
    for (int i = 0; i < 20; ++i) REQUIRE(client_a.post("/runs", run_request("echo", "q")).status == 202);
    error_envelope(client_a.post("/runs", run_request("echo", "q")), 429, "QuotaExceeded");
    // B counted nothing itself: it learns of A's runs from the database.
    int slipped_through = 0;
    bool refused = poll_until(
        [&] {
            auto result = client_b.post("/runs", run_request("echo", "q"));
            if (result.status == 202) ++slipped_through;
            return result.status == 429;
        },
        15000ms, 50ms);
    CHECK(refused);
    INFO("admitted by B before its refresh: " << slipped_through);
    CHECK(slipped_through <= 20);
}
