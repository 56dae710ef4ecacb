#include "runs/worker_pool.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <thread>

using agenthost::runs::WorkerPool;

TEST_CASE("the worker pool runs every accepted job, even when stopped right away") {
    std::atomic<int> done{0};
    {
        WorkerPool pool(2, 1000);
        for (int i = 0; i < 500; ++i) REQUIRE(pool.try_submit([&] { ++done; }));
        pool.stop();
    }
    CHECK(done == 500);
}

TEST_CASE("a full queue refuses work instead of growing") {
    WorkerPool pool(1, 2);
    std::atomic<bool> release{false};
    std::atomic<bool> started{false};
    REQUIRE(pool.try_submit([&] {
        started = true;
        while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }));
    while (!started) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    CHECK(pool.try_submit([] {}));
    CHECK(pool.try_submit([] {}));
    CHECK_FALSE(pool.try_submit([] {}));
    release = true;
    pool.stop();
    CHECK_FALSE(pool.try_submit([] {}));
}

TEST_CASE("a job that throws does not take its worker down") {
    std::atomic<int> done{0};
    WorkerPool pool(1, 10);
    pool.try_submit([] { throw std::runtime_error("bad job"); });
    pool.try_submit([&] { ++done; });
    pool.stop();
    CHECK(done == 1);
}
