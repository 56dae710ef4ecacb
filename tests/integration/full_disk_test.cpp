// A disk that fills under the host: writes answer 503 and nothing accepted
// is lost, /health says degraded with the reason while writes fail, and
// everything accepted finishes once space returns. Needs a small tmpfs
// (root, or a user allowed to mount); elsewhere the test says so and passes.
#include "test_host.hpp"

#include <sys/mount.h>

#include <filesystem>

using namespace agenthost::testing;
using namespace std::chrono_literals;

namespace {

// A tmpfs of `size` mounted on a new directory, unmounted on destruction.
struct SmallDisk {
    explicit SmallDisk(const std::string& size) {
        if (::mount("tmpfs", path.c_str(), "tmpfs", 0, ("size=" + size).c_str()) == 0) mounted = true;
    }
    ~SmallDisk() {
        if (mounted) ::umount2(path.c_str(), MNT_DETACH);
        std::error_code ignored;
        std::filesystem::remove_all(path, ignored);
    }
    bool resize(const std::string& size) {
        return ::mount("tmpfs", path.c_str(), "tmpfs", MS_REMOUNT, ("size=" + size).c_str()) == 0;
    }
    std::string path = make_temp_dir();
    bool mounted = false;
};

}  // namespace

TEST_CASE("a full disk degrades the host without losing accepted runs", "[full_disk]") {
    SmallDisk disk("3m");
    if (!disk.mounted) {
        WARN("cannot mount a tmpfs here (not root?): the full-disk test did not run");
        return;
    }
    std::string data = disk.path + "/data";
    HostProcess host(host_config(R"({"echo":{"enabled":true}})", R"("server":{"unready_when_writes_fail":true})"),
                     {"--data-dir", data});
    HttpClient client(host.base_url());
    std::vector<std::string> accepted;
    int refused = 0;
    std::string padding(4000, 'p');
    for (int i = 0; i < 2000 && refused < 20; ++i) {
        auto result = client.post("/runs", run_request("echo", "fill " + std::to_string(i) + " " + padding));
        if (result.status == 202) {
            accepted.push_back(string_member(json_of(result), "run_id"));
        } else {
            auto body = error_envelope(result, 503, "StoreUnavailable");
            CHECK(result.header("retry-after") == "2");
            // The database's own words stay in the log.
            CHECK(std::string(body["message"].GetString()).find("disk is full") == std::string::npos);
            ++refused;
        }
    }
    REQUIRE(refused >= 20);
    REQUIRE_FALSE(accepted.empty());

    auto health = json_of(client.get("/health"));
    CHECK(string_member(health, "status") == "degraded");
    CHECK(string_member(health, "database") == "write_failing");
    CHECK_THAT(string_member(health["components"]["database"], "detail"), Catch::Matchers::Contains("full"));
    // A small write (a lease, a sweep) may fit between two large ones and
    // say writes work again: /ready follows the last write's outcome.
    CHECK(poll_until(
        [&] {
            client.post("/runs", run_request("echo", "still full " + padding));
            return client.get("/ready").status == 503;
        },
        std::chrono::milliseconds(5000)));
    // Reads go on.
    CHECK(client.get("/runs/" + accepted.front()).status == 200);

    // A restart on the full disk starts read-only rather than exiting: the
    // runs it left running cannot be recovered yet, so it claims nothing.
    // (Stopping may have to give up on outcomes it cannot write: those runs
    // are recovered by the next start.)
    host.stop();
    HostProcess restarted(host_config(R"({"echo":{"enabled":true}})"), {"--data-dir", data});
    HttpClient again(restarted.base_url());
    CHECK(again.get("/runs/" + accepted.front()).status == 200);
    CHECK(again.post("/runs", run_request("echo", "still full " + padding)).status == 503);
    // Small writes (a lease, a sweep) may still fit now and then and say
    // writes succeed again, until the next large one fails: degraded soon.
    CHECK(poll_until(
        [&] {
            again.post("/runs", run_request("echo", "still full " + padding));
            return string_member(json_of(again.get("/health")), "status") == "degraded";
        },
        std::chrono::milliseconds(5000)));

    // Space returns: new writes succeed, the host is healthy again and every
    // run it accepted finishes.
    REQUIRE(disk.resize("256m"));
    bool writes_again = poll_until([&] { return again.post("/runs", run_request("echo", "after")).status == 202; },
                                   20s, 200ms);
    CHECK(writes_again);
    CHECK(poll_until([&] { return string_member(json_of(again.get("/health")), "status") == "healthy"; }, 10s));
    CHECK(again.get("/ready").status == 200);
    for (const std::string& id : accepted) {
        std::string status;
        bool succeeded = poll_until([&] { return (status = run_status_of(again, id)) == "succeeded"; }, 60s, 100ms);
        INFO("run " << id << " is " << status << ": " << json_text(fetch_run(again, id)));
        CHECK(succeeded);
    }
}
