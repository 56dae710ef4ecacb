#include "runs/worker_pool.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <thread>

using agenthost::runs::WorkerPool;

TEST_CASE("the worker pool runs every accepted job, even when stopped right away") {
    std::atomic<int> done{0};
    {
        WorkerPool pool(2);
        for (int i = 0; i < 500; ++i) REQUIRE(pool.try_submit([&] { ++done; }));
        pool.stop();
    }
    CHECK(done == 500);
}

// The dispatcher bounds what it queues (workers.queue_limit); a run it
// claimed and the pool refused would sit claimed until its lease ran out, so
// the pool refuses nothing until it stops.
TEST_CASE("the pool takes every job until it stops") {
    WorkerPool pool(1);
    std::atomic<bool> release{false};
    std::atomic<bool> started{false};
    std::atomic<int> done{0};
    REQUIRE(pool.try_submit([&] {
        started = true;
        while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }));
    while (!started) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    for (int i = 0; i < 5; ++i) CHECK(pool.try_submit([&] { ++done; }));
    CHECK(pool.queued() == 5);
    release = true;
    pool.stop();
    CHECK(done == 5);
    CHECK_FALSE(pool.try_submit([] {}));
}

TEST_CASE("a job that throws does not take its worker down") {
    std::atomic<int> done{0};
    WorkerPool pool(1);
    pool.try_submit([] { throw std::runtime_error("bad job"); });
    pool.try_submit([&] { ++done; });
    pool.stop();
    CHECK(done == 1);
}
