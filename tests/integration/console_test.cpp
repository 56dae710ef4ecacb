// The web console (GET /console): its files as served (types, CSP, caching,
// errors, open without a key), and the console itself in headless Chromium
// against a real host, with auth off and on (tests/browser/console_check.mjs
// drives it; screenshots land in the build folder's console-screenshots/).
#include "test_host.hpp"

#include <cstdlib>
#include <filesystem>
#include <set>

using namespace agenthost::testing;
using Catch::Matchers::Contains;

namespace {

const std::string kAdminKey = "console-admin-key-0123456789abcdefghijklmn";

// echo (chatter, approvals), sentiment (the invoke form), kubernetes_agent
// (artifacts) and abi_major, enabled but built for another ABI: the failed
// plugin the console shows.
const char* const kAgents = R"({"echo":{"enabled":true},"sentiment":{"enabled":true},)"
                            R"("kubernetes_agent":{"enabled":true},"abi_major":{"enabled":true}})";

// Webhooks to the test's loopback receiver, retried once after 50 ms.
HostProcess& open_host() {
    static HostProcess host(host_config(kAgents, R"("webhooks":{"max_retries":1,"timeout_seconds":2,)"
                                                 R"("retry_base_ms":50,"allowed_hosts":["127.0.0.1"]})"),
                            {"--workers", "4"});
    return host;
}

HostProcess& auth_host() {
    static HostProcess* instance = [] {
        setenv("AGENTHOST_ADMIN_KEY", kAdminKey.c_str(), 1);
        auto* host = new HostProcess(host_config(R"({"echo":{"enabled":true}})", R"("auth":{"mode":"required"})"));
        unsetenv("AGENTHOST_ADMIN_KEY");
        return host;
    }();
    return *instance;
}

std::string npm_dir() { return std::string(AGENTHOST_SOURCE_DIR) + "/tools/npm"; }

std::string screenshot_dir() {
    std::string dir = std::string(AGENTHOST_BINARY_DIR) + "/console-screenshots";
    std::filesystem::create_directories(dir);
    return dir;
}

// Runs console_check.mjs in `mode` and returns what it saw.
rapidjson::Document browse(const HostProcess& host, const std::string& mode) {
    int status = 0;
    std::string output = run_command("node " + std::string(AGENTHOST_SOURCE_DIR) + "/tests/browser/console_check.mjs " +
                                         npm_dir() + " /usr/bin/chromium " + host.base_url() + " " + screenshot_dir() +
                                         " " + mode + " 2>&1",
                                     status);
    INFO(output);
    REQUIRE(status == 0);
    rapidjson::Document seen;
    seen.Parse(output.c_str());
    REQUIRE_FALSE(seen.HasParseError());
    REQUIRE(seen.IsObject());
    return seen;
}

std::vector<std::string> strings(const rapidjson::Value& array) {
    std::vector<std::string> out;
    for (const auto& item : array.GetArray()) out.emplace_back(item.GetString());
    return out;
}

std::string serialized(const rapidjson::Value& value) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    value.Accept(writer);
    return buffer.GetString();
}

}  // namespace

TEST_CASE("GET /console serves the page with a CSP that allows no inline script, and its files") {
    HttpClient client(open_host().base_url());
    auto page = client.get("/console");
    REQUIRE(page.status == 200);
    CHECK(page.header("content-type") == "text/html; charset=utf-8");
    std::string policy = page.header("content-security-policy");
    CHECK_THAT(policy, Contains("default-src 'self'") && Contains("script-src 'self';") && Contains("connect-src 'self'") &&
                           Contains("frame-ancestors 'none'") && !Contains("unsafe-inline") && !Contains("unsafe-eval"));
    // No inline script, no other origin: the files it names are relative.
    CHECK_THAT(page.body, Contains(R"(<script src="console/console.js"></script>)"));
    CHECK_THAT(page.body, !Contains("<script>") && !Contains("http:") && !Contains("https:") && !Contains("//"));

    auto script = client.get("/console/console.js");
    REQUIRE(script.status == 200);
    CHECK(script.header("content-type") == "text/javascript; charset=utf-8");
    CHECK(script.header("x-content-type-options") == "nosniff");
    CHECK(script.body.size() > 10000);
    CHECK_THAT(script.body, !Contains("https://") && !Contains("sourceMappingURL"));
    auto style = client.get("/console/console.css");
    REQUIRE(style.status == 200);
    CHECK(style.header("content-type") == "text/css; charset=utf-8");
}

TEST_CASE("the console's files are revalidated by ETag: 304 while unchanged") {
    HttpClient client(open_host().base_url());
    for (const char* path : {"/console", "/console/console.js", "/console/console.css"}) {
        INFO(path);
        auto first = client.get(path);
        REQUIRE(first.status == 200);
        CHECK(first.header("cache-control") == "no-cache");
        std::string etag = first.header("etag");
        REQUIRE(etag.size() == 34);
        auto again = client.get(path, {"If-None-Match: " + etag});
        CHECK(again.status == 304);
        CHECK(again.body.empty());
        CHECK(client.get(path, {"If-None-Match: W/" + etag}).status == 304);
        auto other = client.get(path, {"If-None-Match: \"0123456789abcdef0123456789abcdef\""});
        CHECK(other.status == 200);
        CHECK(other.body == first.body);
    }
    // Different files, different tags.
    CHECK(client.get("/console/console.js").header("etag") != client.get("/console/console.css").header("etag"));
}

TEST_CASE("unknown console files are 404 in the envelope, and /console/ is sent to /console") {
    HttpClient client(open_host().base_url());
    error_envelope(client.get("/console/nope.js"), 404, "NotFound");
    // The docs' files and the README are not the console's.
    error_envelope(client.get("/console/swagger-ui-bundle.js"), 404, "NotFound");
    error_envelope(client.get("/console/README.md"), 404, "NotFound");
    error_envelope(client.get("/console/%2e%2e%2fREADME.md"), 404, "NotFound");
    error_envelope(client.get("/console/" + std::string(3000, 'a')), 404, "NotFound");
    // Nor is a console file one of the docs' assets.
    error_envelope(client.get("/docs/assets/console.js"), 404, "NotFound");
    auto slash = client.get("/console/");
    CHECK(slash.status == 308);
    CHECK(slash.header("location") == "../console");
    CHECK(client.post("/console", "{}").status == 405);
}

TEST_CASE("with auth on, the console's files load without a key; the API still needs one") {
    HttpClient client(auth_host().base_url());
    CHECK(client.get("/console").status == 200);
    CHECK(client.get("/console/console.js").status == 200);
    CHECK(client.get("/console/console.css").status == 200);
    error_envelope(client.get("/agents"), 401, "Unauthenticated");
}

TEST_CASE("GET /openapi.json documents the console's routes as open") {
    HttpClient client(open_host().base_url());
    auto document = json_of(client.get("/openapi.json"));
    const auto& paths = document["paths"];
    REQUIRE(paths.HasMember("/console"));
    REQUIRE(paths.HasMember("/console/{file}"));
    CHECK_FALSE(paths["/console"]["get"].HasMember("x-undocumented"));
    CHECK(paths["/console"]["get"]["security"].Empty());
    CHECK(paths["/console/{file}"]["get"]["responses"].HasMember("304"));
}

TEST_CASE("in Chromium with auth off: agents, invoke, live events, approvals, artifacts, webhooks, plugins, runs, workflow") {
    rapidjson::Document seen = browse(open_host(), "open");
    INFO(serialized(seen));
    CHECK(seen["errors"].Empty());
    CHECK(seen["external_requests"].Empty());
    CHECK(seen["csp_violations"].Empty());

    // The agents page lists what GET /agents lists.
    REQUIRE(seen.HasMember("agents_listed"));
    CHECK(strings(seen["agents_listed"]) == strings(seen["agents_expected"]));
    CHECK(strings(seen["agents_listed"]) == std::vector<std::string>{"echo", "kubernetes_agent", "sentiment"});

    // The form has sentiment's context.text field; the answer streamed in.
    REQUIRE(seen.HasMember("invoke_result"));
    CHECK(strings(seen["invoke_fields"]) == std::vector<std::string>{"text"});
    CHECK(std::string(seen["invoke_result"]["label"].GetString()) == "positive");
    CHECK(seen["invoke_events"].GetInt() >= 3);
    HttpClient client(open_host().base_url());
    auto invoked = json_of(client.get("/runs/" + std::string(seen["invoke_run_id"].GetString())));
    CHECK(std::string(invoked["agent"].GetString()) == "sentiment");
    CHECK(std::string(invoked["status"].GetString()) == "succeeded");

    // Events arrived over one stream while the run went on, none polled.
    REQUIRE(seen.HasMember("live_final_count"));
    CHECK(seen["live_first_count"].GetInt() < 80);
    CHECK(seen["live_final_count"].GetInt() >= 84);  // queued, started, 80 progress, echoing, succeeded
    CHECK(std::string(seen["live_status_then"].GetString()) == "running");
    CHECK(seen["live_final_count"].GetInt() == seen["live_log_count"].GetInt());
    CHECK(seen["live_stream_requests"].GetInt() == 1);
    CHECK(seen["live_poll_requests"].GetInt() == 0);

    // The approvals page showed what will be done; approving finished the run
    // and recorded the comment.
    REQUIRE(seen.HasMember("approval_page_status"));
    CHECK(std::string(seen["approval_status_before"].GetString()) == "pending_approval");
    CHECK_THAT(seen["approval_shows"].GetString(), Contains("deploys the echo to production") && Contains("deploy"));
    CHECK(std::string(seen["approval_status_after"].GetString()) == "succeeded");
    CHECK_THAT(seen["approval_audit"].GetString(), Contains("approval.granted") && Contains("ok from the console test"));

    // Rejected with a comment from the run's page: it does not succeed.
    REQUIRE(seen.HasMember("rejected_status"));
    CHECK(std::string(seen["rejected_status"].GetString()) != "succeeded");
    CHECK_THAT(seen["rejected_audit"].GetString(), Contains("approval.rejected") && Contains("not today"));

    // A routed run shows the supervisors' path and the candidates' scores.
    REQUIRE(seen.HasMember("routing_candidates"));
    CHECK(std::string(seen["routing_path"].GetString()) == seen["routing_expected_path"].GetString());
    CHECK(std::string(seen["routing_chosen"].GetString()) == "sentiment");
    CHECK(strings(seen["routing_candidates"]).at(0) == "sentiment");

    // Artifacts are listed and download as the agent wrote them.
    REQUIRE(seen.HasMember("artifact_download_matches"));
    CHECK(seen["artifact_count_api"].GetInt() >= 1);
    CHECK(seen["artifact_count_page"].GetInt() == seen["artifact_count_api"].GetInt());
    CHECK(std::string(seen["artifact_download_name"].GetString()) == seen["artifact_expected_name"].GetString());
    CHECK(seen["artifact_download_matches"].GetBool());

    // A failed then retried delivery, each attempt shown; Send again delivers anew.
    REQUIRE(seen.HasMember("webhook_rows_after_retry"));
    CHECK(strings(seen["webhook_attempt_codes"]) == std::vector<std::string>{"500", "200"});
    CHECK(seen["webhook_retry_arrived"].GetBool());
    CHECK(seen["webhook_rows_after_retry"].GetInt() > 2);

    // The failed plugin and why; a loaded one reloads from its page.
    REQUIRE(seen.HasMember("failed_plugin_state"));
    CHECK(std::string(seen["failed_plugin_state"].GetString()) == "failed");
    CHECK_THAT(seen["failed_plugin_reason"].GetString(), Contains("ABI major mismatch") && Contains("libabi_major.so"));
    CHECK_THAT(seen["reload_outcome"].GetString(), Contains("reloaded: version 1.2.3"));

    // Two pages of runs by cursor, no run on both; the status filter.
    REQUIRE(seen.HasMember("runs_second_page"));
    CHECK(seen["runs_first_page"].GetInt() == 25);
    CHECK(seen["runs_second_page"].GetInt() >= 1);
    CHECK(seen["runs_pages_overlap"].GetInt() == 0);
    REQUIRE(seen.HasMember("runs_filtered_statuses"));
    CHECK(strings(seen["runs_filtered_statuses"]) == std::vector<std::string>{"pending_approval"});

    // The workflow's graph: four steps with their states, four arrows.
    REQUIRE(seen.HasMember("workflow_steps"));
    CHECK(std::string(seen["workflow_steps"]["build"].GetString()) == "succeeded");
    CHECK(std::string(seen["workflow_steps"]["test"].GetString()) == "succeeded");
    CHECK(std::string(seen["workflow_steps"]["lint"].GetString()) == "succeeded");
    CHECK(std::string(seen["workflow_steps"]["release"].GetString()) == "pending_approval");
    CHECK(seen["workflow_edges"].GetInt() == 4);

    REQUIRE(seen.HasMember("health_components"));
    std::set<std::string> components;
    for (const auto& name : strings(seen["health_components"])) components.insert(name);
    CHECK(components.count("plugins") == 1);
    CHECK(components.count("database") == 1);

    // Screenshots of the main pages, in the build folder.
    std::set<std::string> shots;
    for (const auto& path : strings(seen["screenshots"])) {
        INFO(path);
        CHECK(std::filesystem::file_size(path) > 5000);
        shots.insert(std::filesystem::path(path).filename().string());
    }
    for (const char* name : {"console-agents.png", "console-invoke.png", "console-run.png", "console-approvals.png",
                             "console-artifacts.png", "console-webhooks.png", "console-plugins.png", "console-runs.png",
                             "console-workflow.png", "console-health.png"})
        CHECK(shots.count(name) == 1);
}

TEST_CASE("in Chromium with auth on: the console asks for a key, keeps it in sessionStorage, never in a URL") {
    rapidjson::Document seen = browse(auth_host(), "auth " + kAdminKey);
    INFO(serialized(seen));
    CHECK(seen["errors"].Empty());
    CHECK(seen["external_requests"].Empty());
    CHECK(seen["csp_violations"].Empty());
    REQUIRE(seen.HasMember("prompted"));
    CHECK_THAT(seen["wrong_key_message"].GetString(), Contains("refused"));
    CHECK(seen["agents_after_key"].GetInt() == 1);
    CHECK(std::string(seen["session_key"].GetString()) == kAdminKey);
    CHECK(seen["local_storage_keys"].Empty());
    CHECK(seen["cookies"].GetInt() == 0);
    // The stream of a run's events, read with the key in a header.
    CHECK(seen["auth_stream_events"].GetInt() >= 5);
    CHECK_FALSE(seen["prompted_after_reload"].GetBool());
    CHECK(seen["urls_with_key"].GetInt() == 0);
    CHECK_THAT(seen["page_url"].GetString(), !Contains(kAdminKey));
    std::vector<std::string> paths = strings(seen["authorized_paths"]);
    for (const char* path : {"/agents", "/agents/echo"}) {
        INFO(path);
        CHECK(std::find(paths.begin(), paths.end(), path) != paths.end());
    }
    bool streamed_with_key = std::any_of(paths.begin(), paths.end(), [](const std::string& path) {
        return path.size() > 7 && path.compare(path.size() - 7, 7, "/stream") == 0;
    });
    CHECK(streamed_with_key);
}
