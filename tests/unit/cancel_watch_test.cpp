// The SDK's cancellation callback (Run::on_cancel, CancelWatch): it wakes
// work that cannot poll, fires once, and never after it was released.
#include "host_process.hpp"

#include <agenthost/agent.hpp>
#include <agenthost/testing/fake_host.hpp>
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <thread>

using agenthost::CancelWatch;

TEST_CASE("CancelWatch calls stop once when the run is cancelled, on its own thread") {
    std::atomic<int> asked{0};
    std::atomic<int> stopped{0};
    std::thread::id stop_thread;
    CancelWatch watch([&] { return ++asked >= 3; },
                      [&] {
                          stop_thread = std::this_thread::get_id();
                          ++stopped;
                      });
    for (int i = 0; i < 200 && !watch.fired(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    watch.release();
    CHECK(stopped.load() == 1);
    CHECK(asked.load() == 3);  // not asked again once it fired
    CHECK(stop_thread != std::this_thread::get_id());
}

TEST_CASE("CancelWatch released before a cancellation never calls stop, and release waits for the watcher") {
    std::atomic<bool> cancelled{false};
    std::atomic<int> stopped{0};
    {
        CancelWatch watch([&] { return cancelled.load(); }, [&] { ++stopped; });
        std::this_thread::sleep_for(std::chrono::milliseconds(60));
        CHECK_FALSE(watch.fired());
    }  // released here
    cancelled = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(120));
    CHECK(stopped.load() == 0);

    // Moved and reassigned watches release what they held.
    CancelWatch first([&] { return false; }, [&] { ++stopped; });
    CancelWatch second = std::move(first);
    second = CancelWatch();
    CHECK_FALSE(second.fired());
    CHECK(stopped.load() == 0);
}

TEST_CASE("an agent blocked on a condition variable is woken by Run::on_cancel (fake host)") {
    agenthost::testing::FakeHost host(agenthost::testing::fixture_plugin_dir() + "/echo/libecho.so");
    REQUIRE(host.create_agent("{}") == AGENTHOST_OK);
    std::string input = agenthost::testing::run_input("wait", R"({"action":"block_until_cancelled","ms":20000})");
    // Without the watch it would wait the full 20 s and succeed.
    auto record = host.invoke_cancelled_after(input, 3);
    CHECK(record.status == AGENTHOST_ERROR_CANCELLED);
    CHECK(record.cancellation_checks >= 3);

    // Not cancelled: the wait runs out and the run succeeds.
    auto quiet = host.invoke(agenthost::testing::run_input("wait", R"({"action":"block_until_cancelled","ms":120})"));
    CHECK(quiet.status == AGENTHOST_OK);
    CHECK(quiet.cancellation_checks >= 1);
}
