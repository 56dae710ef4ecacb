#include "util/log.hpp"
#include "util/log_writer.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

using agenthost::log::LineWriter;
using agenthost::log::PendingLine;
using Clock = std::chrono::steady_clock;

namespace {

// What the writer handed to its sink, readable from the test's thread.
struct RecordingSink {
    std::mutex mutex;
    std::vector<std::string> lines;
    std::vector<int> levels;
    std::atomic<int> batches{0};
    std::chrono::microseconds delay{0};  // a slow disk

    LineWriter::Sink sink() {
        return [this](std::vector<PendingLine>& batch) {
            if (delay.count() > 0) std::this_thread::sleep_for(delay);
            std::lock_guard<std::mutex> lock(mutex);
            for (auto& line : batch) {
                lines.push_back(line.text);
                levels.push_back(line.level);
            }
            ++batches;
        };
    }
    size_t size() {
        std::lock_guard<std::mutex> lock(mutex);
        return lines.size();
    }
};

PendingLine line(std::string text, int level = 1) {
    return PendingLine{std::chrono::system_clock::now(), level, std::move(text)};
}

bool wait_for(const std::function<bool()>& condition, std::chrono::milliseconds limit) {
    auto deadline = Clock::now() + limit;
    while (Clock::now() < deadline) {
        if (condition()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return condition();
}

}  // namespace

TEST_CASE("the log writer loses no line under concurrent load and keeps each thread's order") {
    RecordingSink recorded;
    recorded.delay = std::chrono::microseconds(200);
    LineWriter::Options options;
    options.capacity = 64;  // far below the load: callers must wait, never drop
    options.wake_batch = 16;
    options.report_waits = [](size_t count) { return line("waited " + std::to_string(count), 2); };
    const int kThreads = 8, kPerThread = 4000;
    size_t waited = 0;
    {
        LineWriter writer(recorded.sink(), options);
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t)
            threads.emplace_back([&, t] {
                for (int i = 0; i < kPerThread; ++i) writer.push(line(std::to_string(t) + ":" + std::to_string(i)));
            });
        for (auto& thread : threads) thread.join();
        writer.stop();
        waited = writer.waited();
    }
    std::map<int, int> next;
    size_t reported = 0;
    for (const std::string& text : recorded.lines) {
        if (text.rfind("waited ", 0) == 0) {
            reported += std::stoul(text.substr(7));
            continue;
        }
        int thread = std::stoi(text.substr(0, text.find(':')));
        int index = std::stoi(text.substr(text.find(':') + 1));
        INFO(text);
        REQUIRE(index == next[thread]);  // each line once, in its thread's order
        ++next[thread];
    }
    for (int t = 0; t < kThreads; ++t) CHECK(next[t] == kPerThread);
    // The queue was full at times, and the log says how often callers waited.
    CHECK(waited > 0);
    CHECK(reported == waited);
}

TEST_CASE("a lone log line reaches the sink within the writer's period, with no further lines") {
    RecordingSink recorded;
    LineWriter::Options options;
    options.max_delay = std::chrono::milliseconds(200);
    LineWriter writer(recorded.sink(), options);
    // Let the writer go idle first, so only its period can bring the line out.
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    auto pushed = Clock::now();
    writer.push(line("plugin loaded"));
    REQUIRE(wait_for([&] { return recorded.size() == 1; }, std::chrono::milliseconds(3000)));
    // Generous against a loaded machine; without the periodic wake the line
    // would stay queued until stop().
    CHECK(Clock::now() - pushed < std::chrono::milliseconds(1500));
    CHECK(recorded.lines[0] == "plugin loaded");
}

TEST_CASE("warnings wake the log writer at once instead of waiting for its period") {
    RecordingSink recorded;
    LineWriter::Options options;
    options.max_delay = std::chrono::milliseconds(60000);  // the period alone would take a minute
    options.urgent_level = 3;
    LineWriter writer(recorded.sink(), options);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    writer.push(line("routine", 1));
    writer.push(line("something is wrong", 3));
    REQUIRE(wait_for([&] { return recorded.size() == 2; }, std::chrono::milliseconds(3000)));
    CHECK(recorded.lines == std::vector<std::string>{"routine", "something is wrong"});
}

TEST_CASE("stopping the log writer writes what is queued; later lines are written by the caller") {
    RecordingSink recorded;
    LineWriter::Options options;
    options.max_delay = std::chrono::milliseconds(60000);
    LineWriter writer(recorded.sink(), options);
    for (int i = 0; i < 100; ++i) writer.push(line(std::to_string(i)));
    writer.stop();
    CHECK(recorded.size() == 100);
    writer.push(line("after"));
    CHECK(recorded.size() == 101);
    CHECK(recorded.lines.back() == "after");
}

TEST_CASE("a line logged after the log's shutdown is still written, not a call through a null logger") {
    // A thread or destructor that finishes after main's log::shutdown().
    agenthost::log::init(agenthost::log::Level::error);
    agenthost::log::shutdown();
    CHECK(agenthost::log::enabled(agenthost::log::Level::error));
    agenthost::log::write(agenthost::log::Level::error, "a late line, written synchronously");
}
