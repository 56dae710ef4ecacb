// Orchestration through a real host: routing supervisors, reflection, every
// approval trigger and decision, DAG workflows with shared memory, looping
// runs and the three multitask strategies.
#include "fake_llm_server.hpp"
#include "test_host.hpp"

#include <chrono>
#include <cstdio>
#include <sys/wait.h>
#include <filesystem>
#include <functional>
#include <thread>

using namespace agenthost::testing;
using namespace std::chrono_literals;
using Catch::Matchers::Contains;

namespace {

const char* kAgents =
    R"({"echo":{"enabled":true},"summarizer":{"enabled":true},"sentiment":{"enabled":true},)"
    R"("entity_extractor":{"enabled":true},"kubernetes_agent":{"enabled":true},"harness_expert":{"enabled":true}})";

HostProcess& host() {
    static HostProcess instance(host_config(kAgents, R"("orchestration":{"reflection_retries":2,"max_loop_iterations":20})"),
                                {"--workers", "4"});
    return instance;
}

std::string post_run(HttpClient& client, const std::string& body) {
    auto result = client.post("/runs", body);
    INFO(result.body);
    REQUIRE(result.status == 202);
    return json_of(result)["run_id"].GetString();
}

// Waits until the run has the status `wanted` (and, when given, `also`
// holds for it: the second of two pauses looks like the first otherwise).
rapidjson::Document wait_status(HttpClient& client, const std::string& id, const std::string& wanted,
                                const std::function<bool(const rapidjson::Value&)>& also = nullptr) {
    rapidjson::Document run;
    bool reached = poll_until(
        [&] {
            run = fetch_run(client, id);
            return string_member(run, "status") == wanted && (!also || also(run));
        },
        15000ms, 20ms);
    INFO("run " << id << " is " << string_member(run, "status") << ", wanted " << wanted << ": " << json_text(run));
    REQUIRE(reached);
    return run;
}

rapidjson::Document wait_final(HttpClient& client, const std::string& id) {
    rapidjson::Document run;
    bool reached = poll_until(
        [&] {
            run = fetch_run(client, id);
            std::string status = string_member(run, "status");
            return status == "succeeded" || status == "failed" || status == "cancelled";
        },
        15000ms, 20ms);
    INFO(json_text(run));
    REQUIRE(reached);
    return run;
}

std::vector<std::string> path_of(const rapidjson::Value& run) {
    std::vector<std::string> path;
    if (run.HasMember("supervisor_path") && run["supervisor_path"].IsArray())
        for (const auto& step : run["supervisor_path"].GetArray()) path.emplace_back(step.GetString());
    return path;
}

// Routes `task` through the supervisors with POST /runs and returns the run.
rapidjson::Document route(HttpClient& client, const std::string& task, const std::string& context = "{}") {
    std::string id = post_run(client, R"({"task":")" + task + R"(","context":)" + context + "}");
    return wait_final(client, id);
}

std::string workflow(HttpClient& client, const std::string& body) {
    auto result = client.post("/agents/orchestrate", body);
    INFO(result.body);
    REQUIRE(result.status == 202);
    auto json = json_of(result);
    CHECK(result.header("location") == "/agents/status/" + std::string(json["id"].GetString()));
    return json["id"].GetString();
}

rapidjson::Document wait_workflow(HttpClient& client, const std::string& id) {
    rapidjson::Document status;
    bool done = poll_until(
        [&] {
            status.Parse(client.get("/agents/status/" + id).body.c_str());
            std::string state = string_member(status, "status");
            return state == "completed" || state == "failed";
        },
        20000ms, 20ms);
    INFO(json_text(status));
    REQUIRE(done);
    return status;
}

const rapidjson::Value& step(const rapidjson::Document& status, const std::string& id) {
    for (const auto& item : status["steps"].GetArray())
        if (string_member(item, "id") == id) return item;
    FAIL("no step " << id);
    throw std::logic_error("unreachable");
}

}  // namespace

// ---- Routing supervisors --------------------------------------------------

TEST_CASE("tasks without an agent are routed by the supervisors to the agent that fits", "[routing]") {
    HttpClient client(host().base_url());
    struct Case {
        std::string task, context, agent, supervisor;
    };
    std::vector<Case> cases = {
        {"How do customers feel about our checkout flow? Classify the tone of this feedback",
         R"({"text":"I love the new checkout, but delivery was slow."})", "sentiment", "text_supervisor"},
        {"Summarize this quarterly report for the board",
         R"({"text":"Revenue grew twelve percent. Costs fell. The board approved the budget. Hiring continues in Berlin."})",
         "summarizer", "text_supervisor"},
        {"Extract all people, organizations and dates mentioned in this contract",
         R"({"text":"Acme Corp signed with Jane Doe on 3 March 2025."})", "entity_extractor", "text_supervisor"},
        {"Create Kubernetes deployment manifests for the payments service with autoscaling", "{}", "kubernetes_agent",
         "infrastructure_supervisor"},
        {"Build a Harness CI/CD pipeline with canary deployment to prod", "{}", "harness_expert",
         "infrastructure_supervisor"},
    };
    for (const auto& c : cases) {
        INFO(c.task);
        auto run = route(client, c.task, c.context);
        CHECK(string_member(run, "agent") == c.agent);
        CHECK(string_member(run, "status") == "succeeded");
        CHECK(path_of(run) == std::vector<std::string>{"root_supervisor", c.supervisor, c.agent});
        REQUIRE(run["routing"].IsObject());
        CHECK(string_member(run["routing"], "method") == "bm25");
        REQUIRE(run["routing"]["candidates"].IsArray());
        CHECK(string_member(run["routing"]["candidates"][0], "agent") == c.agent);
        CHECK(run["routing"]["candidates"][0]["score"].GetDouble() > 0);
        CHECK(run["routing"]["domain_scores"].IsObject());
    }
}

TEST_CASE("with an LLM configured the supervisor follows its choice, and falls back to BM25 when it fails",
          "[routing][llm]") {
    FakeLlmServer provider;
    HostProcess routed(host_config(
        R"({"kubernetes_agent":{"enabled":true},"harness_expert":{"enabled":true},"echo":{"enabled":true}})",
        R"("llm":{"provider":"openai","model":"router-test","max_retries":0,"timeout_seconds":2,)"
        R"("openai":{"api_key":"sk-routing-test","base_url":")" + provider.url("/v1") + R"("}})"));
    HttpClient client(routed.base_url());
    const std::string task = R"(Create Kubernetes deployment manifests for the payments service)";

    provider.reset();
    provider.set_responder([](const FakeLlmRequest&) {
        return openai_reply(R"({"domain":"infrastructure","agent":"harness_expert","reason":"a pipeline fits better"})",
                            40, 12);
    });
    auto chosen = route(client, task);
    CHECK(string_member(chosen, "agent") == "harness_expert");
    CHECK(string_member(chosen["routing"], "method") == "llm");
    CHECK(path_of(chosen) == std::vector<std::string>{"root_supervisor", "infrastructure_supervisor", "harness_expert"});
    auto asked = provider.requests();
    REQUIRE_FALSE(asked.empty());
    CHECK_THAT(asked.front().body, Contains("kubernetes_agent") && Contains("payments service"));

    provider.reset();
    provider.set_responder([](const FakeLlmRequest&) { return error_reply(500); });
    auto fallback = route(client, task);
    CHECK(string_member(fallback, "agent") == "kubernetes_agent");
    CHECK(string_member(fallback["routing"], "method") == "bm25");
    CHECK_FALSE(string_member(fallback["routing"], "llm_error").empty());

    provider.reset();
    provider.set_responder([](const FakeLlmRequest&) {
        return openai_reply(R"({"agent":"no_such_agent"})", 40, 5);
    });
    auto unknown = route(client, task);
    CHECK(string_member(unknown, "agent") == "kubernetes_agent");
    CHECK_THAT(string_member(unknown["routing"], "llm_error"), Contains("no_such_agent"));
}

TEST_CASE("routing by a slow LLM never holds the HTTP threads", "[routing][llm]") {
    // The provider takes 3 s to choose; with one reactor thread, routing on
    // it would take the three tasks one after another and stall /health.
    FakeLlmServer provider;
    provider.set_responder([](const FakeLlmRequest&) {
        FakeLlmReply reply = openai_reply(R"({"domain":"infrastructure","agent":"kubernetes_agent"})", 40, 12);
        reply.delay = 3s;
        return reply;
    });
    HostProcess routed(host_config(R"({"kubernetes_agent":{"enabled":true},"harness_expert":{"enabled":true}})",
                                   R"("server":{"threads":1},"llm":{"provider":"openai","max_retries":0,)"
                                   R"("timeout_seconds":10,"openai":{"api_key":"sk-test","base_url":")" +
                                       provider.url("/v1") + R"("}})"));
    HttpClient client(routed.base_url());
    const std::string task = R"({"task":"Create Kubernetes deployment manifests for the payments service"})";
    std::vector<std::thread> senders;
    std::vector<long> statuses(3, 0);
    for (size_t i = 0; i < statuses.size(); ++i)
        senders.emplace_back([&, i] {
            HttpClient own(routed.base_url());
            statuses[i] = (i == 0 ? own.post("/agent/invoke", task) : own.post("/runs", task)).status;
        });
    bool all_asking = provider.wait_for(3, 2500ms);
    auto started = std::chrono::steady_clock::now();
    auto health = client.get("/health");
    auto health_took = std::chrono::steady_clock::now() - started;
    for (auto& sender : senders) sender.join();
    CHECK(all_asking);
    CHECK(health.status == 200);
    CHECK(health_took < 2s);
    CHECK(statuses == std::vector<long>{200, 202, 202});
    // A streaming request stays on its reactor thread (it takes the
    // connection over there) and still streams its routed run.
    provider.set_responder([](const FakeLlmRequest&) {
        return openai_reply(R"({"domain":"infrastructure","agent":"kubernetes_agent"})", 40, 12);
    });
    auto streamed = client.post("/agent/invoke",
                                R"({"task":"Create Kubernetes deployment manifests for the payments service","stream":true})");
    CHECK(streamed.status == 200);
    CHECK_THAT(streamed.body, Contains("kubernetes_agent"));
}

TEST_CASE("/agent/invoke with agent_name null answers with the agent used and the supervisor path", "[routing]") {
    HttpClient client(host().base_url());
    auto result = client.post("/agent/invoke", R"({"task":"What is the sentiment of this review?","agent_name":null,
        "context":{"text":"Terrible support, I am angry."}})");
    INFO(result.body);
    REQUIRE(result.status == 200);
    auto body = json_of(result);
    CHECK(string_member(body, "agent_used") == "sentiment");
    CHECK(path_of(body) == std::vector<std::string>{"root_supervisor", "text_supervisor", "sentiment"});
    CHECK(string_member(body["result"], "label") == "negative");
}

TEST_CASE("a task no agent fits gets 422 naming the best candidates", "[routing]") {
    HttpClient client(host().base_url());
    auto body = error_envelope(client.post("/runs", R"({"task":"asdf qwerty zxcv"})"), 422, "NoAgentFits");
    CHECK_THAT(std::string(body["message"].GetString()), Contains("best candidates"));
    bool named = false;
    for (const auto& detail : body["details"].GetArray())
        named = named || std::string(detail["field"].GetString()) == "/candidates/0";
    CHECK(named);
}

TEST_CASE("a task addressed to an agent that is not enabled is refused clearly", "[routing]") {
    HostProcess disabled(host_config(R"({"echo":{"enabled":true},"sentiment":{"enabled":false}})"));
    HttpClient client(disabled.base_url());
    auto body = error_envelope(client.post("/runs", R"({"agent_name":"sentiment","task":"tone?"})"), 409,
                               "AgentUnavailable");
    CHECK_THAT(std::string(body["message"].GetString()), Contains("disabled"));
    error_envelope(client.post("/runs", R"({"agent_name":"no_such_agent","task":"x"})"), 404, "AgentNotFound");
    // Routing only considers enabled agents: a sentiment task finds no fit.
    error_envelope(client.post("/runs", R"({"task":"classify the sentiment and tone of this feedback"})"), 422,
                   "NoAgentFits");
}

// ---- Reflection -----------------------------------------------------------

TEST_CASE("a result that fails the output schema is retried with the reason as remediation", "[reflection]") {
    HttpClient client(host().base_url());
    std::string id = post_run(client, R"({"agent_name":"echo","task":"reflect","context":{"action":"bad_output","count":1}})");
    auto run = wait_final(client, id);
    REQUIRE(string_member(run, "status") == "succeeded");
    CHECK(string_member(run["result"], "quality") == "good");
    CHECK(run["result"]["remediations_seen"].GetInt() == 1);
    auto events = fetch_events(client, id);
    REQUIRE(count_events(events, "reflection.failed") == 1);
    for (const auto& event : events)
        if (event.type == "reflection.failed") CHECK_THAT(event.data_json, Contains("/result/quality"));
}

TEST_CASE("a result that keeps failing its checks fails the run with every reason recorded", "[reflection]") {
    HttpClient client(host().base_url());
    std::string id = post_run(client, R"({"agent_name":"echo","task":"reflect","context":{"action":"bad_output","count":9}})");
    auto run = wait_final(client, id);
    REQUIRE(string_member(run, "status") == "failed");
    std::string error = string_member(run, "error");
    CHECK_THAT(error, Contains("3 time(s)"));
    CHECK_THAT(error, Contains("try 1: /result/quality"));
    CHECK_THAT(error, Contains("try 2: /result/quality"));
    CHECK_THAT(error, Contains("try 3: /result/quality"));
    CHECK(count_events(fetch_events(client, id), "reflection.failed") == 3);
}

// ---- Approval gates -------------------------------------------------------

TEST_CASE("require_approval pauses a run until approved; the decision is audited", "[approval]") {
    HttpClient client(host().base_url());
    auto answer = client.post("/agent/invoke", R"({"agent_name":"echo","task":"needs a person","thread_id":"appr-1",
        "require_approval":true})");
    INFO(answer.body);
    REQUIRE(answer.status == 202);
    auto pending = json_of(answer);
    CHECK(string_member(pending, "status") == "pending_approval");
    CHECK(string_member(pending["approval_required"], "trigger") == "request");
    std::string id = pending["run_id"].GetString();

    auto status = json_of(client.get("/workflow/status/appr-1"));
    CHECK(string_member(status, "status") == "pending_approval");
    CHECK(string_member(status, "current_phase") == "awaiting_approval");
    CHECK(string_member(status, "next_action") == "approve:echo");
    REQUIRE(status["approval_required"].IsObject());
    CHECK(string_member(status["approval_required"], "run_id") == id);
    CHECK_FALSE(string_member(status["approval_required"], "reason").empty());
    // Nothing ran while it waited.
    CHECK(count_events(fetch_events(client, id), "run.started") == 0);

    auto decided = client.post("/workflow/approve/appr-1", R"({"approved":true,"comment":"looks fine","approver":"alice"})");
    INFO(decided.body);
    REQUIRE(decided.status == 200);
    CHECK(string_member(json_of(decided), "status") == "approved");
    auto run = wait_final(client, id);
    CHECK(string_member(run, "status") == "succeeded");
    CHECK(string_member(run["approval"], "state") == "approved");
    CHECK(string_member(run["approval"]["decision"], "approver") == "alice");

    auto audit = json_of(client.get("/runs/" + id + "/audit"));
    bool granted = false;
    for (const auto& entry : audit["entries"].GetArray())
        if (string_member(entry, "action") == "approval.granted") {
            granted = true;
            CHECK(string_member(entry, "actor") == "alice");
            CHECK(string_member(entry, "detail") == "looks fine");
            CHECK_FALSE(string_member(entry, "at").empty());
        }
    CHECK(granted);
    auto after = json_of(client.get("/workflow/status/appr-1"));
    CHECK(string_member(after, "status") == "completed");
    CHECK(after["approval_history"].Size() == 1);
    // Nothing waits any more.
    error_envelope(client.post("/workflow/approve/appr-1", R"({"approved":true})"), 409, "NoPendingApproval");

    // A later run on the thread: the status still lists the whole thread
    // and alice's decision (it showed only the latest run, and no history).
    auto later = client.post("/agent/invoke", R"({"agent_name":"echo","task":"no gate","thread_id":"appr-1"})");
    REQUIRE(later.status == 200);
    auto thread = json_of(client.get("/workflow/status/appr-1"));
    INFO(json_text(thread));
    REQUIRE(thread["runs"].Size() == 2);
    CHECK(string_member(thread["runs"][0], "run_id") == id);
    REQUIRE(thread["approval_history"].Size() == 1);
    CHECK(string_member(thread["approval_history"][0], "actor") == "alice");
    CHECK(string_member(thread, "status") == "completed");
}

TEST_CASE("a rejected run ends cancelled without running, and says who rejected it", "[approval]") {
    HttpClient client(host().base_url());
    std::string id = post_run(client, R"({"agent_name":"echo","task":"t","thread_id":"appr-2","require_approval":true})");
    wait_status(client, id, "pending_approval");
    auto decided = client.post("/workflow/approve/appr-2", R"({"approved":false,"comment":"not today"})",
                               {"X-Approver: bob"});
    REQUIRE(decided.status == 200);
    CHECK(string_member(json_of(decided), "status") == "rejected");
    auto run = wait_final(client, id);
    CHECK(string_member(run, "status") == "cancelled");
    CHECK(string_member(run, "error_type") == "rejected");
    CHECK_THAT(string_member(run, "error"), Contains("bob"));
    CHECK_THAT(string_member(run, "error"), Contains("not today"));
    auto events = fetch_events(client, id);
    CHECK(count_events(events, "run.started") == 0);
    CHECK(count_events(events, "approval.rejected") == 1);
}

TEST_CASE("an operation the manifest lists needs approval before it runs", "[approval]") {
    HttpClient client(host().base_url());
    std::string id = post_run(client, R"({"agent_name":"echo","task":"t","thread_id":"appr-3","context":{"operation":"destroy"}})");
    auto run = wait_status(client, id, "pending_approval");
    CHECK(string_member(run["approval"], "trigger") == "manifest");
    CHECK(string_member(run["approval"], "operation") == "destroy");
    CHECK(string_member(run["approval"], "reason") == "destroys the echo chamber");
    // Other operations of the same agent do not wait.
    std::string other = post_run(client, R"({"agent_name":"echo","task":"t","context":{"operation":"inspect"}})");
    CHECK(string_member(wait_final(client, other), "status") == "succeeded");
}

TEST_CASE("the plugin can ask for approval at run time through the SDK", "[approval]") {
    HttpClient client(host().base_url());
    std::string id = post_run(client, R"({"agent_name":"echo","task":"deploy it","thread_id":"appr-4","context":{"action":"ask_approval"}})");
    auto paused = wait_status(client, id, "pending_approval");
    CHECK(string_member(paused["approval"], "trigger") == "plugin");
    CHECK(string_member(paused["approval"], "operation") == "deploy");
    CHECK(string_member(paused["approval"], "reason") == "deploys the echo to production");
    REQUIRE(client.post("/workflow/approve/appr-4", R"({"approved":true})").status == 200);
    auto run = wait_final(client, id);
    REQUIRE(string_member(run, "status") == "succeeded");
    CHECK(run["result"]["deployed"].GetBool());
    // Invoked once before the pause and once after the approval; the round
    // that stopped to ask gave its attempt back.
    CHECK(count_events(fetch_events(client, id), "run.started") == 2);
    CHECK(run["attempts"].GetInt() == 1);
}

TEST_CASE("two run-time approvals in one run both stay approved, and asking spends no attempt", "[approval]") {
    // One attempt only: approval rounds must not count against it.
    HostProcess strict(host_config(R"({"echo":{"enabled":true}})", R"("runs":{"max_attempts":1})"));
    HttpClient client(strict.base_url());
    std::string id = post_run(client, R"({"agent_name":"echo","task":"t","thread_id":"appr-two","context":{"action":"ask_two_approvals"}})");
    auto first = wait_status(client, id, "pending_approval");
    CHECK(string_member(first["approval"], "operation") == "deploy");
    REQUIRE(client.post("/workflow/approve/appr-two", R"({"approved":true})").status == 200);
    // The second pause asks for the second operation, not the first again.
    auto second = wait_status(client, id, "pending_approval", [](const rapidjson::Value& run) {
        return string_member(run["approval"], "operation") == "migrate";
    });
    REQUIRE(second["approval"]["approved_operations"].IsArray());
    CHECK(std::string(second["approval"]["approved_operations"][0].GetString()) == "deploy");
    REQUIRE(client.post("/workflow/approve/appr-two", R"({"approved":true})").status == 200);
    auto run = wait_final(client, id);
    REQUIRE(string_member(run, "status") == "succeeded");
    CHECK(run["result"]["deployed"].GetBool());
    auto events = fetch_events(client, id);
    CHECK(count_events(events, "run.started") == 3);
    CHECK(count_events(events, "approval.granted") == 2);
    CHECK(run["attempts"].GetInt() == 1);
}

TEST_CASE("an approval not decided in time is rejected automatically", "[approval]") {
    HttpClient client(host().base_url());
    std::string id = post_run(client, R"({"agent_name":"echo","task":"t","thread_id":"appr-5","require_approval":true,
        "approval_timeout_seconds":0.3})");
    auto pending = wait_status(client, id, "pending_approval");
    CHECK_FALSE(string_member(pending["approval"], "expires_at").empty());
    auto run = wait_final(client, id);
    CHECK(string_member(run, "status") == "cancelled");
    CHECK(string_member(run, "error_type") == "rejected");
    CHECK_THAT(string_member(run, "error"), Contains("timeout"));
}

TEST_CASE("the operator's config can require approval for every run of an agent", "[approval]") {
    HostProcess gated(host_config(R"({"echo":{"enabled":true,"require_approval":true}})"));
    HttpClient client(gated.base_url());
    std::string id = post_run(client, R"({"agent_name":"echo","task":"t","thread_id":"cfg-1"})");
    auto run = wait_status(client, id, "pending_approval");
    CHECK(string_member(run["approval"], "trigger") == "config");
}

TEST_CASE("a pending approval survives a host restart", "[approval]") {
    std::string root = make_temp_dir();
    std::string data = root + "/data";
    std::string config = host_config(R"({"echo":{"enabled":true}})");
    std::string id;
    {
        HostProcess first(config, {"--data-dir", data});
        HttpClient client(first.base_url());
        id = post_run(client, R"({"agent_name":"echo","task":"t","thread_id":"restart-1","require_approval":true})");
        wait_status(client, id, "pending_approval");
        REQUIRE(first.stop() == 0);
    }
    HostProcess second(config, {"--data-dir", data});
    HttpClient client(second.base_url());
    CHECK(string_member(fetch_run(client, id), "status") == "pending_approval");
    CHECK(string_member(json_of(client.get("/workflow/status/restart-1")), "status") == "pending_approval");
    REQUIRE(client.post("/workflow/approve/restart-1", R"({"approved":true})").status == 200);
    CHECK(string_member(wait_final(client, id), "status") == "succeeded");
    second.stop();
    std::filesystem::remove_all(root);
}

TEST_CASE("agentctl shows a thread's status and approves from the command line", "[approval][agentctl]") {
    HttpClient client(host().base_url());
    std::string id = post_run(client, R"({"agent_name":"echo","task":"t","thread_id":"ctl-1","require_approval":true})");
    wait_status(client, id, "pending_approval");
    std::string agentctl = (std::filesystem::path(host_binary()).parent_path() / "agentctl").string();
    auto run_ctl = [&](const std::string& args) {
        std::string command = agentctl + " --url " + host().base_url() + " " + args + " 2>&1";
        std::string output;
        FILE* pipe = ::popen(command.c_str(), "r");
        REQUIRE(pipe != nullptr);
        char buffer[4096];
        while (size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
        int status = ::pclose(pipe);
        return std::make_pair(WIFEXITED(status) ? WEXITSTATUS(status) : -1, output);
    };
    auto [status_code, status_output] = run_ctl("status ctl-1");
    CHECK(status_code == 0);
    CHECK_THAT(status_output, Contains("\"status\":\"pending_approval\""));
    auto [approve_code, approve_output] = run_ctl("approve ctl-1 --comment 'from the shell' --approver carol");
    CHECK(approve_code == 0);
    CHECK_THAT(approve_output, Contains("\"status\":\"approved\"") && Contains("carol"));
    CHECK(string_member(wait_final(client, id), "status") == "succeeded");
    auto [again_code, again_output] = run_ctl("reject ctl-1");
    CHECK(again_code == 1);
    CHECK_THAT(again_output, Contains("NoPendingApproval"));
}

TEST_CASE("approving what does not exist is refused in the envelope", "[approval]") {
    HttpClient client(host().base_url());
    error_envelope(client.post("/workflow/approve/never-seen", R"({"approved":true})"), 404, "ThreadNotFound");
    error_envelope(client.get("/workflow/status/never-seen"), 404, "ThreadNotFound");
    error_envelope(client.post("/workflow/approve/x", R"({"comment":"no decision"})"), 422, "ValidationError");
    error_envelope(client.post("/workflow/approve/x", R"({"approved":"yes"})"), 422, "ValidationError");
}

// ---- DAG workflows --------------------------------------------------------

TEST_CASE("a DAG runs steps after their dependencies, independent ones in parallel, sharing memory", "[dag]") {
    HttpClient client(host().base_url());
    std::string id = workflow(client, R"({"task":"build on each other","steps":[
        {"id":"left","agent":"echo","context":{"action":"remember","key":"left","value":{"n":1}}},
        {"id":"right","agent":"echo","context":{"action":"remember","key":"right","value":"two"}},
        {"id":"slow_a","agent":"echo","context":{"action":"sleep","ms":400}},
        {"id":"slow_b","agent":"echo","context":{"action":"sleep","ms":400}},
        {"id":"join","agent":"echo","depends_on":["left","right"],"context":{"action":"remember","read":["left","right"]}}]})");
    auto status = wait_workflow(client, id);
    REQUIRE(string_member(status, "status") == "completed");
    const auto& join = step(status, "join");
    CHECK(join["depends_on"].Size() == 2);
    CHECK(join["result"]["memory"]["left"]["n"].GetInt() == 1);
    CHECK(std::string(join["result"]["memory"]["right"].GetString()) == "two");
    // The join started only after both of its dependencies finished.
    CHECK(string_member(join, "started_at") >= string_member(step(status, "left"), "finished_at"));
    CHECK(string_member(join, "started_at") >= string_member(step(status, "right"), "finished_at"));
    // The two independent slow steps overlapped.
    CHECK(string_member(step(status, "slow_b"), "started_at") < string_member(step(status, "slow_a"), "finished_at"));
    CHECK(string_member(step(status, "slow_a"), "started_at") < string_member(step(status, "slow_b"), "finished_at"));
    CHECK(status["steps_finished"].GetInt() == 5);
}

TEST_CASE("steps may be listed before the steps they depend on", "[dag]") {
    HttpClient client(host().base_url());
    std::string id = workflow(client, R"({"task":"t","steps":[
        {"id":"last","agent":"echo","depends_on":["middle"]},
        {"id":"middle","agent":"echo","depends_on":["first"]},
        {"id":"first","agent":"echo"}]})");
    auto status = wait_workflow(client, id);
    CHECK(string_member(status, "status") == "completed");
    CHECK(string_member(step(status, "last"), "started_at") >= string_member(step(status, "middle"), "finished_at"));
    CHECK(string_member(step(status, "middle"), "started_at") >= string_member(step(status, "first"), "finished_at"));
}

TEST_CASE("a failed step fails its dependants, not its independent siblings", "[dag]") {
    HttpClient client(host().base_url());
    std::string id = workflow(client, R"({"task":"t","steps":[
        {"id":"broken","agent":"echo","context":{"action":"fail"}},
        {"id":"child","agent":"echo","depends_on":["broken"]},
        {"id":"grandchild","agent":"echo","depends_on":["child"]},
        {"id":"sibling","agent":"echo","context":{"action":"sleep","ms":100}}]})");
    auto status = wait_workflow(client, id);
    CHECK(string_member(status, "status") == "failed");
    CHECK(string_member(step(status, "broken"), "status") == "failed");
    CHECK(string_member(step(status, "child"), "status") == "failed");
    CHECK(string_member(step(status, "child"), "error_type") == "dependency");
    CHECK_THAT(string_member(step(status, "child"), "error"), Contains("broken"));
    CHECK(string_member(step(status, "grandchild"), "status") == "failed");
    CHECK(string_member(step(status, "grandchild"), "error_type") == "dependency");
    CHECK(string_member(step(status, "sibling"), "status") == "succeeded");
    // The dependants never ran.
    CHECK(step(status, "child")["started_at"].IsNull());
}

TEST_CASE("a DAG step that needs approval waits for it after its dependencies", "[dag][approval]") {
    HttpClient client(host().base_url());
    std::string id = workflow(client, R"({"task":"t","thread_id":"dag-appr","steps":[
        {"id":"plan","agent":"echo"},
        {"id":"apply","agent":"echo","depends_on":["plan"],"require_approval":true}]})");
    rapidjson::Document status;
    REQUIRE(poll_until(
        [&] {
            status.Parse(client.get("/agents/status/" + id).body.c_str());
            return string_member(status, "status") == "pending_approval";
        },
        10000ms));
    CHECK(string_member(step(status, "plan"), "status") == "succeeded");
    CHECK(string_member(step(status, "apply"), "status") == "pending_approval");
    REQUIRE(client.post("/workflow/approve/dag-appr", R"({"approved":true})").status == 200);
    CHECK(string_member(wait_workflow(client, id), "status") == "completed");
}

TEST_CASE("orchestrate without steps routes the task to one agent (seed 000)", "[dag][routing]") {
    HttpClient client(host().base_url());
    std::string id = workflow(client, R"({"task":"Summarize this report for the executives",
        "context":{"text":"Sales rose in spring. Costs were flat. The team grew to forty people."}})");
    auto status = wait_workflow(client, id);
    CHECK(string_member(status, "status") == "completed");
    REQUIRE(status["steps"].Size() == 1);
    CHECK(string_member(status["steps"][0], "agent") == "summarizer");
    CHECK(path_of(status["steps"][0]) == std::vector<std::string>{"root_supervisor", "text_supervisor", "summarizer"});
}

TEST_CASE("GET /pipelines/{id} shows a seed 004 processing request as steps with dependencies", "[dag]") {
    HttpClient client(host().base_url());
    auto accepted = client.post("/api/v1/process", R"({"text":"Acme Corp praised the reliable release in Berlin.",
        "orchestration_mode":"sequential","agents":["summarizer","sentiment"]})");
    INFO(accepted.body);
    REQUIRE(accepted.status == 202);
    std::string id = string_member(json_of(accepted), "request_id");
    rapidjson::Document status;
    REQUIRE(poll_until(
        [&] {
            status.Parse(client.get("/pipelines/" + id).body.c_str());
            return string_member(status, "status") == "completed";
        },
        15000ms));
    CHECK(string_member(status, "mode") == "sequential");
    REQUIRE(status["steps"].Size() == 2);
    CHECK(string_member(status["steps"][0], "id") == "summarizer_0");
    REQUIRE(status["steps"][1]["depends_on"].Size() == 1);
    CHECK(std::string(status["steps"][1]["depends_on"][0].GetString()) == "summarizer_0");
}

TEST_CASE("malformed DAGs are refused naming the field", "[dag]") {
    HttpClient client(host().base_url());
    auto cycle = error_envelope(client.post("/agents/orchestrate", R"({"task":"t","steps":[
        {"id":"a","agent":"echo","depends_on":["b"]},{"id":"b","agent":"echo","depends_on":["a"]}]})"), 422, "ValidationError");
    CHECK_THAT(std::string(cycle["message"].GetString()), Contains("cycle"));
    auto unknown = error_envelope(client.post("/agents/orchestrate", R"({"task":"t","steps":[
        {"id":"a","agent":"echo","depends_on":["ghost"]}]})"), 422, "ValidationError");
    CHECK(std::string(unknown["details"][0]["field"].GetString()) == "/steps/0/depends_on/0");
    auto duplicate = error_envelope(client.post("/agents/orchestrate", R"({"task":"t","steps":[
        {"id":"a","agent":"echo"},{"id":"a","agent":"echo"}]})"), 422, "ValidationError");
    CHECK(std::string(duplicate["details"][0]["field"].GetString()) == "/steps/1/id");
    auto context = error_envelope(client.post("/agents/orchestrate", R"({"task":"t","steps":[
        {"id":"a","agent":"echo","context":{"action":"explode"}}]})"), 422, "ValidationError");
    CHECK(std::string(context["details"][0]["field"].GetString()) == "/steps/0/context/action");
    error_envelope(client.post("/agents/orchestrate", R"({"task":"t","steps":[]})"), 422, "ValidationError");
    error_envelope(client.get("/agents/status/nope"), 404, "WorkflowNotFound");
}

// ---- Looping --------------------------------------------------------------

TEST_CASE("a looping run stops when the evaluation says resolved", "[loop]") {
    HttpClient client(host().base_url());
    std::string id = post_run(client, R"({"agent_name":"echo","task":"fix the incident","loop":{"max_iterations":5},
        "context":{"action":"loop","count":3}})");
    auto run = wait_final(client, id);
    REQUIRE(string_member(run, "status") == "succeeded");
    CHECK(run["result"]["iteration"].GetInt() == 3);
    CHECK(run["result"]["resolved"].GetBool());
    CHECK(run["result"]["had_previous"].GetBool());
    auto events = fetch_events(client, id);
    CHECK(count_events(events, "loop.iteration") == 3);
    REQUIRE(count_events(events, "loop.finished") == 1);
    for (const auto& event : events)
        if (event.type == "loop.finished") CHECK_THAT(event.data_json, Contains("\"resolved\":true"));
}

TEST_CASE("a looping run stops at max_iterations when never resolved", "[loop]") {
    HttpClient client(host().base_url());
    std::string id = post_run(client, R"({"agent_name":"echo","task":"t","loop":{"max_iterations":2},
        "context":{"action":"loop","count":10}})");
    auto run = wait_final(client, id);
    REQUIRE(string_member(run, "status") == "succeeded");
    CHECK_FALSE(run["result"]["resolved"].GetBool());
    auto events = fetch_events(client, id);
    CHECK(count_events(events, "loop.iteration") == 2);
    for (const auto& event : events)
        if (event.type == "loop.finished") CHECK_THAT(event.data_json, Contains("max_iterations reached"));
    error_envelope(client.post("/runs", R"({"agent_name":"echo","task":"t","loop":{"max_iterations":21}})"), 422,
                   "ValidationError");
}

TEST_CASE("a looping workflow runs its steps again until a final step says resolved", "[loop][dag]") {
    HttpClient client(host().base_url());
    std::string id = workflow(client, R"({"task":"observe, act, evaluate","loop":{"max_iterations":5},"steps":[
        {"id":"act","agent":"echo","context":{"action":"remember","key":"acted","value":true}},
        {"id":"evaluate","agent":"echo","depends_on":["act"],"context":{"action":"loop","count":3}}]})");
    auto status = wait_workflow(client, id);
    CHECK(string_member(status, "status") == "completed");
    CHECK(status["iteration"].GetInt() == 3);
    CHECK(status["max_iterations"].GetInt() == 5);
    REQUIRE(status["steps"].Size() == 2);
    CHECK(step(status, "evaluate")["result"]["resolved"].GetBool());
    CHECK(step(status, "evaluate")["result"]["iteration"].GetInt() == 3);
    // Every iteration's runs are on the workflow's thread: 2 steps x 3.
    auto thread = json_of(client.get("/threads/" + string_member(status, "thread_id")));
    CHECK(thread["runs"].Size() == 6);
}

TEST_CASE("a looping workflow stops at max_iterations when never resolved", "[loop][dag]") {
    HttpClient client(host().base_url());
    std::string id = workflow(client, R"({"task":"t","loop":{"max_iterations":2},"steps":[
        {"id":"evaluate","agent":"echo","context":{"action":"loop","count":10}}]})");
    auto status = wait_workflow(client, id);
    CHECK(string_member(status, "status") == "completed");
    CHECK(status["iteration"].GetInt() == 2);
    CHECK_FALSE(step(status, "evaluate")["result"]["resolved"].GetBool());
}

// ---- Two runs on one thread -----------------------------------------------

TEST_CASE("multitask_strategy reject refuses a second run on a busy thread", "[multitask]") {
    HttpClient client(host().base_url());
    std::string first = post_run(client, R"({"agent_name":"echo","task":"t","thread_id":"mt-reject","context":{"action":"sleep","ms":800}})");
    auto body = error_envelope(client.post("/runs", R"({"agent_name":"echo","task":"t","thread_id":"mt-reject","multitask_strategy":"reject"})"),
                               409, "ThreadBusy");
    CHECK_THAT(std::string(body["message"].GetString()), Contains(first));
    CHECK(string_member(wait_final(client, first), "status") == "succeeded");
    // Idle again: accepted.
    std::string later = post_run(client, R"({"agent_name":"echo","task":"t","thread_id":"mt-reject","multitask_strategy":"reject"})");
    CHECK(string_member(wait_final(client, later), "status") == "succeeded");
}

TEST_CASE("multitask_strategy enqueue (the default) runs the second after the first", "[multitask]") {
    HttpClient client(host().base_url());
    std::string first = post_run(client, R"({"agent_name":"echo","task":"t","thread_id":"mt-enqueue","context":{"action":"sleep","ms":500}})");
    std::string second = post_run(client, R"({"agent_name":"echo","task":"t","thread_id":"mt-enqueue"})");
    CHECK(run_status_of(client, second) == "blocked");
    auto a = wait_final(client, first);
    auto b = wait_final(client, second);
    CHECK(string_member(a, "status") == "succeeded");
    CHECK(string_member(b, "status") == "succeeded");
    CHECK(string_member(b, "started_at") >= string_member(a, "finished_at"));
    CHECK(b["result"]["thread_run_count"].GetInt() == 2);
}

TEST_CASE("multitask_strategy interrupt cancels the active run first", "[multitask]") {
    HttpClient client(host().base_url());
    std::string first = post_run(client, R"({"agent_name":"echo","task":"t","thread_id":"mt-interrupt","context":{"action":"sleep","ms":10000}})");
    wait_status(client, first, "running");
    std::string second = post_run(client, R"({"agent_name":"echo","task":"t","thread_id":"mt-interrupt","multitask_strategy":"interrupt"})");
    auto a = wait_final(client, first);
    auto b = wait_final(client, second);
    CHECK(string_member(a, "status") == "cancelled");
    CHECK(string_member(b, "status") == "succeeded");
    CHECK(string_member(b, "started_at") >= string_member(a, "finished_at"));
    error_envelope(client.post("/runs", R"({"agent_name":"echo","task":"t","multitask_strategy":"sometimes"})"), 422,
                   "ValidationError");
}
