// Two hosts on one PostgreSQL database pulling the same file source: the
// lease keeps each pull to one host, so every appended error line is counted
// once, and the source keeps being pulled when one host stops.
#include "test_host.hpp"

#include <filesystem>
#include <fstream>

using namespace agenthost::testing;
using namespace std::chrono_literals;

namespace {

const bool kHavePostgres = exit_77_without_postgres();

long long total_count(HttpClient& client, const std::string& repository) {
    auto list = client.get("/api/incidents?repository=" + repository);
    if (list.status != 200) return -1;
    rapidjson::Document body;
    body.Parse(list.body.c_str());
    long long total = 0;
    for (const auto& incident : body["incidents"].GetArray()) total += incident["signal_count"].GetInt64();
    return total;
}

void append_errors(const std::string& path, int from, int count) {
    std::ofstream out(path, std::ios::app);
    for (int i = from; i < from + count; ++i)
        out << "ERROR worker " << i << " crashed: out of memory after " << (100 + i) << "ms\n";
}

}  // namespace

TEST_CASE("log pull on PostgreSQL: two hosts pull one source, every line counted once") {
    TestDatabase database;
    std::string logs = make_temp_dir();
    std::string path = logs + "/shared.log";
    append_errors(path, 0, 1);
    std::string config = host_config("{}", R"("signals":{"agent":"","pull":{"file_roots":[")" + logs +
                                               R"("],"poll_ms":50}})");
    auto a = std::make_unique<HostProcess>(config, std::vector<std::string>{"--database-url", database.url()});
    HostProcess b(config, {"--database-url", database.url()});
    HttpClient client_a(a->base_url());
    HttpClient client_b(b.base_url());
    auto created = client_a.post("/api/log-sources", R"({"name":"shared","type":"file","path":")" + path +
                                                         R"(","repository":"shared-repo","interval_seconds":1,"start_at":"beginning"})");
    INFO(created.body);
    REQUIRE(created.status == 201);
    REQUIRE(poll_until([&] { return total_count(client_b, "shared-repo") == 1; }, 15000ms));
    // Appends while both hosts race for every pull.
    for (int round = 0; round < 5; ++round) {
        append_errors(path, 1 + round * 4, 4);
        std::this_thread::sleep_for(700ms);
    }
    REQUIRE(poll_until([&] { return total_count(client_a, "shared-repo") == 21; }, 15000ms));
    std::this_thread::sleep_for(2500ms);
    CHECK(total_count(client_b, "shared-repo") == 21);
    // One host gone: the other goes on with the same cursor.
    CHECK(a->stop() == 0);
    a.reset();
    append_errors(path, 21, 3);
    REQUIRE(poll_until([&] { return total_count(client_b, "shared-repo") == 24; }, 15000ms));
    std::this_thread::sleep_for(2000ms);
    CHECK(total_count(client_b, "shared-repo") == 24);
    std::filesystem::remove_all(logs);
}
