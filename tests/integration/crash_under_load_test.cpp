// A SIGKILL at full load loses no accepted run: many clients post runs on
// new threads (the accepts batched into multi-row inserts by the group
// commit) while the host is killed; after a restart every run that was
// answered 202 is stored and ends succeeded, with its event log whole.
#include "test_host.hpp"

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

using namespace agenthost::testing;
using namespace std::chrono_literals;

TEST_CASE("every run accepted at full load survives SIGKILL") {
    DataDir dir;
    const std::string config = host_config(R"({"echo":{"enabled":true}})");
    const int kClients = 32;
    std::mutex mutex;
    std::vector<std::string> acknowledged;
    std::vector<std::string> unexpected;
    std::atomic<int> acks{0};
    std::atomic<bool> stop{false};
    {
        HostProcess first(config, with_data_dir(dir, {"--workers", "2"}));
        std::vector<std::thread> clients;
        for (int c = 0; c < kClients; ++c) {
            clients.emplace_back([&, c] {
                HttpClient client(first.base_url());
                for (int i = 0; !stop.load(); ++i) {
                    auto result = client.post("/runs", run_request("echo", "load-" + std::to_string(c) + "-" +
                                                                               std::to_string(i)));
                    if (result.status == 0) return;  // the host is gone
                    rapidjson::Document body;
                    body.Parse(result.body.c_str());
                    std::lock_guard<std::mutex> lock(mutex);
                    if (result.status == 202 && !body.HasParseError() && body.IsObject()) {
                        acknowledged.push_back(string_member(body, "run_id"));
                        ++acks;
                    } else {
                        unexpected.push_back(std::to_string(result.status) + " " + result.body);
                    }
                }
            });
        }
        // Killed while the clients keep posting, past a few hundred runs.
        bool loaded = poll_until([&] { return acks.load() >= 600; }, 60000ms, 2ms);
        bool killed = kill_host(first);
        stop = true;
        for (auto& client : clients) client.join();
        REQUIRE(loaded);
        REQUIRE(killed);
    }
    CHECK(unexpected.empty());
    INFO("acknowledged before the kill: " << acknowledged.size());

    HostProcess second(config, with_data_dir(dir, {"--workers", "2"}));
    HttpClient client(second.base_url());
    std::map<std::string, std::string> statuses;
    bool settled = poll_until(
        [&] {
            statuses = list_run_statuses(client, "echo");
            for (const auto& [id, status] : statuses)
                if (status != "succeeded") return false;
            return true;
        },
        60000ms, 100ms);
    CHECK(settled);
    size_t lost = 0;
    for (const std::string& id : acknowledged) lost += statuses.count(id) == 0 ? 1 : 0;
    CHECK(lost == 0);
    // Spot checks of event logs: numbered without gaps, queued first, one end.
    for (size_t i = 0; i < acknowledged.size(); i += acknowledged.size() / 20 + 1) {
        INFO("run " << acknowledged[i]);
        auto events = fetch_events(client, acknowledged[i]);
        REQUIRE(!events.empty());
        CHECK(events.front().type == "run.queued");
        for (size_t e = 0; e < events.size(); ++e) CHECK(events[e].seq == static_cast<long long>(e + 1));
        CHECK(count_events(events, "run.succeeded") == 1);
    }
}
