#include "runs/run_execution.hpp"

#include <catch2/catch.hpp>

using agenthost::runs::final_events;
using agenthost::store::RunRecord;

namespace {

RunRecord succeeded(std::string result_json) {
    RunRecord run;
    run.id = "run-1";
    run.status = agenthost::store::run_status::succeeded;
    run.finished_at_ms = 1000;
    run.result_json = std::move(result_json);
    return run;
}

}  // namespace

// final_events skips parsing a result whose text cannot hold an "artifacts"
// key; these pin down that it still finds every one that does.
TEST_CASE("a succeeded run's artifacts each become an artifact event before run.succeeded") {
    auto events = final_events(
        succeeded(R"({"artifacts": [{"path": "a.txt", "content": "x"}, 7, {"path": "b.txt", "content": "y"}]})"), 4);
    REQUIRE(events.size() == 3);
    CHECK(events[0].type == "artifact");
    CHECK(events[0].seq == 4);
    CHECK(events[0].data_json == R"({"path":"a.txt","content":"x"})");
    CHECK(events[1].type == "artifact");
    CHECK(events[1].data_json == R"({"path":"b.txt","content":"y"})");
    CHECK(events[2].type == "run.succeeded");
    CHECK(events[2].seq == 6);
}

TEST_CASE("an artifacts key spelled with unicode escapes is still read") {
    auto events = final_events(succeeded(R"({"\u0061rtifact\u0073": [{"path": "a.txt"}]})"), 1);
    REQUIRE(events.size() == 2);
    CHECK(events[0].type == "artifact");
    CHECK(events[1].type == "run.succeeded");
}

TEST_CASE("a result without artifacts ends with run.succeeded alone") {
    for (const char* result : {R"({"label": "positive", "score": 0.8})", R"({"note": "no artifacts here"})",
                               R"({"artifacts": "not a list"})", "not json"}) {
        auto events = final_events(succeeded(result), 2);
        REQUIRE(events.size() == 1);
        CHECK(events[0].type == "run.succeeded");
        CHECK(events[0].seq == 2);
    }
}
