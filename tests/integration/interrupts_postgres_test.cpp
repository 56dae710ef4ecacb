// Interrupts and stream_mode on PostgreSQL: a run paused by an interrupt is
// a row, not a thread, so it is answered through another host than the one
// that ran it, and the memory snapshots of stream_mode values come from the
// same transaction as the write.
#include "sse_client.hpp"
#include "test_host.hpp"

#include <functional>

using namespace agenthost::testing;
using namespace std::chrono_literals;

namespace {

const bool kHavePostgres = exit_77_without_postgres();

std::vector<std::string> on_database(const TestDatabase& database) { return {"--database-url", database.url()}; }

rapidjson::Document wait_for(HttpClient& client, const std::string& id, const std::function<bool(const rapidjson::Value&)>& done) {
    rapidjson::Document run;
    bool reached = poll_until(
        [&] {
            run = fetch_run(client, id);
            return run.IsObject() && done(run);
        },
        20000ms, 25ms);
    INFO("run: " << (run.IsObject() ? json_text(run) : std::string("none")));
    REQUIRE(reached);
    return run;
}

}  // namespace

TEST_CASE("on PostgreSQL an interrupt paused on one host is answered through another, in order",
          "[interrupt][postgres]") {
    TestDatabase database;
    const std::string config = host_config(R"({"interrupt_probe":{"enabled":true}})");
    HostProcess a(config, on_database(database));
    HostProcess b(config, on_database(database));
    HttpClient via_a(a.base_url()), via_b(b.base_url());

    auto created = via_a.post("/runs", R"({"agent_name":"interrupt_probe","task":"pg","thread_id":"pg-int",)"
                                       R"("context":{"questions":2,"memory":{"done":true},)"
                                       R"("schema":{"type":"integer","minimum":1}}})");
    INFO(created.body);
    REQUIRE(created.status == 202);
    std::string id = json_of(created)["run_id"].GetString();
    auto pending = [](int index) {
        return [index](const rapidjson::Value& run) {
            return string_member(run, "status") == "pending_approval" && run["approval"].HasMember("interrupt") &&
                   run["approval"]["interrupt"]["index"].GetInt() == index;
        };
    };
    wait_for(via_b, id, pending(1));
    CHECK(string_member(json_of(via_b.get("/threads/pg-int")), "status") == "interrupted");
    error_envelope(via_b.post("/threads/pg-int/runs/" + id + "/resume", R"({"resume":0})"), 422, "ValidationError");
    REQUIRE(via_b.post("/threads/pg-int/runs/" + id + "/resume", R"({"resume":5})").status == 200);
    wait_for(via_a, id, pending(2));
    REQUIRE(via_a.post("/workflow/approve/pg-int", R"({"approved":true,"resume":7})").status == 200);
    auto run = wait_for(via_b, id, [](const rapidjson::Value& run) {
        std::string status = string_member(run, "status");
        return status == "succeeded" || status == "failed" || status == "cancelled";
    });
    REQUIRE(string_member(run, "status") == "succeeded");
    REQUIRE(run["result"]["answers"].Size() == 2);
    CHECK(run["result"]["answers"][0].GetInt() == 5);
    CHECK(run["result"]["answers"][1].GetInt() == 7);
    error_envelope(via_a.post("/threads/pg-int/runs/" + id + "/resume", R"({"resume":9})"), 409, "RunNotInterrupted");

    // The values stream of the run, from the other host: the memory after
    // its one write, with the id of the event it came from.
    SseClient stream(a.port(), "GET", "/runs/" + id + "/stream?stream_mode=values,updates");
    REQUIRE(stream.read_to_end(15000ms));
    std::vector<SseFrame> values, updates;
    for (const auto& frame : stream.frames()) {
        if (frame.event == "values") values.push_back(frame);
        if (frame.event == "updates") updates.push_back(frame);
    }
    REQUIRE(values.size() == 1);
    rapidjson::Document snapshot;
    snapshot.Parse(values[0].data.c_str());
    CHECK(snapshot["done"].GetBool());
    // Two pauses (as __interrupt__) and one write.
    CHECK(updates.size() == 3);
}
