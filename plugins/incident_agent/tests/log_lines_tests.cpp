// Reading log lines: times, levels, services and messages in the common formats.
#include <catch2/catch.hpp>

#include "incident.hpp"

using incident::Level;

TEST_CASE("plain lines: ISO time, level, bracketed service", "[lines]") {
    auto e = incident::parse_line("2026-12-06T14:21:05.250Z ERROR [checkout] Unhandled exception in order 5", 3);
    CHECK(e.line == 3);
    CHECK(e.time == Approx(*incident::parse_time("2026-12-06T14:21:05Z") + 0.25));
    CHECK(e.level == Level::error);
    CHECK(e.service == "checkout");
    CHECK(e.message == "Unhandled exception in order 5");
    e = incident::parse_line("2026-12-06 16:21:05,5 WARN disk at 91%", 1);
    CHECK(e.level == Level::warn);
    CHECK(e.message == "disk at 91%");
    e = incident::parse_line("[2026-12-06T14:00:00+02:00] INFO started", 1);
    CHECK(incident::format_time(e.time) == "2026-12-06T12:00:00Z");
    e = incident::parse_line("no time here", 1);
    CHECK(std::isnan(e.time));
    CHECK(e.level == Level::info);
}

TEST_CASE("logfmt levels, access-log 5xx and JSON lines", "[lines]") {
    auto e = incident::parse_line("ts=2026-12-06T14:00:00Z level=error msg=\"db down\"", 1);
    CHECK(e.level == Level::error);
    e = incident::parse_line(R"(2026-12-06T14:00:00Z INFO [web] 10.0.0.1 "GET /pay HTTP/1.1" 503 12 40ms)", 1);
    CHECK(e.level == Level::error);
    e = incident::parse_line(R"(2026-12-06T14:00:00Z INFO [web] 10.0.0.1 "GET /pay HTTP/1.1" 404 12 4ms)", 1);
    CHECK(e.level == Level::info);
    e = incident::parse_line(R"({"time":"2026-12-06T14:00:01Z","level":"warning","service":"api","msg":"slow call"})", 9);
    CHECK(e.level == Level::warn);
    CHECK(e.service == "api");
    CHECK(e.message == "slow call");
    CHECK(incident::format_time(e.time) == "2026-12-06T14:00:01Z");
    e = incident::parse_line(R"({"ts":1796536800123,"msg":"request done","status":502})", 1);
    CHECK(e.level == Level::error);
    CHECK(incident::format_time(e.time) == "2026-12-06T06:00:00Z");
    CHECK(!incident::parse_time("2026-13-01T00:00:00Z"));
    CHECK(!incident::parse_time("yesterday"));
}
