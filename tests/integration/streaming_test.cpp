// Live progress through a real host: SSE streams, resume, long polling,
// heartbeats and cancel-on-disconnect.
#include "sse_client.hpp"
#include "test_host.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

using namespace agenthost::testing;
using namespace std::chrono_literals;
using Catch::Matchers::Contains;

namespace {

HostProcess& host() {
    static HostProcess instance(host_config(R"({"echo":{"enabled":true},"thrower":{"enabled":true}})",
                                            R"("streaming":{"heartbeat_seconds":0.2})"),
                                {"--workers", "4"});
    return instance;
}

std::string chatter(int count, int ms = 0, const std::string& extra = "") {
    return R"({"agent_name":"echo","task":"chatter","context":{"action":"chatter","count":)" + std::to_string(count) +
           R"(,"ms":)" + std::to_string(ms) + "}" + extra + "}";
}

rapidjson::Document frame_json(const SseFrame& frame) {
    rapidjson::Document document;
    document.Parse(frame.data.c_str());
    return document;
}

std::string create_run(const std::string& body) {
    HttpClient client(host().base_url());
    auto created = client.post("/runs", body);
    REQUIRE(created.status == 202);
    return json_of(created)["run_id"].GetString();
}

void wait_final(const std::string& id) {
    HttpClient client(host().base_url());
    REQUIRE(poll_until(
        [&] {
            std::string status = run_status_of(client, id);
            return status == "succeeded" || status == "failed" || status == "cancelled";
        },
        15000ms));
}

}  // namespace

TEST_CASE("POST /agent/stream streams every event in order and ends with done") {
    SseClient stream(host().port(), "POST", "/agent/stream", chatter(20, 5));
    REQUIRE(stream.read_to_end(15s));
    CHECK(stream.status() == 200);
    CHECK(stream.headers().at("content-type") == "text/event-stream");
    const auto& frames = stream.frames();
    REQUIRE(frames.size() >= 2);
    std::vector<std::string> types;
    for (size_t i = 0; i + 1 < frames.size(); ++i) {
        CHECK(frames[i].id == std::to_string(i + 1));  // every seq, none skipped
        auto event = frame_json(frames[i]);
        REQUIRE(event.IsObject());
        CHECK(event["seq"].GetInt64() == static_cast<long long>(i + 1));
        types.emplace_back(event["type"].GetString());
    }
    CHECK(types.front() == "run.queued");
    CHECK(types[1] == "run.started");
    CHECK(std::count(types.begin(), types.end(), "agent.progress") == 21);  // 20 steps + "echoing"
    CHECK(types.back() == "run.succeeded");
    CHECK(frames.back().event == "done");
    CHECK(frames.back().data == R"({"status":"complete"})");
    CHECK(stream.closed_by_server());
}

// Seed 001's other ways in: "stream": true on /agent/invoke, and GET for
// its JavaScript client's EventSource, which cannot POST.
TEST_CASE("POST /agent/invoke with stream true and GET /agent/stream answer as POST /agent/stream does") {
    auto check_stream = [](SseClient& stream) {
        REQUIRE(stream.read_to_end(15s));
        CHECK(stream.status() == 200);
        CHECK(stream.headers().at("content-type") == "text/event-stream");
        const auto& frames = stream.frames();
        REQUIRE(frames.size() >= 3);
        CHECK(frame_json(frames.front())["type"] == "run.queued");
        size_t progress = 0;
        for (const auto& frame : frames)
            if (frame.data.find("\"agent.progress\"") != std::string::npos) ++progress;
        CHECK(progress == 4);  // 3 steps + "echoing"
        CHECK(frame_json(frames[frames.size() - 2])["type"] == "run.succeeded");
        CHECK(frames.back().event == "done");
    };
    {
        std::string body = chatter(3);
        body.insert(body.size() - 1, R"(,"stream":true)");
        SseClient stream(host().port(), "POST", "/agent/invoke", body);
        check_stream(stream);
    }
    {
        // context={"action":"chatter","count":3,"ms":0}, percent-encoded.
        SseClient stream(host().port(), "GET",
                         "/agent/stream?agent_name=echo&task=chatter%20please&thread_id=t-get-stream"
                         "&context=%7B%22action%22%3A%22chatter%22%2C%22count%22%3A3%2C%22ms%22%3A0%7D",
                         "");
        check_stream(stream);
        HttpClient client(host().base_url());
        auto listed = json_of(client.get("/runs?thread_id=t-get-stream"));
        REQUIRE(listed["runs"].Size() == 1);
        auto run = fetch_run(client, listed["runs"][0]["run_id"].GetString());
        CHECK(string_member(run["input"], "task") == "chatter please");
    }
    // Bad queries get the error envelope, not a stream.
    HttpClient client(host().base_url());
    auto bad_context = error_envelope(client.get("/agent/stream?agent_name=echo&task=x&context=%7Bnope"), 400, "InvalidQuery");
    CHECK_THAT(std::string(bad_context["message"].GetString()), Contains("context"));
    error_envelope(client.get("/agent/stream?agent_name=echo&task=x&colour=red"), 400, "InvalidQuery");
    error_envelope(client.get("/agent/stream?agent_name=echo&task=x&context=%5B1%5D"), 422, "ValidationError");
    // No query at all (seed 001's EventSource without its parameters): the
    // query is what is wrong, a GET has no body to blame.
    auto empty = error_envelope(client.get("/agent/stream"), 422, "ValidationError");
    CHECK_THAT(std::string(empty["message"].GetString()), Contains("query is invalid") && !Contains("body"));
    error_envelope(client.get("/agent/stream?agent_name=no-such-agent&task=x"), 404, "AgentNotFound");
}

TEST_CASE("seed 001's EventSource client follows GET /agent/stream to its done event") {
    std::string url = host().base_url() +
                      "/agent/stream?agent_name=echo&task=from%20EventSource"
                      "&context=%7B%22action%22%3A%22chatter%22%2C%22count%22%3A2%2C%22ms%22%3A0%7D";
    std::string command = "node " + std::string(AGENTHOST_SOURCE_DIR) + "/tests/browser/eventsource_check.mjs " +
                          std::string(AGENTHOST_SOURCE_DIR) + "/tools/npm '" + url + "' 2>&1";
    int status = 0;
    std::string output = run_command(command, status);
    INFO(output);
    REQUIRE(status == 0);
    rapidjson::Document seen;
    seen.Parse(output.c_str());
    REQUIRE(seen.IsObject());
    CHECK(seen["error"].IsNull());
    REQUIRE(seen["types"].IsArray());
    REQUIRE(seen["types"].Size() >= 3);
    CHECK(std::string(seen["types"][0].GetString()) == "run.queued");
    CHECK(std::string(seen["types"][seen["types"].Size() - 1].GetString()) == "run.succeeded");
    CHECK(std::string(seen["ids"][0].GetString()) == "1");
    CHECK(string_member(seen, "done") == R"({"status":"complete"})");
}

TEST_CASE("a failed run's stream ends with its failure status") {
    SseClient stream(host().port(), "POST", "/agent/stream", R"({"agent_name":"thrower","task":"x"})");
    REQUIRE(stream.read_to_end(10s));
    CHECK(frame_json(stream.frames()[stream.frames().size() - 2])["type"] == "run.failed");
    CHECK(stream.frames().back().data == R"({"status":"failed"})");
}

TEST_CASE("a stream resumes after every possible Last-Event-ID") {
    std::string id = create_run(chatter(6));
    wait_final(id);
    SseClient full(host().port(), "GET", "/runs/" + id + "/stream");
    REQUIRE(full.read_to_end(10s));
    size_t total = full.frames().size() - 1;  // without the done frame
    REQUIRE(total >= 9);
    for (size_t last = 0; last <= total; ++last) {
        INFO("Last-Event-ID " << last);
        SseClient resumed(host().port(), "GET", "/runs/" + id + "/stream", "",
                          {"Last-Event-ID: " + std::to_string(last)});
        REQUIRE(resumed.read_to_end(10s));
        REQUIRE(resumed.frames().size() == total - last + 1);
        for (size_t i = 0; i < total - last; ++i) CHECK(resumed.frames()[i].data == full.frames()[last + i].data);
        CHECK(resumed.frames().back().event == "done");
    }
    // Browsers' EventSource cannot set headers on a reconnect: a query parameter does.
    SseClient query(host().port(), "GET", "/runs/" + id + "/stream?last_event_id=" + std::to_string(total - 1));
    REQUIRE(query.read_to_end(10s));
    CHECK(query.frames().size() == 2);
    // A bad id is refused in the envelope, not streamed.
    HttpClient client(host().base_url());
    error_envelope(client.get("/runs/" + id + "/stream", {"Last-Event-ID: soon"}), 422, "ValidationError");
    error_envelope(client.get("/runs/no-such-run/stream"), 404, "RunNotFound");
}

TEST_CASE("a client that reconnects mid-run loses nothing") {
    std::string id = create_run(chatter(30, 30));
    std::vector<std::string> seen;
    {
        SseClient first(host().port(), "GET", "/runs/" + id + "/stream");
        REQUIRE(first.read_frames(5, 10s));
        for (const auto& frame : first.frames()) seen.push_back(frame.id);
    }  // hangs up while the run goes on
    SseClient second(host().port(), "GET", "/runs/" + id + "/stream", "", {"Last-Event-ID: " + seen.back()});
    REQUIRE(second.read_to_end(15s));
    for (const auto& frame : second.frames())
        if (frame.event.empty()) seen.push_back(frame.id);
    for (size_t i = 0; i < seen.size(); ++i) CHECK(seen[i] == std::to_string(i + 1));
    CHECK(second.frames().back().event == "done");
}

TEST_CASE("idle streams get heartbeat comments") {
    std::string id = create_run(R"({"agent_name":"echo","task":"sleep","context":{"action":"sleep","ms":1200}})");
    SseClient stream(host().port(), "GET", "/runs/" + id + "/stream");
    REQUIRE(stream.read_to_end(10s));
    CHECK(stream.comments() >= 3);  // 0.2 s heartbeat over a 1.2 s silence
    CHECK(stream.frames().back().event == "done");
}

TEST_CASE("long polling: since_index pages, wait holds until an event or times out") {
    HttpClient client(host().base_url());
    std::string id = create_run(R"({"agent_name":"echo","task":"sleep","context":{"action":"sleep","ms":4000}})");
    REQUIRE(poll_until([&] { return count_events(fetch_events(client, id), "run.started") == 1; }, 5000ms));
    auto before = json_of(client.get("/runs/" + id + "/events"));
    long long next = before["next_index"].GetInt64();

    // Nothing new for 0.3 s: the wait times out with an empty page.
    auto started = std::chrono::steady_clock::now();
    auto empty = json_of(client.get("/runs/" + id + "/events?since_index=" + std::to_string(next) + "&wait=1"));
    auto waited = std::chrono::steady_clock::now() - started;
    // Either the timeout passed empty-handed, or the run's next event came first.
    if (empty["events"].Size() == 0) CHECK(waited >= 900ms);
    CHECK(empty["next_index"].GetInt64() >= next);

    // The next event ends the wait long before its timeout.
    next = empty["next_index"].GetInt64();
    started = std::chrono::steady_clock::now();
    auto woke = json_of(client.get("/runs/" + id + "/events?since_index=" + std::to_string(next) + "&wait=30"));
    CHECK(std::chrono::steady_clock::now() - started < 10s);
    REQUIRE(woke["events"].Size() >= 1);
    CHECK(woke["events"][0]["seq"].GetInt64() == next + 1);
    CHECK(woke["next_index"].GetInt64() > next);
    error_envelope(client.get("/runs/" + id + "/events?wait=61"), 422, "ValidationError");
}

TEST_CASE("on_disconnect: cancel stops the run when the client hangs up; continue leaves it going") {
    HttpClient client(host().base_url());
    std::string cancelled_id, continued_id;
    {
        SseClient stream(host().port(), "POST", "/agent/stream",
                         chatter(1000, 20, R"(,"on_disconnect":"cancel")"));
        REQUIRE(stream.read_frames(4, 10s));
        cancelled_id = frame_json(stream.frames()[0])["run_id"].GetString();
    }
    {
        SseClient stream(host().port(), "POST", "/agent/stream", chatter(20, 20));
        REQUIRE(stream.read_frames(4, 10s));
        continued_id = frame_json(stream.frames()[0])["run_id"].GetString();
    }
    CHECK(poll_until([&] { return run_status_of(client, cancelled_id) == "cancelled"; }, 10000ms));
    CHECK(poll_until([&] { return run_status_of(client, continued_id) == "succeeded"; }, 10000ms));
    error_envelope(client.post("/agent/stream", R"({"agent_name":"echo","task":"x","on_disconnect":"explode"})"), 422,
                   "ValidationError");
}

TEST_CASE("a storm of streams written from run workers, clients leaving at random, leaves the host healthy") {
    // Pistache 0.0.5 aborts when a response stream is written from a worker
    // thread (upstream #1006); this is that scenario, hundreds of times at once.
    constexpr size_t kStreams = 300;
    std::vector<std::unique_ptr<SseClient>> streams;
    for (size_t i = 0; i < kStreams; ++i)
        streams.push_back(std::make_unique<SseClient>(host().port(), "POST", "/agent/stream", chatter(40, 2)));
    // Every third client hangs up after a few frames (a different number each).
    std::vector<size_t> leave_after(kStreams, 0);
    for (size_t i = 0; i < kStreams; i += 3) leave_after[i] = 1 + i % 17;
    size_t completed = 0, left = 0;
    auto deadline = std::chrono::steady_clock::now() + 60s;
    while (completed + left < kStreams && std::chrono::steady_clock::now() < deadline) {
        for (size_t i = 0; i < kStreams; ++i) {
            SseClient* stream = streams[i].get();
            if (stream == nullptr) continue;
            stream->read_frames(1, 5ms);
            if (leave_after[i] != 0 && stream->frames().size() >= leave_after[i]) {
                streams[i].reset();  // hangs up mid-stream
                ++left;
            } else if (stream->closed_by_server()) {
                if (!stream->frames().empty() && stream->frames().back().event == "done") ++completed;
                streams[i].reset();
            }
        }
    }
    CHECK(left == kStreams / 3);
    CHECK(completed == kStreams - left);
    CHECK(host().running());
    HttpClient client(host().base_url());
    CHECK(client.get("/health").status == 200);
    SseClient after(host().port(), "POST", "/agent/stream", chatter(3));
    REQUIRE(after.read_to_end(10s));
    CHECK(after.frames().back().event == "done");
    CHECK(poll_until([&] { return json_of(client.get("/health"))["components"]["streams"]["open"].GetInt() == 0; }, 10000ms));
}
