// Seed 002 through the real host: integrations, signals (with GitHub and
// Slack signatures), fingerprinting into incidents, the incidents API, the
// queue that hands each new incident to sre_agent, and the agent's loop
// with approval and a stand-in kubectl, ending in a resolution.
#include "fake_github_server.hpp"
#include "fake_llm_server.hpp"
#include "test_host.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

using namespace agenthost::testing;
using Catch::Matchers::Contains;

namespace {

const char* kKubectl = R"sh(#!/bin/sh
echo "kubectl $*" >&2
case "$1 $2" in
  "rollout undo") echo "deployment.apps/${3#deployment/} rolled back" ;;
  "rollout restart") echo "deployment.apps/${3#deployment/} restarted" ;;
  *) echo "unexpected kubectl $*" >&2; exit 2 ;;
esac
)sh";

const char* kGithubSecret = "gh-test-secret";
const char* kSlackSecret = "slack-test-secret";

// What GitHub and Slack compute: hex HMAC-SHA256.
std::string hmac_hex(const std::string& key, const std::string& data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
         data.size(), digest, &length);
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < length; ++i) {
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 15];
    }
    return out;
}

bool sandbox_works() {
    static const bool works = std::system("/usr/bin/bwrap --unshare-all --ro-bind / / --proc /proc --dev /dev -- "
                                          "/bin/true >/dev/null 2>&1") == 0;
    return works;
}

std::string agents_json() {
    return R"({"sre_agent":{"enabled":true,"config":{"settle_seconds":1},"exec":{"allow":["kubectl"],"network":true)" +
           std::string(sandbox_works() ? "" : R"(,"allow_unsandboxed":true)") + "}}}";
}

// One host with the agent and the stand-in kubectl first on its PATH.
HostProcess& host() {
    static std::string dir = make_temp_dir();
    static std::unique_ptr<HostProcess> instance;
    if (!instance) {
        std::ofstream(dir + "/kubectl") << kKubectl;
        std::filesystem::permissions(dir + "/kubectl", std::filesystem::perms::owner_all);
        const char* old_path = std::getenv("PATH");
        std::string saved = old_path != nullptr ? old_path : "/usr/bin:/bin";
        setenv("PATH", (dir + ":" + saved).c_str(), 1);
        instance = std::make_unique<HostProcess>(host_config(
            agents_json(), std::string(R"("signals":{"github_secret":")") + kGithubSecret +
                               R"(","slack_signing_secret":")" + kSlackSecret + R"(","max_iterations":8})"));
        setenv("PATH", saved.c_str(), 1);
    }
    return *instance;
}

// A host with no agent to hand incidents to (grouping and API only).
HostProcess& quiet_host() {
    static std::unique_ptr<HostProcess> instance;
    if (!instance) instance = std::make_unique<HostProcess>(host_config("{}", R"("signals":{"agent":""})"));
    return *instance;
}

std::string unique(const std::string& prefix) {
    static int counter = 0;
    return prefix + std::to_string(::getpid()) + "-" + std::to_string(++counter);
}

rapidjson::Document incident(HttpClient& client, const std::string& id) {
    auto answer = client.get("/api/incidents/" + id);
    INFO(answer.body);
    REQUIRE(answer.status == 200);
    return json_of(answer);
}

// The incident's run, once it waits for a person's approval of its action.
std::string run_awaiting_approval(HttpClient& client, const std::string& incident_id) {
    std::string run_id;
    REQUIRE(poll_until(
        [&] {
            auto detail = incident(client, incident_id);
            if (detail["runs"].Empty()) return false;
            run_id = detail["runs"][0]["run_id"].GetString();
            return std::string(detail["runs"][0]["status"].GetString()) == "pending_approval";
        },
        std::chrono::milliseconds(20000)));
    return run_id;
}

// Waits until `run_id` pauses again, this time for `operation`.
void wait_until_run_awaits(HttpClient& client, const std::string& run_id, const std::string& operation) {
    REQUIRE(poll_until(
        [&] {
            auto run = fetch_run(client, run_id);
            return string_member(run, "status") == "pending_approval" &&
                   string_member(run["approval"], "operation") == operation;
        },
        std::chrono::milliseconds(20000)));
}

// Only signals received after the action count, so a test sends recovery
// signals once the agent says it waits for them (exec.started comes before
// the command ends, and a signal sent then may predate the action).
void wait_until_agent_awaits_signals(HttpClient& client, const std::string& run_id) {
    REQUIRE(poll_until(
        [&] {
            for (const auto& event : fetch_events(client, run_id))
                if (event.data_json.find("for fresh signals") != std::string::npos) return true;
            return false;
        },
        std::chrono::milliseconds(20000)));
}

}  // namespace

TEST_CASE("sre: repositories, log sources and Slack channels are stored, listed, found and removed") {
    HttpClient client(quiet_host().base_url());
    std::string name = unique("repo-");
    auto created = client.post("/api/repos", R"({"name":")" + name + R"(","url":"https://github.com/acme/shop.git"})");
    INFO(created.body);
    REQUIRE(created.status == 201);
    auto repo = json_of(created);
    std::string id = repo["id"].GetString();
    CHECK(std::string(repo["default_branch"].GetString()) == "main");
    CHECK(created.header("location") == "/api/repos/" + id);
    CHECK(client.get("/api/repos/" + id).status == 200);
    CHECK_THAT(client.get("/api/repos").body, Contains(name));
    error_envelope(client.post("/api/repos", R"({"name":")" + name + R"(","path":"/srv/shop"})"), 409, "RepositoryExists");
    error_envelope(client.post("/api/repos", R"({"name":"x"})"), 422, "ValidationError");
    error_envelope(client.post("/api/repos", R"({"name":"x","path":"relative/dir"})"), 422, "ValidationError");
    error_envelope(client.post("/api/repos", R"({"name":"x","url":"ftp://nope"})"), 422, "ValidationError");
    error_envelope(client.post("/api/repos", R"({"name":"bad name!","url":"https://x"})"), 422, "ValidationError");
    error_envelope(client.post("/api/repos", "{not json"), 400, "InvalidJSON");

    // Type-specific fields of log sources.
    auto missing_query = client.post("/api/log-sources", R"({"name":"l1","type":"loki","url":"http://loki:3100"})");
    auto envelope = error_envelope(missing_query, 422, "ValidationError");
    CHECK_THAT(missing_query.body, Contains("/query"));
    error_envelope(client.post("/api/log-sources", R"({"name":"c1","type":"cloudwatch","log_group":"/aws/x"})"), 422,
                   "ValidationError");
    error_envelope(client.post("/api/log-sources", R"({"name":"f1","type":"file","path":"var/log/x"})"), 422,
                   "ValidationError");
    error_envelope(client.post("/api/log-sources", R"({"name":"k1","type":"kafka"})"), 422, "ValidationError");
    std::string source = unique("loki-");
    auto loki = client.post("/api/log-sources", R"({"name":")" + source +
                                                    R"(","type":"loki","url":"http://loki:3100","query":"{app=\"shop\"}","service":"shop"})");
    INFO(loki.body);
    REQUIRE(loki.status == 201);
    CHECK(client.post("/api/log-sources", R"({"name":")" + unique("cw-") +
                                              R"(","type":"cloudwatch","log_group":"/aws/lambda/x","region":"eu-west-1"})")
              .status == 201);

    auto channel = client.post("/api/slack/channels", R"({"channel":"C0OPS","repository":")" + name + R"("})");
    INFO(channel.body);
    REQUIRE(channel.status == 201);
    std::string channel_id = json_of(channel)["id"].GetString();
    error_envelope(client.post("/api/slack/channels", R"({"channel":"C0OPS","repository":"other"})"), 409,
                   "SlackChannelExists");
    // An escalation in the mapped channel is an incident about that repository.
    auto escalation = client.post("/api/signals/slack", R"({"channel":"C0OPS","text":"checkout is down for everyone"})");
    INFO(escalation.body);
    REQUIRE(escalation.status == 202);
    auto escalated = json_of(escalation);
    REQUIRE(escalated["incidents"].Size() == 1);
    CHECK(escalated["incidents"][0]["created"].GetBool());
    auto slack_incident = incident(client, escalated["incidents"][0]["id"].GetString());
    CHECK(std::string(slack_incident["incident"]["repository"].GetString()) == name);
    CHECK(std::string(slack_incident["incident"]["source"].GetString()) == "slack");
    // Chatter in an unmapped channel is evidence only.
    CHECK(json_of(client.post("/api/signals/slack", R"({"channel":"C0RANDOM","text":"lunch?"})"))["incidents"].Empty());
    CHECK(client.request("DELETE", "/api/slack/channels/" + channel_id, "", {}).status == 204);
    error_envelope(client.get("/api/slack/channels/" + channel_id), 404, "SlackChannelNotFound");
    CHECK(client.request("DELETE", "/api/repos/" + id, "", {}).status == 204);
    error_envelope(client.request("DELETE", "/api/repos/" + id, "", {}), 404, "RepositoryNotFound");
}

TEST_CASE("sre: a storm of 10,000 duplicate alerts is one incident with its count") {
    HttpClient client(quiet_host().base_url());
    std::string service = unique("storm-");
    const int kBatches = 20, kPerBatch = 500;
    std::string incident_id;
    for (int b = 0; b < kBatches; ++b) {
        std::string body = R"({"entries":[)";
        for (int i = 0; i < kPerBatch; ++i) {
            if (i > 0) body += ",";
            // Request ids and timings differ; the template does not.
            body += R"({"service":")" + service + R"(","level":"ERROR","message":"upstream timeout after )" +
                    std::to_string(100 + i) + R"(ms request_id=)" + std::to_string(b * kPerBatch + i) + R"("})";
        }
        body += "]}";
        auto answer = client.post("/api/signals/logs", body);
        INFO(answer.body);
        REQUIRE(answer.status == 202);
        auto accepted = json_of(answer);
        CHECK(accepted["accepted"].GetInt() == kPerBatch);
        REQUIRE(accepted["incidents"].Size() == 1);
        std::string id = accepted["incidents"][0]["id"].GetString();
        if (incident_id.empty()) incident_id = id;
        CHECK(id == incident_id);
        CHECK(accepted["incidents"][0]["created"].GetBool() == (b == 0));
    }
    auto detail = incident(client, incident_id);
    CHECK(detail["incident"]["signal_count"].GetInt() == kBatches * kPerBatch);
    CHECK(std::string(detail["incident"]["status"].GetString()) == "open");
    // A sample is kept, not ten thousand rows.
    CHECK(detail["signals"].Size() <= 50);

    auto listed = json_of(client.get("/api/incidents?status=open&limit=200"));
    int found = 0;
    for (const auto& item : listed["incidents"].GetArray())
        if (std::string(item["service"].GetString()) == service) ++found;
    CHECK(found == 1);
    // A different error of the same service is another incident; an info
    // line is evidence only.
    auto other = json_of(client.post("/api/signals/logs", R"({"service":")" + service +
                                                              R"(","level":"error","message":"disk full on /var"})"));
    CHECK(std::string(other["incidents"][0]["id"].GetString()) != incident_id);
    auto info = json_of(client.post("/api/signals/logs", R"({"service":")" + service +
                                                             R"(","level":"info","message":"upstream recovered"})"));
    CHECK(info["incidents"].Empty());
    error_envelope(client.post("/api/signals/logs", R"({"service":"x","level":"loud","message":"m"})"), 422,
                   "ValidationError");
    error_envelope(client.post("/api/signals/logs", R"({"service":"x"})"), 422, "ValidationError");
}

TEST_CASE("sre: incidents filter, page with cursors, resolve and reopen") {
    HttpClient client(quiet_host().base_url());
    std::string repository = unique("pages-");
    std::vector<std::string> ids;
    for (int i = 0; i < 5; ++i) {
        auto created = client.post("/api/issues", R"({"title":"manual )" + std::to_string(i) + R"(","repository":")" +
                                                      repository + R"(","severity":"warning"})");
        INFO(created.body);
        REQUIRE(created.status == 201);
        ids.push_back(json_of(created)["id"].GetString());
        // Newest first is by creation time; ids made in one millisecond
        // carry no order, so each incident gets its own.
        std::this_thread::sleep_for(std::chrono::milliseconds(3));
    }
    std::vector<std::string> seen;
    std::string cursor;
    for (int page = 0; page < 10; ++page) {
        auto answer = client.get("/api/incidents?repository=" + repository + "&limit=2" +
                                 (cursor.empty() ? "" : "&cursor=" + cursor));
        REQUIRE(answer.status == 200);
        auto body = json_of(answer);
        for (const auto& item : body["incidents"].GetArray()) seen.push_back(item["id"].GetString());
        if (body["next_cursor"].IsNull()) break;
        cursor = body["next_cursor"].GetString();
    }
    REQUIRE(seen.size() == 5);
    CHECK(seen.front() == ids.back());  // newest first
    // An issue without a description is its title alone (it kept a "\n").
    auto first = incident(client, ids.front());
    REQUIRE(first["signals"].Size() == 1);
    CHECK(std::string(first["signals"][0]["message"].GetString()) == "manual 0");
    CHECK(json_of(client.get("/api/incidents?repository=" + repository + "&severity=critical"))["incidents"].Empty());
    error_envelope(client.get("/api/incidents?status=closed"), 422, "ValidationError");
    error_envelope(client.get("/api/incidents?cursor=nonsense"), 422, "ValidationError");
    error_envelope(client.get("/api/incidents/inc_missing"), 404, "IncidentNotFound");

    auto resolved = client.post("/api/incidents/" + ids[0] + "/resolve", R"({"resolution":"fixed by hand"})");
    INFO(resolved.body);
    REQUIRE(resolved.status == 200);
    CHECK(std::string(json_of(resolved)["status"].GetString()) == "resolved");
    error_envelope(client.post("/api/incidents/" + ids[0] + "/resolve", ""), 409, "IncidentResolved");
    CHECK(json_of(client.get("/api/incidents?repository=" + repository + "&status=resolved"))["incidents"].Size() == 1);
    auto reopened = client.post("/api/incidents/" + ids[0] + "/reopen", R"({"reason":"came back"})");
    REQUIRE(reopened.status == 200);
    auto again = json_of(reopened);
    CHECK(std::string(again["status"].GetString()) == "open");
    CHECK(again["reopened"].GetInt() == 1);
    error_envelope(client.post("/api/incidents/" + ids[0] + "/reopen", ""), 409, "IncidentOpen");
    auto detail = incident(client, ids[0]);
    REQUIRE(detail["actions"].Size() == 2);
    CHECK(std::string(detail["actions"][0]["kind"].GetString()) == "resolved");
    CHECK(std::string(detail["actions"][1]["kind"].GetString()) == "reopened");
}

TEST_CASE("sre: GitHub and Slack signatures are checked") {
    HttpClient client(host().base_url());
    std::string push = R"({"ref":"refs/heads/main","repository":{"name":"shop"},"commits":[{"id":"abc123def4567","message":"Switch cart total to new pricing service"}]})";
    std::string good = "sha256=" + hmac_hex(kGithubSecret, push);
    auto accepted = client.post("/api/signals/github", push, {"X-Hub-Signature-256: " + good, "X-GitHub-Event: push"});
    INFO(accepted.body);
    CHECK(accepted.status == 202);
    std::string bad = "sha256=" + hmac_hex("other", push);
    error_envelope(client.post("/api/signals/github", push, {"X-Hub-Signature-256: " + bad}), 401, "Unauthorized");
    error_envelope(client.post("/api/signals/github", push), 401, "Unauthorized");
    error_envelope(client.post("/api/signals/github", push + " ", {"X-Hub-Signature-256: " + good}), 401, "Unauthorized");

    std::string message = R"({"type":"event_callback","event":{"type":"message","channel":"C9","text":"checkout is down for everyone","user":"U1"}})";
    auto now = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                  std::chrono::system_clock::now().time_since_epoch())
                                  .count());
    auto sign = [&](const std::string& timestamp, const std::string& body) {
        return "v0=" + hmac_hex(kSlackSecret, "v0:" + timestamp + ":" + body);
    };
    auto slack = client.post("/api/signals/slack", message,
                             {"X-Slack-Signature: " + sign(now, message), "X-Slack-Request-Timestamp: " + now});
    INFO(slack.body);
    CHECK(slack.status == 202);
    // A replay from ten minutes ago, correctly signed, is refused.
    std::string old = std::to_string(std::stoll(now) - 600);
    error_envelope(client.post("/api/signals/slack", message,
                               {"X-Slack-Signature: " + sign(old, message), "X-Slack-Request-Timestamp: " + old}),
                   401, "Unauthorized");
    error_envelope(client.post("/api/signals/slack", message,
                               {"X-Slack-Signature: " + sign(now, message + "x"), "X-Slack-Request-Timestamp: " + now}),
                   401, "Unauthorized");
    error_envelope(client.post("/api/signals/slack", message), 401, "Unauthorized");
    std::string challenge = R"({"type":"url_verification","challenge":"abc"})";
    auto verified = client.post("/api/signals/slack", challenge,
                                {"X-Slack-Signature: " + sign(now, challenge), "X-Slack-Request-Timestamp: " + now});
    CHECK(verified.status == 200);
    CHECK(std::string(json_of(verified)["challenge"].GetString()) == "abc");
    // Without secrets (and without auth) unsigned signals are accepted.
    HttpClient open(quiet_host().base_url());
    CHECK(open.post("/api/signals/github", push).status == 202);
}

TEST_CASE("sre: retrieval ranks the causal log lines first") {
    HttpClient client(quiet_host().base_url());
    std::string service = unique("rank-");
    std::string body = R"({"entries":[)";
    const char* noise[] = {"GET /health 200 in 3ms", "cache warmed with 1200 keys", "scheduled report sent to finance",
                           "user login succeeded", "GET /products 200 in 12ms", "metrics flushed"};
    for (int i = 0; i < 30; ++i)
        body += std::string(i ? "," : "") + R"({"service":")" + service + R"(","level":"info","message":")" +
                noise[i % 6] + R"("})";
    body += R"(,{"service":")" + service +
            R"(","level":"error","message":"connection pool exhausted: timeout waiting for connection from pool orders-db"})";
    body += R"(,{"service":")" + service +
            R"(","level":"warning","message":"orders-db pool at 100 of 100 connections, waiting threads 37"})";
    body += "]}";
    REQUIRE(client.post("/api/signals/logs", body).status == 202);
    auto found = json_of(client.get("/api/signals/search?q=orders-db+connection+pool+timeout&limit=5"));
    REQUIRE(found["signals"].Size() >= 2);
    CHECK_THAT(std::string(found["signals"][0]["message"].GetString()), Contains("pool"));
    CHECK_THAT(std::string(found["signals"][1]["message"].GetString()), Contains("pool"));
    CHECK(found["signals"][0]["score"].GetDouble() >= found["signals"][1]["score"].GetDouble());
    error_envelope(client.get("/api/signals/search"), 422, "ValidationError");
    // Query syntax in the text is only words.
    CHECK(client.get("/api/signals/search?q=%22pool%22+NEAR(+*+OR").status == 200);
}

TEST_CASE("sre: a failing deploy becomes one incident, sre_agent rolls it back after approval and resolves it") {
    HttpClient client(host().base_url());
    std::string service = unique("checkout-");
    // The deploy, then its errors, with duplicates.
    REQUIRE(client.post("/api/signals/logs", R"({"service":")" + service +
                                                 R"(","level":"info","message":"deploy )" + service +
                                                 R"( v2.4.1 rolled out"})")
                .status == 202);
    std::string incident_id;
    for (int i = 0; i < 3; ++i) {
        std::string body = R"({"entries":[)";
        for (int j = 0; j < 10; ++j)
            body += std::string(j ? "," : "") + R"({"service":")" + service +
                    R"(","level":"error","message":"NullPointerException in CartController.total request=)" +
                    std::to_string(i * 10 + j) + R"("})";
        body += "]}";
        auto accepted = client.post("/api/signals/logs", body);
        INFO(accepted.body);
        REQUIRE(accepted.status == 202);
        auto parsed = json_of(accepted);
        REQUIRE(parsed["incidents"].Size() == 1);
        if (incident_id.empty()) incident_id = parsed["incidents"][0]["id"].GetString();
        CHECK(std::string(parsed["incidents"][0]["id"].GetString()) == incident_id);
    }

    // The agent's run waits for approval of the rollback.
    std::string run_id = run_awaiting_approval(client, incident_id);
    CHECK(incident(client, incident_id)["runs"].Size() == 1);  // one run per incident
    auto run = fetch_run(client, run_id);
    CHECK_THAT(json_text(run), Contains("rollout undo deployment/" + service));

    auto approved = client.post("/workflow/approve/" + incident_id, R"({"approved":true,"approver":"oncall-alice"})");
    INFO(approved.body);
    REQUIRE(approved.status == 200);

    // The rollback runs; then recovery signals arrive.
    wait_until_agent_awaits_signals(client, run_id);
    REQUIRE(client.post("/api/signals/logs", R"({"service":")" + service +
                                                 R"(","level":"info","message":"GET /cart 200 in 40ms"})")
                .status == 202);

    std::string status;
    REQUIRE(poll_until(
        [&] {
            status = run_status_of(client, run_id);
            return status == "succeeded" || status == "failed" || status == "cancelled";
        },
        std::chrono::milliseconds(30000)));
    INFO(json_text(fetch_run(client, run_id)));
    REQUIRE(status == "succeeded");

    auto detail = incident(client, incident_id);
    INFO(json_text(detail));
    CHECK(std::string(detail["incident"]["status"].GetString()) == "resolved");
    CHECK(detail["incident"]["signal_count"].GetInt() == 30);
    CHECK_THAT(std::string(detail["incident"]["resolved_by"].GetString()), Contains("sre_agent"));
    bool rollback_recorded = false;
    for (const auto& action : detail["actions"].GetArray())
        if (std::string(action["kind"].GetString()) == "action") {
            CHECK_THAT(json_text(action["detail"]), Contains("rollout undo deployment/" + service));
            CHECK(std::string(action["approved_by"].GetString()) == "oncall-alice");
            rollback_recorded = true;
        }
    CHECK(rollback_recorded);
    // Every phase is visible as events.
    std::set<std::string> types;
    for (const auto& event : fetch_events(client, run_id)) types.insert(event.type);
    for (const char* type : {"sre.observe", "sre.reason", "sre.act", "sre.evaluate", "loop.iteration",
                             "approval.requested", "approval.granted", "exec.started"})
        CHECK(types.count(type) == 1);
    // No GitHub token on this host: no pull request is proposed, and the
    // agent says why.
    bool said_why = false;
    for (const auto& event : fetch_events(client, run_id))
        if (event.type == "sre.pull_request" && event.data_json.find("no GitHub token") != std::string::npos) said_why = true;
    CHECK(said_why);
}

TEST_CASE("sre: where the operator allowed no kubectl, nobody is asked to approve one; the incident goes to a person at once") {
    // Found by an outside tester: seed 002's loop asked a person to approve
    // `kubectl rollout undo` on a host whose exec settings could never run
    // it, and the run failed after the approval.
    HostProcess bare(host_config(R"({"sre_agent":{"enabled":true,"config":{"settle_seconds":1}}})",
                                 R"("signals":{"max_iterations":8})"));
    HttpClient client(bare.base_url());
    std::string service = unique("billing-");
    REQUIRE(client.post("/api/signals/logs", R"({"service":")" + service +
                                                 R"(","level":"info","message":"deploy )" + service +
                                                 R"( v3.0.0 rolled out"})")
                .status == 202);
    std::string body = R"({"entries":[)";
    for (int j = 0; j < 10; ++j)
        body += std::string(j ? "," : "") + R"({"service":")" + service +
                R"(","level":"error","message":"NullPointerException in InvoiceController.total request=)" +
                std::to_string(j) + R"("})";
    auto accepted = client.post("/api/signals/logs", body + "]}");
    INFO(accepted.body);
    REQUIRE(accepted.status == 202);
    std::string incident_id = json_of(accepted)["incidents"][0]["id"].GetString();

    std::string run_id, status;
    REQUIRE(poll_until(
        [&] {
            auto detail = incident(client, incident_id);
            if (detail["runs"].Empty()) return false;
            run_id = detail["runs"][0]["run_id"].GetString();
            status = detail["runs"][0]["status"].GetString();
            return status == "succeeded" || status == "failed" || status == "pending_approval";
        },
        std::chrono::milliseconds(30000)));
    auto run = fetch_run(client, run_id);
    INFO(json_text(run));
    REQUIRE(status == "succeeded");
    CHECK(run["result"]["handed_over"].GetBool());
    CHECK_FALSE(run["result"]["resolved"].GetBool());
    CHECK_THAT(string_member(run["result"], "evaluation"),
               Contains("'kubectl' is not an allowed command") && Contains("agents.sre_agent.exec"));
    auto events = fetch_events(client, run_id);
    CHECK(count_events(events, "approval.requested") == 0);
    CHECK(count_events(events, "exec.started") == 0);
    // One iteration, not eight: the loop ends when the agent hands over.
    CHECK(count_events(events, "loop.iteration") == 1);
    bool ended_handed_over = false;
    for (const auto& event : events)
        if (event.type == "loop.finished")
            ended_handed_over = event.data_json.find("\"handed_over\":true") != std::string::npos &&
                                event.data_json.find("handed the problem to a person") != std::string::npos;
    CHECK(ended_handed_over);
    auto detail = incident(client, incident_id);
    CHECK(std::string(detail["incident"]["status"].GetString()) != "resolved");
    // The incident's history says the run handed it over, and why.
    bool recorded = false;
    for (const auto& action : detail["actions"].GetArray())
        if (std::string(action["kind"].GetString()) == "run.finished")
            recorded = action["detail"]["handed_over"].GetBool() &&
                       string_member(action["detail"], "evaluation").find("agents.sre_agent.exec") != std::string::npos;
    CHECK(recorded);
}

TEST_CASE("sre: an incident's action targets its own service, never one seen in another incident's signals") {
    // The outsider's report: cart's pool errors opened an incident, then
    // the same errors from orders opened another, whose approval request
    // restarted deployment/cart (its signals were in orders' evidence).
    HttpClient client(host().base_url());
    std::string cart = unique("cart-"), orders = unique("orders-");
    auto errors_of = [](const std::string& service, int count) {
        std::string body = R"({"entries":[)";
        for (int i = 0; i < count; ++i)
            body += std::string(i ? "," : "") + R"({"service":")" + service +
                    R"(","level":"error","message":"connection pool exhausted: timeout after 30000ms waiting for connection"})";
        return body + "]}";
    };
    auto first = client.post("/api/signals/logs", errors_of(cart, 20));
    REQUIRE(first.status == 202);
    std::string cart_incident = json_of(first)["incidents"][0]["id"].GetString();
    run_awaiting_approval(client, cart_incident);
    auto second = client.post("/api/signals/logs", errors_of(orders, 2));
    INFO(second.body);
    REQUIRE(second.status == 202);
    std::string orders_incident = json_of(second)["incidents"][0]["id"].GetString();
    REQUIRE(orders_incident != cart_incident);

    std::string run_id = run_awaiting_approval(client, orders_incident);
    std::string run = json_text(fetch_run(client, run_id));
    INFO(run);
    CHECK_THAT(run, Contains("restart deployment/" + orders));
    CHECK(run.find("deployment/" + cart) == std::string::npos);
    for (const auto& event : fetch_events(client, run_id)) CHECK(event.data_json.find(cart) == std::string::npos);
    // Neither run goes on: the shared host's later tests start clean.
    client.post("/workflow/approve/" + orders_incident, R"({"approved":false,"approver":"test"})");
    client.post("/workflow/approve/" + cart_incident, R"({"approved":false,"approver":"test"})");
}

TEST_CASE("sre: an open incident whose run ended without resolving it is worked again by a later signal and a restart") {
    // The outsider's report: a run that failed (kubectl not yet allowed)
    // left its incident open and unworked for good: new signals joined it
    // and started nothing, a restart queued nothing, reopen said 409.
    // echo stands in for an agent whose run ends without resolving.
    DataDir dir;
    std::string config = host_config(R"({"echo":{"enabled":true}})",
                                     R"("signals":{"agent":"echo","max_iterations":1,"rework_after_seconds":2})");
    std::string incident_id;
    std::string error = R"({"service":"billing","level":"error","message":"OOMKilled: container billing exceeded memory limit 512Mi"})";
    auto runs_of = [&](HttpClient& client) { return incident(client, incident_id)["runs"].Size(); };
    auto all_ended = [&](HttpClient& client) {
        auto detail = incident(client, incident_id);
        for (const auto& run : detail["runs"].GetArray()) {
            std::string status = run["status"].GetString();
            if (status != "succeeded" && status != "failed" && status != "cancelled") return false;
        }
        return true;
    };
    {
        HostProcess host(config, {"--data-dir", dir.path});
        HttpClient client(host.base_url());
        auto first = client.post("/api/signals/logs", error);
        INFO(first.body);
        REQUIRE(first.status == 202);
        incident_id = json_of(first)["incidents"][0]["id"].GetString();
        REQUIRE(poll_until([&] { return runs_of(client) == 1 && all_ended(client); }, std::chrono::milliseconds(10000)));
        CHECK(std::string(incident(client, incident_id)["incident"]["status"].GetString()) == "open");

        // Within the cool-down a new signal joins and starts nothing.
        REQUIRE(client.post("/api/signals/logs", error).status == 202);
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        CHECK(runs_of(client) == 1);

        // After it, the next signal hands the incident to the agent again.
        std::this_thread::sleep_for(std::chrono::milliseconds(2000));
        REQUIRE(client.post("/api/signals/logs", error).status == 202);
        REQUIRE(poll_until([&] { return runs_of(client) == 2 && all_ended(client); }, std::chrono::milliseconds(10000)));
        host.stop();
    }
    // A restart works every open incident no run works on.
    HostProcess host(config, {"--data-dir", dir.path});
    HttpClient client(host.base_url());
    CHECK(poll_until([&] { return runs_of(client) == 3; }, std::chrono::milliseconds(10000)));
}

TEST_CASE("sre: with an LLM provider configured, sre_agent acts on the model's root cause and action") {
    static FakeLlmServer llm;
    llm.set_responder([](const FakeLlmRequest&) {
        // The rules would roll back; the model says restart.
        return openai_reply(R"({"root_cause":"connection leak after the config change","action":"restart","service":"billing"})",
                            100, 20);
    });
    HostProcess llm_host(host_config(agents_json(), R"("signals":{"max_iterations":3},"llm":{"provider":"openai",)"
                                                    R"("max_retries":0,"timeout_seconds":2,"openai":{"api_key":"k",)"
                                                    R"("base_url":")" + llm.url("/v1") + R"("}})"));
    HttpClient client(llm_host.base_url());
    auto accepted = client.post("/api/signals/logs", R"({"entries":[{"service":"billing","level":"error",)"
                                                     R"("message":"NullPointerException in InvoiceController request=1"}]})");
    REQUIRE(accepted.status == 202);
    std::string incident_id = json_of(accepted)["incidents"][0]["id"].GetString();
    std::string run_id = run_awaiting_approval(client, incident_id);
    auto run = fetch_run(client, run_id);
    INFO(json_text(run));
    CHECK_THAT(json_text(run["approval"]), Contains("rollout restart deployment/billing"));
    CHECK_THAT(json_text(run["approval"]), Contains("connection leak after the config change"));
    CHECK(llm.requests().size() >= 1);
}

TEST_CASE("sre: an open incident that never got a run gets one when a host starts") {
    // The first host stores incidents but hands them to no agent, as a host
    // that stopped between the incident's commit and queueing its run.
    std::string data = make_temp_dir() + "/data";
    std::string service = unique("ledger-");
    std::string incident_id;
    {
        HostProcess first(host_config("{}", R"("signals":{"agent":""})"), {"--data-dir", data});
        HttpClient client(first.base_url());
        auto accepted = client.post("/api/signals/logs", R"({"service":")" + service +
                                                             R"(","level":"error","message":"disk quota exceeded on /var/lib/ledger"})");
        INFO(accepted.body);
        REQUIRE(accepted.status == 202);
        incident_id = json_of(accepted)["incidents"][0]["id"].GetString();
        CHECK(incident(client, incident_id)["runs"].Empty());
    }
    HostProcess second(host_config(agents_json(), R"("signals":{"max_iterations":2})"), {"--data-dir", data});
    HttpClient client(second.base_url());
    REQUIRE(poll_until([&] { return !incident(client, incident_id)["runs"].Empty(); }, std::chrono::milliseconds(10000)));
    auto detail = incident(client, incident_id);
    CHECK(detail["runs"].Size() == 1);
    CHECK(string_member(fetch_run(client, detail["runs"][0]["run_id"].GetString()), "agent") == "sre_agent");
    // The log line reaches its file within the logger's flush interval.
    CHECK(poll_until([&] { return second.log().find("open incident with no run working on it") != std::string::npos; },
                     std::chrono::milliseconds(5000)));
}

TEST_CASE("sre: an operator's runbook step runs after approval when the evidence names its symptom") {
    // A stand-in for the operator's tool, on the host's PATH, that prints its
    // arguments (it runs sandboxed: its output is what the run records).
    static std::string dir = make_temp_dir();
    std::ofstream(dir + "/pgbouncer-ctl") << "#!/bin/sh\necho \"reconnected $*\"\n";
    std::filesystem::permissions(dir + "/pgbouncer-ctl", std::filesystem::perms::owner_all);
    const char* old_path = std::getenv("PATH");
    std::string saved = old_path != nullptr ? old_path : "/usr/bin:/bin";
    setenv("PATH", (dir + ":" + saved).c_str(), 1);
    HostProcess runbook_host(host_config(
        R"({"sre_agent":{"enabled":true,"config":{"settle_seconds":0.5,"namespace":"shop","runbooks":[{"name":"recycle-pool",)"
        R"("match":["too many connections"],"argv":["pgbouncer-ctl","reconnect","--service={service}"]}]},)"
        R"("exec":{"allow":["pgbouncer-ctl"],"network":true)" +
            std::string(sandbox_works() ? "" : R"(,"allow_unsandboxed":true)") + "}}}",
        R"("signals":{"max_iterations":4})"));
    setenv("PATH", saved.c_str(), 1);
    HttpClient client(runbook_host.base_url());
    auto accepted = client.post("/api/signals/logs", R"({"entries":[{"service":"orders","level":"error",)"
                                                     R"("message":"FATAL: too many connections for pool orders_rw request=1"}]})");
    INFO(accepted.body);
    REQUIRE(accepted.status == 202);
    std::string incident_id = json_of(accepted)["incidents"][0]["id"].GetString();
    std::string run_id = run_awaiting_approval(client, incident_id);
    auto run = fetch_run(client, run_id);
    INFO(json_text(run));
    CHECK(string_member(run["approval"], "operation") == "runbook:recycle-pool");
    CHECK_THAT(json_text(run["approval"]), Contains("pgbouncer-ctl reconnect --service=orders"));
    for (const auto& event : fetch_events(client, run_id)) CHECK(event.type != "exec.started");  // nothing ran yet

    REQUIRE(client.post("/workflow/approve/" + incident_id, R"({"approved":true,"approver":"dba-bob"})").status == 200);
    wait_until_agent_awaits_signals(client, run_id);
    REQUIRE(client.post("/api/signals/logs", R"({"service":"orders","level":"info","message":"GET /orders 200"})").status ==
            202);
    REQUIRE(poll_until([&] { return run_status_of(client, run_id) == "succeeded"; }, std::chrono::milliseconds(20000)));
    auto detail = incident(client, incident_id);
    INFO(json_text(detail));
    CHECK(std::string(detail["incident"]["status"].GetString()) == "resolved");
    bool recorded = false;
    for (const auto& action : detail["actions"].GetArray())
        if (std::string(action["kind"].GetString()) == "action") {
            CHECK_THAT(json_text(action["detail"]),
                       Contains("runbook:recycle-pool") && Contains("reconnected reconnect --service=orders"));
            CHECK(std::string(action["approved_by"].GetString()) == "dba-bob");
            recorded = true;
        }
    CHECK(recorded);
}

TEST_CASE("sre: a commit behind the errors gets a revert pull request on GitHub after approval, recorded on the incident") {
    static std::string dir = make_temp_dir();
    std::ofstream(dir + "/kubectl") << kKubectl;
    std::filesystem::permissions(dir + "/kubectl", std::filesystem::perms::owner_all);
    // A fake GitHub on loopback: the bad commit, its parent's file and the
    // default branch's head as the commit left it.
    static FakeGitHubServer github("gh-sre-token", "client", "secret", "code", "user-token");
    const std::string bad = "badc0ffee00d4a1e5b1f0c9a6b2d3e4f5a6b7c8d";
    const std::string parent = "9a7e000000000000000000000000000000000001";
    const std::string head = "0000000000000000000000000000000000000001";  // main, as the fake starts
    const std::string before = "class CartController {\n  int total() { return items.sum(); }\n}\n";
    github.add_commit(bad, parent, "Make cart total lazy\n\nMoves the total into a lazy field.",
                      {{"src/cart/CartController.java", "modified"}, {"src/cart/LazyTotal.java", "added"}});
    github.put_file_at(parent, "src/cart/CartController.java", before);
    github.put_file_at(head, "src/cart/CartController.java", "class CartController {\n  Integer total;\n}\n");
    github.put_file_at(head, "src/cart/LazyTotal.java", "class LazyTotal {}\n");

    // The token comes from the host's environment through ${GITHUB_TOKEN}.
    const char* old_token = std::getenv("GITHUB_TOKEN");
    std::string saved_token = old_token != nullptr ? old_token : "";
    setenv("GITHUB_TOKEN", "gh-sre-token", 1);
    const char* old_path = std::getenv("PATH");
    std::string saved_path = old_path != nullptr ? old_path : "/usr/bin:/bin";
    setenv("PATH", (dir + ":" + saved_path).c_str(), 1);
    HostProcess pr_host(host_config(
        R"({"sre_agent":{"enabled":true,"config":{"settle_seconds":0.5,"allowed_actions":["open_pull_request","rollout_undo"],)"
        R"("github":{"token":"${GITHUB_TOKEN}","api_base_url":")" + github.url() +
            R"(","incident_link":"https://ops.example/incidents/{incident_id}"}},)"
            R"("http":{"allowed_hosts":["127.0.0.1"]},"exec":{"allow":["kubectl"],"network":true)" +
            std::string(sandbox_works() ? "" : R"(,"allow_unsandboxed":true)") + "}}}",
        std::string(R"("signals":{"github_secret":")") + kGithubSecret + R"(","max_iterations":5})"));
    setenv("PATH", saved_path.c_str(), 1);
    if (old_token != nullptr) setenv("GITHUB_TOKEN", saved_token.c_str(), 1);
    else unsetenv("GITHUB_TOKEN");
    HttpClient client(pr_host.base_url());

    auto repo = client.post("/api/repos", R"({"name":"shop","url":"https://github.com/acme/shop.git","default_branch":"main"})");
    INFO(repo.body);
    REQUIRE(repo.status == 201);
    std::string push = R"({"ref":"refs/heads/main","repository":{"name":"shop","full_name":"acme/shop"},"commits":[)"
                       R"({"id":"0123456789abcdef0123456789abcdef01234567","message":"Update README","modified":["README.md"]},)"
                       R"({"id":")" + bad + R"(","message":"Make cart total lazy","added":["src/cart/LazyTotal.java"],)"
                       R"("modified":["src/cart/CartController.java"]}]})";
    auto pushed = client.post("/api/signals/github", push,
                              {"X-Hub-Signature-256: sha256=" + hmac_hex(kGithubSecret, push), "X-GitHub-Event: push"});
    INFO(pushed.body);
    REQUIRE(pushed.status == 202);
    std::string body = R"({"entries":[)";
    for (int i = 0; i < 10; ++i)
        body += std::string(i ? "," : "") + R"({"service":"checkout","repository":"shop","level":"error",)"
                R"("message":"NullPointerException in CartController.total request=)" + std::to_string(i) + R"("})";
    auto accepted = client.post("/api/signals/logs", body + "]}");
    INFO(accepted.body);
    REQUIRE(accepted.status == 202);
    std::string incident_id = json_of(accepted)["incidents"][0]["id"].GetString();

    // It waits for a person before touching GitHub.
    std::string run_id = run_awaiting_approval(client, incident_id);
    auto run = fetch_run(client, run_id);
    INFO(json_text(run));
    CHECK(string_member(run["approval"], "operation") == "open_pull_request");
    CHECK_THAT(json_text(run["approval"]), Contains("acme/shop reverting badc0ffee00d"));
    CHECK(github.requests().empty());

    REQUIRE(client.post("/workflow/approve/" + incident_id, R"({"approved":true,"approver":"oncall-carol"})").status == 200);

    // The pull request fixes the code; the running service still needs
    // the rollback, which another person approves.
    wait_until_run_awaits(client, run_id, "rollout_undo");
    CHECK(github.pull_requests().size() == 1);
    REQUIRE(client.post("/workflow/approve/" + incident_id, R"({"approved":true,"approver":"oncall-dave"})").status == 200);
    wait_until_agent_awaits_signals(client, run_id);
    REQUIRE(client.post("/api/signals/logs", R"({"service":"checkout","repository":"shop","level":"info","message":"GET /cart 200"})")
                .status == 202);
    std::string status = wait_for_status(client, run_id, {"succeeded", "failed", "cancelled"}, std::chrono::milliseconds(30000));
    INFO(json_text(fetch_run(client, run_id)));
    REQUIRE(status == "succeeded");

    // GitHub got a branch from main's head, the parent's content, the added
    // file deleted, and one pull request.
    const std::string branch = "sre/revert-badc0ffee00d-" + incident_id;
    auto branches = github.branches();
    REQUIRE(branches.count(branch) == 1);
    CHECK(branches[branch] == head);
    CHECK(github.files_at(branch) == std::map<std::string, std::string>{{"src/cart/CartController.java", before}});
    auto pulls = github.pull_requests();
    REQUIRE(pulls.size() == 1);
    CHECK(pulls[0] == branch + " -> main: Revert badc0ff: Make cart total lazy");
    std::string pull_body;
    for (const auto& request : github.requests()) {
        CHECK(request.header("authorization") == "Bearer gh-sre-token");
        if (request.method == "POST" && request.path == "/repos/acme/shop/pulls") pull_body = request.body;
    }
    CHECK_THAT(pull_body, Contains(incident_id) && Contains("https://ops.example/incidents/" + incident_id) &&
                              Contains("NullPointerException in CartController.total") && Contains("Reverts " + bad));

    // The incident records the pull request (once) with who approved it,
    // and the rollback with who approved that.
    auto detail = incident(client, incident_id);
    INFO(json_text(detail));
    CHECK(std::string(detail["incident"]["status"].GetString()) == "resolved");
    size_t pull_requests = 0, rollbacks = 0;
    for (const auto& action : detail["actions"].GetArray()) {
        if (std::string(action["kind"].GetString()) != "action") continue;
        std::string text = json_text(action["detail"]);
        if (text.find("\"open_pull_request\"") != std::string::npos) {
            CHECK_THAT(text, Contains("https://github.com/acme/shop/pull/1") && Contains("\"executed\""));
            CHECK(std::string(action["approved_by"].GetString()) == "oncall-carol");
            ++pull_requests;
        } else {
            CHECK_THAT(text, Contains("rollout undo deployment/checkout"));
            CHECK(std::string(action["approved_by"].GetString()) == "oncall-dave");
            ++rollbacks;
        }
    }
    CHECK(pull_requests == 1);
    CHECK(rollbacks == 1);
    CHECK(count_events(fetch_events(client, run_id), "sre.pull_request") >= 1);
}

TEST_CASE("sre: GitHub refusing the revert fails the action with its reason, and the loop goes on to a rollout undo") {
    // This fake GitHub knows no such commit: reading it answers 404.
    static FakeGitHubServer github("gh-sre-token", "client", "secret", "code", "user-token");
    static std::string dir = make_temp_dir();
    std::ofstream(dir + "/kubectl") << kKubectl;
    std::filesystem::permissions(dir + "/kubectl", std::filesystem::perms::owner_all);
    const char* old_path = std::getenv("PATH");
    std::string saved = old_path != nullptr ? old_path : "/usr/bin:/bin";
    setenv("PATH", (dir + ":" + saved).c_str(), 1);
    HostProcess pr_host(host_config(
        R"({"sre_agent":{"enabled":true,"config":{"settle_seconds":0.5,"github":{"token":"gh-sre-token","api_base_url":")" +
            github.url() + R"("}},"http":{"allowed_hosts":["127.0.0.1"]},"exec":{"allow":["kubectl"],"network":true)" +
            std::string(sandbox_works() ? "" : R"(,"allow_unsandboxed":true)") + "}}}",
        std::string(R"("signals":{"github_secret":")") + kGithubSecret + R"(","max_iterations":5})"));
    setenv("PATH", saved.c_str(), 1);
    HttpClient client(pr_host.base_url());
    REQUIRE(client.post("/api/repos", R"({"name":"shop","url":"git@github.com:acme/shop.git"})").status == 201);
    std::string push = R"({"ref":"refs/heads/main","repository":{"name":"shop","full_name":"acme/shop"},"commits":[)"
                       R"({"id":"feedface00000000000000000000000000000001","message":"Cache cart totals","modified":["src/cart/CartController.java"]}]})";
    REQUIRE(client.post("/api/signals/github", push,
                        {"X-Hub-Signature-256: sha256=" + hmac_hex(kGithubSecret, push), "X-GitHub-Event: push"})
                .status == 202);
    std::string body = R"({"entries":[)";
    for (int i = 0; i < 10; ++i)
        body += std::string(i ? "," : "") + R"({"service":"checkout","repository":"shop","level":"error",)"
                R"("message":"NullPointerException in CartController.total request=)" + std::to_string(i) + R"("})";
    auto accepted = client.post("/api/signals/logs", body + "]}");
    REQUIRE(accepted.status == 202);
    std::string incident_id = json_of(accepted)["incidents"][0]["id"].GetString();

    std::string run_id = run_awaiting_approval(client, incident_id);
    CHECK(string_member(fetch_run(client, run_id)["approval"], "operation") == "open_pull_request");
    REQUIRE(client.post("/workflow/approve/" + incident_id, R"({"approved":true,"approver":"oncall-alice"})").status == 200);

    // The revert fails on GitHub's 404; the next option waits for a person.
    wait_until_run_awaits(client, run_id, "rollout_undo");
    CHECK(github.pull_requests().empty());
    CHECK(github.branches().size() == 1);  // main only: nothing was created
    REQUIRE(client.post("/workflow/approve/" + incident_id, R"({"approved":true,"approver":"oncall-bob"})").status == 200);
    wait_until_agent_awaits_signals(client, run_id);
    REQUIRE(client.post("/api/signals/logs", R"({"service":"checkout","repository":"shop","level":"info","message":"GET /cart 200"})")
                .status == 202);
    REQUIRE(wait_for_status(client, run_id, {"succeeded", "failed", "cancelled"}, std::chrono::milliseconds(30000)) ==
            "succeeded");

    auto detail = incident(client, incident_id);
    INFO(json_text(detail));
    CHECK(std::string(detail["incident"]["status"].GetString()) == "resolved");
    bool failed_pr = false, rollback = false;
    for (const auto& action : detail["actions"].GetArray()) {
        if (std::string(action["kind"].GetString()) != "action") continue;
        std::string text = json_text(action["detail"]);
        if (text.find("open_pull_request") != std::string::npos) {
            CHECK_THAT(text, Contains("\"failed\"") && Contains("HTTP 404") && Contains("No commit found") &&
                                 Contains("\"http_status\":404"));
            failed_pr = true;
        }
        if (text.find("rollout undo deployment/checkout") != std::string::npos) {
            CHECK(std::string(action["approved_by"].GetString()) == "oncall-bob");
            rollback = true;
        }
    }
    CHECK(failed_pr);
    CHECK(rollback);
}
