// The SQLite write-ahead log stays bounded while the host runs: thousands
// of durable runs must not grow it without limit (it once reached 2.5 GB in
// 20 seconds because a finished-looking statement kept its read snapshot).
#include "test_host.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <thread>
#include <vector>

using namespace agenthost::testing;
using namespace std::chrono_literals;

namespace {

long long wal_bytes(const DataDir& dir) {
    struct stat info {};
    return ::stat((dir.path + "/agenthost.db-wal").c_str(), &info) == 0 ? static_cast<long long>(info.st_size) : 0;
}

struct Outcome {
    int accepted = 0;
    long long max_wal_bytes = 0;
};

// Submits `total` runs of echo from four clients and waits until every one
// has succeeded, sampling the WAL's size all along.
Outcome run_burst(HostProcess& host, const DataDir& dir, int total) {
    std::atomic<int> next{0}, accepted{0};
    std::atomic<bool> done{false};
    std::atomic<long long> max_wal{0};
    std::thread sampler([&] {
        while (!done.load()) {
            long long now = wal_bytes(dir);
            long long seen = max_wal.load();
            while (now > seen && !max_wal.compare_exchange_weak(seen, now)) {
            }
            std::this_thread::sleep_for(2ms);
        }
    });
    std::vector<std::thread> clients;
    for (int c = 0; c < 4; ++c) {
        clients.emplace_back([&] {
            HttpClient client(host.base_url());
            while (next.fetch_add(1) < total) {
                // A task large enough that every run writes real pages.
                if (client.post("/runs", run_request("echo", "wal " + std::string(1200, 'x'))).status == 202)
                    ++accepted;
            }
        });
    }
    for (auto& t : clients) t.join();
    HttpClient client(host.base_url());
    bool drained = poll_until(
        [&] {
            auto queued = client.get("/runs?status=queued&limit=1");
            auto running = client.get("/runs?status=running&limit=1");
            return queued.body.find("run_id") == std::string::npos && running.body.find("run_id") == std::string::npos;
        },
        120s, 100ms);
    done = true;
    sampler.join();
    REQUIRE(drained);
    return {accepted.load(), max_wal.load()};
}

}  // namespace

TEST_CASE("the WAL stays bounded through thousands of runs", "[wal]") {
    DataDir dir;
    // SQLite's own passive checkpoints (every 1000 pages, about 4 MiB) must
    // keep up once no statement pins an old snapshot; the writer's forced
    // checkpoint is set far above, so this measures the passive ones.
    HostProcess host(host_config(R"({"echo":{"enabled":true}})", R"("database":{"sqlite_wal_limit_mb":512})"),
                     {"--data-dir", dir.path});
    Outcome outcome = run_burst(host, dir, 4000);
    CHECK(outcome.accepted == 4000);
    INFO("largest WAL seen: " << outcome.max_wal_bytes << " bytes");
    // About 113 KB per run while the snapshot was pinned: 450 MB here.
    CHECK(outcome.max_wal_bytes < 24ll * 1024 * 1024);
    CHECK(wal_bytes(dir) < 24ll * 1024 * 1024);
}

TEST_CASE("past its size limit the writer truncates the WAL", "[wal]") {
    DataDir dir;
    HostProcess host(host_config(R"({"echo":{"enabled":true}})", R"("database":{"sqlite_wal_limit_mb":1})"),
                     {"--data-dir", dir.path});
    Outcome outcome = run_burst(host, dir, 3000);
    CHECK(outcome.accepted == 3000);
    INFO("largest WAL seen: " << outcome.max_wal_bytes << " bytes");
    // Passive checkpoints alone let the file reach about 4 MiB before it is
    // reused; the forced TRUNCATE keeps it near the 1 MiB limit.
    CHECK(outcome.max_wal_bytes < 3ll * 1024 * 1024);
}
