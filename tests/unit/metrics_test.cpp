#include "metrics/metric_family.hpp"

#include <catch2/catch.hpp>

#include <thread>
#include <vector>

using namespace agenthost::metrics;
using Catch::Matchers::Contains;

TEST_CASE("a counter family renders one line per label set, with escaped values") {
    Family family("t_requests_total", "Requests.", Family::Type::counter, {"route", "status"});
    family.add({"/runs/:id", "200"});
    family.add({"/runs/:id", "200"}, 2);
    family.add({"say \"hi\"\\\n", "500"});
    std::string out;
    family.render(out);
    CHECK_THAT(out, Contains("# HELP t_requests_total Requests.\n# TYPE t_requests_total counter\n"));
    CHECK_THAT(out, Contains("t_requests_total{route=\"/runs/:id\",status=\"200\"} 3\n"));
    CHECK_THAT(out, Contains("t_requests_total{route=\"say \\\"hi\\\"\\\\\\n\",status=\"500\"} 1\n"));
}

TEST_CASE("a histogram's buckets are cumulative, with +Inf, sum and count") {
    Family family("t_seconds", "Durations.", Family::Type::histogram, {"agent"}, {0.1, 1});
    family.observe({"echo"}, 0.05);
    family.observe({"echo"}, 0.5);
    family.observe({"echo"}, 0.5);
    family.observe({"echo"}, 7);
    std::string out;
    family.render(out);
    CHECK_THAT(out, Contains("t_seconds_bucket{agent=\"echo\",le=\"0.1\"} 1\n"));
    CHECK_THAT(out, Contains("t_seconds_bucket{agent=\"echo\",le=\"1\"} 3\n"));
    CHECK_THAT(out, Contains("t_seconds_bucket{agent=\"echo\",le=\"+Inf\"} 4\n"));
    CHECK_THAT(out, Contains("t_seconds_sum{agent=\"echo\"} 8.05\n"));
    CHECK_THAT(out, Contains("t_seconds_count{agent=\"echo\"} 4\n"));
}

TEST_CASE("an unused family renders nothing") {
    Family family("t_unused_total", "Never.", Family::Type::counter, {});
    std::string out;
    family.render(out);
    CHECK(out.empty());
}

TEST_CASE("counting from many threads loses nothing") {
    Family family("t_many_total", "Many.", Family::Type::counter, {"thread"});
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 20000; ++i) family.add({t % 2 == 0 ? "even" : "odd"});
        });
    for (auto& thread : threads) thread.join();
    std::string out;
    family.render(out);
    CHECK_THAT(out, Contains("t_many_total{thread=\"even\"} 80000\n"));
    CHECK_THAT(out, Contains("t_many_total{thread=\"odd\"} 80000\n"));
}
