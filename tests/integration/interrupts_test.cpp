// Resumable interrupts and stream_mode through the real host: an agent asks
// a person through Run::interrupt (in process and in a runner process), its
// thread shows interrupted, the answer (checked against the agent's schema)
// is what the agent's call returns when the run resumes; workflow steps
// pause before and after without plugin help; every stream_mode sends its
// view of the event log and resumes by Last-Event-ID.
#include "sse_client.hpp"
#include "test_host.hpp"

#include <algorithm>
#include <functional>
#include <thread>
#include <vector>

using namespace agenthost::testing;
using namespace std::chrono_literals;
using Catch::Matchers::Contains;

namespace {

HostProcess& host_for(const std::string& isolation) {
    static HostProcess in_process(
        host_config(R"({"interrupt_probe":{"enabled":true,"isolation":"in_process"},"echo":{"enabled":true}})"));
    static HostProcess runner(host_config(R"({"interrupt_probe":{"enabled":true,"isolation":"process"}})"));
    return isolation == "process" ? runner : in_process;
}

std::string post_run(HttpClient& client, const std::string& body) {
    auto result = client.post("/runs", body);
    INFO(result.body);
    REQUIRE(result.status == 202);
    return json_of(result)["run_id"].GetString();
}

rapidjson::Document wait_until(HttpClient& client, const std::string& id,
                               const std::function<bool(const rapidjson::Value&)>& reached, const char* what) {
    rapidjson::Document run;
    bool ok = poll_until(
        [&] {
            run = fetch_run(client, id);
            return run.IsObject() && reached(run);
        },
        15000ms, 20ms);
    INFO("run " << id << " never reached: " << what << "; last: " << (run.IsObject() ? json_text(run) : "none"));
    REQUIRE(ok);
    return run;
}

// Paused on its `index`-th interrupt (1-based).
rapidjson::Document wait_interrupted(HttpClient& client, const std::string& id, int index) {
    return wait_until(
        client, id,
        [index](const rapidjson::Value& run) {
            return string_member(run, "status") == "pending_approval" && run["approval"].IsObject() &&
                   run["approval"].HasMember("interrupt") && run["approval"]["interrupt"]["index"].GetInt() == index;
        },
        "interrupted");
}

rapidjson::Document wait_final(HttpClient& client, const std::string& id) {
    return wait_until(
        client, id,
        [](const rapidjson::Value& run) {
            std::string status = string_member(run, "status");
            return status == "succeeded" || status == "failed" || status == "cancelled";
        },
        "a final status");
}

std::string thread_status(HttpClient& client, const std::string& thread) {
    return string_member(json_of(client.get("/threads/" + thread)), "status");
}

std::string resume_path(const std::string& thread, const std::string& run) {
    return "/threads/" + thread + "/runs/" + run + "/resume";
}

}  // namespace

TEST_CASE("a run asks a person through an interrupt and the agent's call returns the answer", "[interrupt]") {
    std::string isolation = GENERATE(as<std::string>{}, "in_process", "process");
    INFO("isolation: " << isolation);
    HttpClient client(host_for(isolation).base_url());
    std::string thread = "int-one-" + isolation;
    std::string id = post_run(client, R"({"agent_name":"interrupt_probe","task":"the release","thread_id":")" + thread +
                                          R"(","context":{"questions":1,"schema":{"type":"object","required":["version"],)"
                                          R"("properties":{"version":{"type":"string"}}}}})");
    auto paused = wait_interrupted(client, id, 1);
    // The question and its schema are in the run, for the person.
    CHECK(string_member(paused["approval"], "kind") == "interrupt");
    CHECK(string_member(paused["approval"]["interrupt"], "question") == "question 1 about the release");
    CHECK(paused["approval"]["interrupt"]["schema"]["required"][0] == "version");
    CHECK(thread_status(client, thread) == "interrupted");
    auto events = fetch_events(client, id);
    CHECK(count_events(events, "run.interrupted") == 1);

    // An answer that misses the schema is refused naming the problem, and
    // the run keeps waiting.
    auto bad = error_envelope(client.post(resume_path(thread, id), R"({"resume":{"version":7}})"), 422, "ValidationError");
    CHECK_THAT(bad["message"].GetString(), Contains("/resume/version"));
    CHECK(string_member(fetch_run(client, id), "status") == "pending_approval");

    auto resumed = client.post(resume_path(thread, id), R"({"resume":{"version":"1.4.2"},"comment":"ship it"})");
    INFO(resumed.body);
    REQUIRE(resumed.status == 200);
    CHECK(string_member(json_of(resumed), "run_id") == id);
    auto run = wait_final(client, id);
    REQUIRE(string_member(run, "status") == "succeeded");
    // The agent's interrupt call returned the person's value.
    REQUIRE(run["result"]["answers"].Size() == 1);
    CHECK(string_member(run["result"]["answers"][0], "version") == "1.4.2");
    CHECK(thread_status(client, thread) == "idle");
    events = fetch_events(client, id);
    CHECK(count_events(events, "run.resumed") == 1);
    // Invoked once to ask and once after the answer; asking spent no attempt.
    CHECK(count_events(events, "run.started") == 2);
    CHECK(run["attempts"].GetInt() == 1);

    // Resuming a run that no longer waits is a conflict.
    error_envelope(client.post(resume_path(thread, id), R"({"resume":{"version":"2"}})"), 409, "RunNotInterrupted");
}

TEST_CASE("two interrupts in one run answer in order, through resume and /workflow/approve", "[interrupt]") {
    std::string isolation = GENERATE(as<std::string>{}, "in_process", "process");
    INFO("isolation: " << isolation);
    HttpClient client(host_for(isolation).base_url());
    std::string thread = "int-two-" + isolation;
    std::string id = post_run(client, R"({"agent_name":"interrupt_probe","task":"two things","thread_id":")" + thread +
                                          R"(","context":{"questions":2}})");
    wait_interrupted(client, id, 1);
    REQUIRE(client.post(resume_path(thread, id), R"({"resume":"first answer"})").status == 200);
    auto second = wait_interrupted(client, id, 2);
    CHECK(string_member(second["approval"]["interrupt"], "question") == "question 2 about two things");
    // The earlier answer is kept with the pause.
    CHECK(std::string(second["approval"]["resume_values"][0].GetString()) == "first answer");
    // seed 001's approve path carries the answer too; approving an interrupt
    // without one is refused.
    error_envelope(client.post("/workflow/approve/" + thread, R"({"approved":true})"), 422, "ValidationError");
    auto approved = client.post("/workflow/approve/" + thread, R"({"approved":true,"resume":{"n":2}})");
    INFO(approved.body);
    REQUIRE(approved.status == 200);
    auto run = wait_final(client, id);
    REQUIRE(string_member(run, "status") == "succeeded");
    REQUIRE(run["result"]["answers"].Size() == 2);
    CHECK(std::string(run["result"]["answers"][0].GetString()) == "first answer");
    CHECK(run["result"]["answers"][1]["n"].GetInt() == 2);
    CHECK(count_events(fetch_events(client, id), "run.interrupted") == 2);
}

TEST_CASE("an edited input resumes the run with the new task, and rejecting an interrupt cancels the run",
          "[interrupt]") {
    HttpClient client(host_for("in_process").base_url());
    std::string id = post_run(client, R"({"agent_name":"interrupt_probe","task":"old task","thread_id":"int-edit",)"
                                      R"("context":{"questions":1}})");
    wait_interrupted(client, id, 1);
    // An edited input the agent's input schema refuses is a 422 on /input.
    auto refused = error_envelope(client.post(resume_path("int-edit", id), R"({"resume":1,"input":{"context":{"questions":99}}})"),
                                  422, "ValidationError");
    CHECK_THAT(refused["message"].GetString(), Contains("input"));
    REQUIRE(client.post(resume_path("int-edit", id), R"({"resume":"yes","input":{"task":"new task"}})").status == 200);
    auto run = wait_final(client, id);
    REQUIRE(string_member(run, "status") == "succeeded");
    CHECK(string_member(run["result"], "task") == "new task");
    CHECK(std::string(run["result"]["answers"][0].GetString()) == "yes");

    std::string rejected = post_run(client, R"({"agent_name":"interrupt_probe","task":"t","thread_id":"int-reject",)"
                                            R"("context":{"questions":1}})");
    wait_interrupted(client, rejected, 1);
    REQUIRE(client.post("/workflow/approve/int-reject", R"({"approved":false,"comment":"no"})").status == 200);
    auto ended = wait_final(client, rejected);
    CHECK(string_member(ended, "status") == "cancelled");
    CHECK(string_member(ended, "error_type") == "rejected");
}

TEST_CASE("concurrent answers to one interrupt: exactly one is taken, the others are conflicts", "[interrupt]") {
    HttpClient client(host_for("in_process").base_url());
    std::string id = post_run(client, R"({"agent_name":"interrupt_probe","task":"t","thread_id":"int-race",)"
                                      R"("context":{"questions":1}})");
    wait_interrupted(client, id, 1);
    std::vector<long> statuses(8, 0);
    std::vector<std::thread> answerers;
    for (int i = 0; i < 8; ++i)
        answerers.emplace_back([&, i] {
            HttpClient own(host_for("in_process").base_url());
            statuses[i] = own.post(resume_path("int-race", id), R"({"resume":)" + std::to_string(i) + "}").status;
        });
    for (auto& answerer : answerers) answerer.join();
    CHECK(std::count(statuses.begin(), statuses.end(), 200L) == 1);
    CHECK(std::count(statuses.begin(), statuses.end(), 409L) == 7);
    auto run = wait_final(client, id);
    REQUIRE(string_member(run, "status") == "succeeded");
    int taken = static_cast<int>(std::find(statuses.begin(), statuses.end(), 200L) - statuses.begin());
    CHECK(run["result"]["answers"][0].GetInt() == taken);
}

TEST_CASE("resume is refused clearly for what does not wait on an interrupt", "[interrupt]") {
    HttpClient client(host_for("in_process").base_url());
    // A run waiting for an approval (not an interrupt) is not resumed.
    std::string approval = post_run(client, R"({"agent_name":"echo","task":"t","thread_id":"int-appr","require_approval":true})");
    wait_until(client, approval, [](const rapidjson::Value& run) { return string_member(run, "status") == "pending_approval"; },
               "pending_approval");
    auto conflict = error_envelope(client.post(resume_path("int-appr", approval), R"({"resume":1})"), 409, "RunNotInterrupted");
    CHECK_THAT(conflict["message"].GetString(), Contains("/workflow/approve/int-appr"));
    error_envelope(client.post(resume_path("int-other", approval), R"({"resume":1})"), 404, "RunNotFound");
    error_envelope(client.post(resume_path("int-appr", "no-such-run"), R"({"resume":1})"), 404, "RunNotFound");
    error_envelope(client.post(resume_path("int-appr", approval), R"({"resume":1,"extra":true})"), 422, "ValidationError");
    error_envelope(client.post(resume_path("int-appr", approval), "{not json"), 400, "InvalidJSON");
    REQUIRE(client.post("/workflow/approve/int-appr", R"({"approved":false})").status == 200);

    // An approval may be granted with an edited input: the run starts with it.
    std::string edited = post_run(client, R"({"agent_name":"echo","task":"first draft","thread_id":"int-appr-edit",)"
                                          R"("require_approval":true})");
    wait_until(client, edited, [](const rapidjson::Value& run) { return string_member(run, "status") == "pending_approval"; },
               "pending_approval");
    REQUIRE(client.post("/workflow/approve/int-appr-edit", R"({"approved":true,"input":{"task":"final text"}})").status == 200);
    auto approved_run = wait_final(client, edited);
    CHECK(string_member(approved_run, "status") == "succeeded");
    CHECK(string_member(approved_run["input"], "task") == "final text");
    auto trail = json_of(client.get("/runs/" + edited + "/audit"));
    bool granted = false;
    for (const auto& entry : trail["entries"].GetArray()) granted = granted || string_member(entry, "action") == "approval.granted";
    CHECK(granted);

    // A plugin that asks without a question fails its run naming the call.
    std::string bad = post_run(client, R"({"agent_name":"interrupt_probe","task":"t","context":{"bad_request":true}})");
    auto failed = wait_final(client, bad);
    CHECK(string_member(failed, "status") == "failed");
    CHECK_THAT(string_member(failed, "error"), Contains("callback interrupt refused a bad argument"));
}

TEST_CASE("interrupt_before and interrupt_after pause a workflow's steps without plugin help", "[interrupt][dag]") {
    HttpClient client(host_for("in_process").base_url());
    auto accepted = client.post("/agents/orchestrate", R"({"task":"two steps","thread_id":"int-dag","steps":[
        {"id":"first","agent":"interrupt_probe","interrupt_after":true,"context":{"memory":{"first":1},"questions":1}},
        {"id":"second","agent":"interrupt_probe","depends_on":["first"],"context":{"memory":{"second":2}}}],
        "interrupt_before":["second"]})");
    INFO(accepted.body);
    REQUIRE(accepted.status == 202);
    std::string workflow = json_of(accepted)["id"].GetString();
    auto steps = [&] {
        auto status = json_of(client.get("/agents/status/" + workflow));
        std::map<std::string, rapidjson::Document> by_id;
        for (const auto& step : status["steps"].GetArray()) {
            rapidjson::Document copy;
            copy.CopyFrom(step, copy.GetAllocator());
            by_id[string_member(step, "id")] = std::move(copy);
        }
        return by_id;
    };
    std::string first = string_member(steps()["first"], "run_id");
    std::string second = string_member(steps()["second"], "run_id");
    // The first step's agent asks a question of its own first; answered,
    // the step runs, then pauses after itself: its memory write is there,
    // its dependant has not started.
    wait_interrupted(client, first, 1);
    REQUIRE(client.post(resume_path("int-dag", first), R"({"resume":"go"})").status == 200);
    auto after = wait_until(client, first, [](const rapidjson::Value& run) {
        return string_member(run, "status") == "pending_approval" &&
               string_member(run["approval"], "trigger") == "interrupt_after";
    }, "paused after");
    CHECK(string_member(after["approval"], "trigger") == "interrupt_after");
    CHECK(after["approval"]["result"]["answers"].IsArray());
    CHECK(thread_status(client, "int-dag") == "interrupted");
    CHECK(json_of(client.get("/threads/int-dag/state"))["values"]["first"].GetInt() == 1);
    CHECK(string_member(fetch_run(client, second), "status") == "blocked");
    int executions_before = after["approval"]["result"]["executions"].GetInt();

    // Resuming continues with the kept result: the step is not run again.
    REQUIRE(client.post(resume_path("int-dag", first), "{}").status == 200);
    auto done_first = wait_final(client, first);
    CHECK(string_member(done_first, "status") == "succeeded");
    CHECK(done_first["result"]["executions"].GetInt() == executions_before);
    CHECK(std::string(done_first["result"]["answers"][0].GetString()) == "go");

    // The second step then waits before it runs.
    auto before = wait_until(client, second, [](const rapidjson::Value& run) {
        return string_member(run, "status") == "pending_approval";
    }, "paused before");
    CHECK(string_member(before["approval"], "trigger") == "interrupt_before");
    CHECK_FALSE(json_of(client.get("/threads/int-dag/state"))["values"].HasMember("second"));
    REQUIRE(client.post(resume_path("int-dag", second), "{}").status == 200);
    CHECK(string_member(wait_final(client, second), "status") == "succeeded");
    CHECK(json_of(client.get("/threads/int-dag/state"))["values"]["second"].GetInt() == 2);

    error_envelope(client.post("/agents/orchestrate", R"({"task":"t","steps":[{"id":"a","agent":"echo"}],"interrupt_before":["nope"]})"),
                   422, "ValidationError");
    error_envelope(client.post("/agents/orchestrate", R"({"task":"t","steps":[{"id":"a","agent":"echo"}],"interrupt_after":"all"})"),
                   422, "ValidationError");
    // "*" pauses before every step.
    auto every = client.post("/agents/orchestrate", R"({"task":"t","thread_id":"int-dag-all","steps":[{"id":"a","agent":"echo"}],"interrupt_before":"*"})");
    REQUIRE(every.status == 202);
    auto all_status = json_of(client.get("/agents/status/" + std::string(json_of(every)["id"].GetString())));
    std::string only = string_member(all_status["steps"][0], "run_id");
    auto gated = wait_until(client, only, [](const rapidjson::Value& run) { return string_member(run, "status") == "pending_approval"; },
                            "paused before");
    CHECK(string_member(gated["approval"], "trigger") == "interrupt_before");
    REQUIRE(client.post(resume_path("int-dag-all", only), R"({"input":{"task":"edited"}})").status == 200);
    auto edited = wait_final(client, only);
    CHECK(string_member(edited, "status") == "succeeded");
    CHECK(string_member(edited["input"], "task") == "edited");
}

namespace {

// The frames of a stream of `path`, read to its end.
std::vector<SseFrame> stream_frames(int port, const std::string& path, const std::vector<std::string>& headers = {}) {
    SseClient stream(port, "GET", path, "", headers);
    REQUIRE(stream.read_to_end(15000ms));
    REQUIRE(stream.status() == 200);
    return stream.frames();
}

std::vector<SseFrame> named(const std::vector<SseFrame>& frames, const std::string& event) {
    std::vector<SseFrame> found;
    for (const auto& frame : frames)
        if (frame.event == event) found.push_back(frame);
    return found;
}

rapidjson::Document parsed(const std::string& text) {
    rapidjson::Document document;
    document.Parse(text.c_str());
    REQUIRE_FALSE(document.HasParseError());
    return document;
}

}  // namespace

TEST_CASE("every stream_mode sends its view of the run's events and resumes by Last-Event-ID", "[stream_mode]") {
    HostProcess& host = host_for("in_process");
    HttpClient client(host.base_url());
    std::string id = post_run(client, R"({"agent_name":"interrupt_probe","task":"t","thread_id":"int-modes",)"
                                      R"("context":{"memory":{"a":1,"b":"two"},"emit":"probe.note","llm_stream":true}})");
    REQUIRE(string_member(wait_final(client, id), "status") == "succeeded");
    std::string path = "/runs/" + id + "/stream";

    // The default is today's stream: unnamed frames and a done frame.
    auto plain = stream_frames(host.port(), path);
    CHECK(named(plain, "metadata").empty());
    CHECK(named(plain, "done").size() == 1);
    CHECK(named(plain, "").size() == fetch_events(client, id).size());

    auto values = stream_frames(host.port(), path + "?stream_mode=values");
    CHECK(named(values, "").empty());
    REQUIRE(named(values, "metadata").size() == 1);
    CHECK(string_member(parsed(named(values, "metadata")[0].data), "run_id") == id);
    auto snapshots = named(values, "values");
    REQUIRE(snapshots.size() == 2);
    // Each is the whole memory after a write: the second has both keys.
    CHECK(parsed(snapshots[1].data)["a"].GetInt() == 1);
    CHECK(std::string(parsed(snapshots[1].data)["b"].GetString()) == "two");
    CHECK_FALSE(parsed(snapshots[0].data).HasMember("b"));
    REQUIRE(named(values, "end").size() == 1);
    CHECK(values.back().event == "end");

    auto updates = named(stream_frames(host.port(), path + "?stream_mode=updates"), "updates");
    REQUIRE(updates.size() == 2);
    CHECK(parsed(updates[0].data)["interrupt_probe"]["a"].GetInt() == 1);
    CHECK_FALSE(parsed(updates[0].data)["interrupt_probe"].HasMember("b"));

    auto messages = named(stream_frames(host.port(), path + "?stream_mode=messages"), "messages");
    REQUIRE_FALSE(messages.empty());
    std::string text;
    for (const auto& frame : messages) {
        auto tuple = parsed(frame.data);
        REQUIRE(tuple.IsArray());
        text += tuple[0]["content"].GetString();
        CHECK(string_member(tuple[1], "run_id") == id);
    }
    CHECK_FALSE(text.empty());

    auto custom = stream_frames(host.port(), path + "?stream_mode=custom");
    REQUIRE(named(custom, "custom").size() == 1);
    auto note = parsed(named(custom, "custom")[0].data);
    CHECK(string_member(note, "type") == "probe.note");
    CHECK(string_member(note["data"], "note") == "from the agent");
    CHECK(named(custom, "values").empty());

    // Seed 003's stream path takes the modes too.
    CHECK(named(stream_frames(host.port(), "/agent-run/" + id + "/stream?stream_mode=updates"), "updates").size() == 2);

    auto debug = stream_frames(host.port(), path + "?stream_mode=debug");
    CHECK(named(debug, "debug").size() == fetch_events(client, id).size());

    // Several at once, and Last-Event-ID resumes after the first snapshot.
    auto both = stream_frames(host.port(), path + "?stream_mode=values,updates");
    CHECK(named(both, "values").size() == 2);
    CHECK(named(both, "updates").size() == 2);
    auto resumed = stream_frames(host.port(), path + "?stream_mode=values", {"Last-Event-ID: " + snapshots[0].id});
    REQUIRE(named(resumed, "values").size() == 1);
    CHECK(named(resumed, "values")[0].id == snapshots[1].id);

    // A memory too large to copy into every write's event is read at the
    // write's checkpoint instead: the values frame is the same.
    std::string big(70000, 'x');
    std::string large = post_run(client, R"({"agent_name":"interrupt_probe","task":"t","thread_id":"int-modes",)"
                                         R"("context":{"memory":{"big":")" + big + R"("}}})");
    REQUIRE(string_member(wait_final(client, large), "status") == "succeeded");
    bool omitted = false;
    for (const auto& event : fetch_events(client, large))
        if (event.type == "memory.updated") omitted = parsed(event.data_json).HasMember("values_omitted");
    CHECK(omitted);
    auto large_values = named(stream_frames(host.port(), "/runs/" + large + "/stream?stream_mode=values"), "values");
    REQUIRE(large_values.size() == 1);
    auto whole = parsed(large_values[0].data);
    CHECK(std::string(whole["big"].GetString()).size() == 70000);
    CHECK(std::string(whole["b"].GetString()) == "two");  // the first run's writes are still there

    // Unknown modes are refused before anything streams.
    auto unknown = error_envelope(client.get(path + "?stream_mode=values,nonsense"), 422, "ValidationError");
    CHECK_THAT(unknown["message"].GetString(), Contains("nonsense"));
    error_envelope(client.get(path + "?stream_mode="), 422, "ValidationError");
}

TEST_CASE("POST /runs/stream and /threads/{id}/runs/stream create and stream in the modes asked", "[stream_mode]") {
    HostProcess& host = host_for("in_process");
    {
        SseClient stream(host.port(), "POST", "/runs/stream",
                         R"({"agent_name":"interrupt_probe","task":"t","stream_mode":["updates","custom"],)"
                         R"("context":{"memory":{"k":true},"emit":"probe.note"}})",
                         {"Content-Type: application/json"});
        REQUIRE(stream.read_to_end(15000ms));
        REQUIRE(stream.status() == 200);
        CHECK(named(stream.frames(), "metadata").size() == 1);
        CHECK(named(stream.frames(), "updates").size() == 1);
        CHECK(named(stream.frames(), "custom").size() == 1);
        CHECK(named(stream.frames(), "").empty());
        CHECK(named(stream.frames(), "end").size() == 1);
    }
    {
        SseClient stream(host.port(), "POST", "/threads/int-stream/runs/stream",
                         R"({"agent_name":"interrupt_probe","task":"t","stream_mode":"values","context":{"memory":{"k":1}}})",
                         {"Content-Type: application/json"});
        REQUIRE(stream.read_to_end(15000ms));
        REQUIRE(stream.status() == 200);
        REQUIRE(named(stream.frames(), "values").size() == 1);
        CHECK(parsed(named(stream.frames(), "values")[0].data)["k"].GetInt() == 1);
        HttpClient client(host.base_url());
        CHECK(json_of(client.get("/threads/int-stream/state"))["values"]["k"].GetInt() == 1);
    }
    HttpClient client(host.base_url());
    auto unknown = error_envelope(client.post("/runs/stream", R"({"agent_name":"interrupt_probe","task":"t","stream_mode":["values","tokens"]})"),
                                  422, "ValidationError");
    CHECK_THAT(unknown["message"].GetString(), Contains("/stream_mode/1"));
    error_envelope(client.post("/threads/int-stream/runs/stream", R"({"agent_name":"interrupt_probe","task":"t","thread_id":"other"})"),
                   422, "ValidationError");
    error_envelope(client.post("/threads/bad%20id/runs/stream", R"({"agent_name":"interrupt_probe","task":"t"})"), 422,
                   "ValidationError");
    // The seed 001 stream takes stream_mode too.
    SseClient seed(host.port(), "POST", "/agent/stream",
                   R"({"agent_name":"interrupt_probe","task":"t","stream_mode":"custom","context":{"emit":"probe.note"}})",
                   {"Content-Type: application/json"});
    REQUIRE(seed.read_to_end(15000ms));
    CHECK(named(seed.frames(), "custom").size() == 1);
    // ... and its EventSource form in the query, several comma-separated.
    SseClient source(host.port(), "GET",
                     "/agent/stream?agent_name=interrupt_probe&task=t&stream_mode=custom,debug&context=%7B%22emit%22%3A%22probe.note%22%7D");
    REQUIRE(source.read_to_end(15000ms));
    REQUIRE(source.status() == 200);
    CHECK(named(source.frames(), "custom").size() == 1);
    CHECK_FALSE(named(source.frames(), "debug").empty());
    error_envelope(client.get("/agent/stream?agent_name=interrupt_probe&task=t&stream_mode=custom,bogus"), 422,
                   "ValidationError");
}
