// GET /stream through a real host and a real WebSocket client (Debian's
// python3-websockets): every event in order, resume from a last event id,
// a fragmented first message, ping/pong, the close handshake, a client
// that vanishes, refused handshakes, and a run named in the query that
// streams with no message sent.
#include "test_host.hpp"

#include <array>
#include <chrono>
#include <cstdio>
#include <sstream>
#include <vector>

using namespace agenthost::testing;
using namespace std::chrono_literals;
using Catch::Matchers::Contains;

namespace {

HostProcess& host() {
    static HostProcess instance(host_config(R"({"echo":{"enabled":true}})", R"("streaming":{"heartbeat_seconds":0.5})"));
    return instance;
}

std::string create_run(int count, int ms) {
    HttpClient client(host().base_url());
    auto created = client.post("/runs", R"({"agent_name":"echo","task":"chatter","context":{"action":"chatter","count":)" +
                                            std::to_string(count) + R"(,"ms":)" + std::to_string(ms) + "}}");
    REQUIRE(created.status == 202);
    return json_of(created)["run_id"].GetString();
}

// Runs the client script and parses what it printed.
rapidjson::Document client(const std::string& mode, const std::string& run_id, const std::string& last = "") {
    std::string url = "ws://127.0.0.1:" + std::to_string(host().port()) + "/stream";
    std::string command = std::string("/usr/bin/python3 ") + AGENTHOST_SOURCE_DIR + "/tests/websocket/stream_client.py " +
                          url + " " + mode + " '" + run_id + "' " + last + " 2>&1";
    std::string output;
    FILE* pipe = popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::array<char, 4096> buffer{};
    size_t n;
    while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) output.append(buffer.data(), n);
    int status = pclose(pipe);
    INFO(output);
    REQUIRE(status == 0);
    rapidjson::Document document;
    document.Parse(output.c_str());
    REQUIRE_FALSE(document.HasParseError());
    return document;
}

void wait_final(const std::string& id) {
    HttpClient http(host().base_url());
    REQUIRE(poll_until([&] { return run_status_of(http, id) == "succeeded"; }, 20000ms));
}

}  // namespace

TEST_CASE("GET /stream delivers every event of a run in order to a real WebSocket client, then done and a close") {
    std::string run_id = create_run(30, 10);
    auto answer = client("follow", run_id);
    CHECK(answer["pong"].GetBool());
    const auto& events = answer["events"];
    REQUIRE(events.Size() >= 32);
    for (rapidjson::SizeType i = 0; i < events.Size(); ++i) {
        CHECK(events[i]["seq"].GetInt64() == static_cast<long long>(i) + 1);
        CHECK(std::string(events[i]["run_id"].GetString()) == run_id);
    }
    CHECK(std::string(events[events.Size() - 1]["type"].GetString()) == "run.succeeded");
    REQUIRE(answer["done"].IsObject());
    CHECK(std::string(answer["done"]["status"].GetString()) == "complete");
    CHECK(answer["close_code"].GetInt() == 1000);
    // The same events the SSE stream and polling read.
    HttpClient http(host().base_url());
    CHECK(fetch_events(http, run_id).size() == events.Size());
}

TEST_CASE("GET /stream resumes after the last event id of the first message, also sent in fragments") {
    std::string run_id = create_run(10, 0);
    wait_final(run_id);
    auto resumed = client("fragmented", run_id, "5");
    const auto& events = resumed["events"];
    REQUIRE(events.Size() >= 1);
    CHECK(events[0]["seq"].GetInt64() == 6);
    for (rapidjson::SizeType i = 1; i < events.Size(); ++i)
        CHECK(events[i]["seq"].GetInt64() == events[i - 1]["seq"].GetInt64() + 1);
    CHECK(std::string(resumed["done"]["status"].GetString()) == "complete");
    // Past the last event: nothing but done.
    auto past = client("follow", run_id, "1000");
    CHECK(past["events"].Empty());
    CHECK(std::string(past["done"]["status"].GetString()) == "complete");
}

TEST_CASE("GET /stream answers the client's close handshake, survives a vanished client, refuses bad handshakes") {
    std::string run_id = create_run(100, 30);
    auto closed = client("close_early", run_id);
    CHECK(closed["close_code"].GetInt() == 1000);
    CHECK(closed["close_seconds"].GetDouble() < 2.0);  // answered, not timed out

    auto vanished = client("vanish", run_id);
    CHECK(vanished["events"].Size() == 1);
    // The host goes on: the run ends and another client reads it whole.
    wait_final(run_id);
    auto after = client("follow", run_id);
    CHECK(std::string(after["done"]["status"].GetString()) == "complete");
    HttpClient http(host().base_url());
    CHECK(http.get("/health").status == 200);

    auto unknown = client("follow", "no-such-run");
    REQUIRE(unknown["events"].Size() == 1);
    CHECK(std::string(unknown["events"][0]["error"].GetString()) == "RunNotFound");
    CHECK(unknown["close_code"].GetInt() == 1008);

    error_envelope(http.get("/stream"), 426, "UpgradeRequired");
    error_envelope(http.get("/stream", {"Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 13",
                                        "Sec-WebSocket-Key: short"}),
                   400, "BadHandshake");
    error_envelope(http.get("/stream", {"Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 8",
                                        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="}),
                   426, "UpgradeRequired");
}

TEST_CASE("GET /stream?run_id= streams at once, with no message from the client, and logs the upgrade as 101") {
    std::string run_id = create_run(5, 0);
    wait_final(run_id);
    auto whole = client("query", run_id);
    const auto& events = whole["events"];
    REQUIRE(events.Size() >= 7);  // queued, started, 5 chatter lines..., succeeded
    CHECK(events[0]["seq"].GetInt64() == 1);
    CHECK(std::string(events[events.Size() - 1]["type"].GetString()) == "run.succeeded");
    REQUIRE(whole["done"].IsObject());
    CHECK(std::string(whole["done"]["status"].GetString()) == "complete");
    CHECK(whole["close_code"].GetInt() == 1000);

    // ?last_event_id= resumes as the first message's last_event_id does.
    auto resumed = client("query", run_id, "3");
    REQUIRE(resumed["events"].Size() == events.Size() - 3);
    CHECK(resumed["events"][0]["seq"].GetInt64() == 4);
    CHECK(std::string(resumed["done"]["status"].GetString()) == "complete");

    // A run still going is followed to its end.
    std::string live = create_run(10, 20);
    auto followed = client("query", live);
    CHECK(std::string(followed["events"][followed["events"].Size() - 1]["type"].GetString()) == "run.succeeded");
    CHECK(std::string(followed["done"]["status"].GetString()) == "complete");

    auto unknown = client("query", "no-such-run");
    REQUIRE(unknown["events"].Size() == 1);
    CHECK(std::string(unknown["events"][0]["error"].GetString()) == "RunNotFound");
    CHECK(unknown["close_code"].GetInt() == 1008);

    // The upgrade is answered 101, and the access log says so (its lines
    // are written by a thread of their own: polled).
    auto upgrade_lines = [] {
        std::vector<std::string> found;
        std::istringstream lines(host().log());
        for (std::string line; std::getline(lines, line);)
            if (line.find(R"("msg":"request")") != std::string::npos && line.find(R"("path":"/stream)") != std::string::npos &&
                line.find(R"("streaming")") != std::string::npos)
                found.push_back(line);
        return found;
    };
    REQUIRE(poll_until([&] { return upgrade_lines().size() >= 4; }, 5000ms));
    for (const auto& line : upgrade_lines()) {
        INFO(line);
        CHECK_THAT(line, Contains(R"("status":101)"));
    }
}

TEST_CASE("GET /stream refuses a first message whose run_id is not a run id with a validation error") {
    for (std::string first : {R"({"run_id":5})", R"({})", R"({"run_id":""})"}) {
        INFO(first);
        auto refused = client("raw", first);
        REQUIRE(refused["events"].Size() == 1);
        CHECK(std::string(refused["events"][0]["error"].GetString()) == "ValidationError");
        CHECK_THAT(refused["events"][0]["message"].GetString(), Contains("run_id"));
        CHECK(refused["close_code"].GetInt() == 1008);
    }
}
