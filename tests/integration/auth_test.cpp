// Identity and access through a real host: API keys and their scopes on
// every endpoint class, tenants (another tenant's objects are 404), the
// approver recorded from the key, key management over REST and offline with
// agentctl, CORS, rate limits, and the refusal to listen beyond loopback
// without auth.
#include "jwt_factory.hpp"
#include "test_host.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

using namespace agenthost::testing;
using namespace std::chrono_literals;
using Catch::Matchers::Contains;

namespace {

// At least 32 characters, as the host demands; set before the host starts.
const std::string kAdminKey = "test-admin-key-0123456789abcdefghijklmnop";

std::vector<std::string> bearer(const std::string& key) { return {"Authorization: Bearer " + key}; }

HostProcess& auth_host() {
    static HostProcess* instance = [] {
        setenv("AGENTHOST_ADMIN_KEY", kAdminKey.c_str(), 1);
        auto* host = new HostProcess(
            host_config(R"({"echo":{"enabled":true}})", R"("auth":{"mode":"required","key_cache_seconds":30})"));
        unsetenv("AGENTHOST_ADMIN_KEY");
        return host;
    }();
    return *instance;
}

struct Key {
    std::string id;
    std::string key;
};

Key create_key(HttpClient& client, const std::string& body) {
    auto result = client.post("/admin/keys", body, bearer(kAdminKey));
    INFO(result.body);
    REQUIRE(result.status == 201);
    auto json = json_of(result);
    return {json["id"].GetString(), json["key"].GetString()};
}

// The keys every test here uses, made once through the admin key.
struct Keys {
    Key reader, invoker, canceller, approver, other_tenant, revoked, expiring, admin, admin_only;
};

Keys& keys() {
    static Keys* made = [] {
        HttpClient client(auth_host().base_url());
        auto* k = new Keys;
        k->reader = create_key(client, R"({"name":"reader","scopes":["read"],"tenant":"acme"})");
        k->invoker = create_key(client, R"({"name":"invoker","scopes":["invoke","read"],"tenant":"acme"})");
        k->canceller = create_key(client, R"({"name":"canceller","scopes":["cancel","read"],"tenant":"acme"})");
        k->approver = create_key(client, R"({"name":"approver-key","scopes":["approve","read"],"tenant":"acme"})");
        k->other_tenant = create_key(
            client, R"({"name":"globex-all","scopes":["read","invoke","cancel","approve"],"tenant":"globex"})");
        k->revoked = create_key(
            client, R"({"name":"revoked","scopes":["read","invoke","cancel","approve","admin"],"tenant":"acme"})");
        k->expiring = create_key(
            client,
            R"({"name":"expiring","scopes":["read","invoke","cancel","approve","admin"],"tenant":"acme","expires_in":"1s"})");
        k->admin = create_key(client, R"({"name":"ops-admin","scopes":["admin","read","invoke","cancel","approve"]})");
        k->admin_only = create_key(client, R"({"name":"keys-only","scopes":["admin"]})");
        auto revoked = client.request("DELETE", "/admin/keys/" + k->revoked.id, "", bearer(kAdminKey));
        REQUIRE(revoked.status == 200);
        std::this_thread::sleep_for(1100ms);  // `expiring` is past its expiry from here on
        return k;
    }();
    return *made;
}

// A run of tenant acme waiting for approval, on a thread of its own.
struct Waiting {
    std::string run_id;
    std::string thread_id;
};

Waiting waiting_run(HttpClient& client, const std::string& thread_id) {
    auto result = client.post("/runs",
                              R"({"agent_name":"echo","task":"t","thread_id":")" + thread_id +
                                  R"(","require_approval":true})",
                              bearer(keys().invoker.key));
    INFO(result.body);
    REQUIRE(result.status == 202);
    return {json_of(result)["run_id"].GetString(), thread_id};
}

std::string fresh_thread(const std::string& prefix) {
    static int counter = 0;
    return prefix + "-" + std::to_string(getpid()) + "-" + std::to_string(++counter);
}

// One endpoint class: the call, made with the given extra headers.
struct EndpointClass {
    const char* name;
    const char* scope;
    std::function<HttpResult(HttpClient&, const std::vector<std::string>&)> call;
    int ok_status;
};

std::vector<EndpointClass> endpoint_classes(HttpClient& setup) {
    Waiting read_target = waiting_run(setup, fresh_thread("read"));
    return {
        {"read", "read",
         [read_target](HttpClient& c, const std::vector<std::string>& h) { return c.get("/runs/" + read_target.run_id, h); },
         200},
        {"invoke", "invoke",
         [](HttpClient& c, const std::vector<std::string>& h) {
             return c.post("/runs", R"({"agent_name":"echo","task":"t"})", h);
         },
         202},
        {"cancel", "cancel",
         [&setup](HttpClient& c, const std::vector<std::string>& h) {
             Waiting target = waiting_run(setup, fresh_thread("cancel"));
             return c.post("/runs/" + target.run_id + "/cancel", "", h);
         },
         200},
        {"approve", "approve",
         [&setup](HttpClient& c, const std::vector<std::string>& h) {
             Waiting target = waiting_run(setup, fresh_thread("approve"));
             return c.post("/workflow/approve/" + target.thread_id, R"({"approved":true})", h);
         },
         200},
        {"admin", "admin", [](HttpClient& c, const std::vector<std::string>& h) { return c.get("/admin/keys", h); }, 200},
    };
}

std::string message_of(const HttpResult& result) {
    rapidjson::Document body;
    body.Parse(result.body.c_str());
    return body.IsObject() && body.HasMember("message") && body["message"].IsString() ? body["message"].GetString() : "";
}

}  // namespace

TEST_CASE("every endpoint class refuses missing, malformed, unknown, revoked and expired credentials", "[auth]") {
    HttpClient client(auth_host().base_url());
    Keys& k = keys();
    std::string unknown = "ah_0123456789abcdef_" + std::string(43, 'A');
    for (const auto& endpoint : endpoint_classes(client)) {
        SECTION(std::string("class ") + endpoint.name) {
            struct Case {
                const char* what;
                std::vector<std::string> headers;
                const char* says;
            };
            std::vector<Case> cases = {
                {"none", {}, "missing credential"},
                {"malformed bearer", {"Authorization: Basic dXNlcjpwYXNz"}, "malformed credential"},
                {"malformed key", bearer("ah_short_key"), "malformed API key"},
                {"garbage", {"X-API-Key: not-a-key"}, "malformed credential"},
                {"unknown", bearer(unknown), "unknown API key"},
                {"wrong secret", bearer(k.reader.key.substr(0, k.reader.key.size() - 4) + "AAAA"), "unknown API key"},
                {"revoked", bearer(k.revoked.key), "is revoked"},
                {"expired", {"X-API-Key: " + k.expiring.key}, "expired at"},
            };
            for (const auto& c : cases) {
                INFO(endpoint.name << " with " << c.what);
                auto result = endpoint.call(client, c.headers);
                auto body = error_envelope(result, 401, "Unauthenticated");
                CHECK_THAT(message_of(result), Contains(c.says));
                CHECK(result.header("www-authenticate") == "Bearer");
                // The secret is never echoed.
                for (const auto* key : {&k.reader.key, &k.revoked.key, &k.expiring.key})
                    CHECK(result.body.find(key->substr(20)) == std::string::npos);
            }
        }
    }
}

TEST_CASE("a key lacking the scope gets 403 naming it; the right scope and admin succeed", "[auth]") {
    HttpClient client(auth_host().base_url());
    Keys& k = keys();
    std::map<std::string, const Key*> holder = {{"read", &k.reader},       {"invoke", &k.invoker},
                                                {"cancel", &k.canceller}, {"approve", &k.approver},
                                                {"admin", &k.admin}};
    for (const auto& endpoint : endpoint_classes(client)) {
        INFO("class " << endpoint.name);
        // Each key below has every scope but the one the class needs.
        const Key& lacking = std::string(endpoint.scope) == "read" ? k.admin_only : k.reader;
        auto refused = endpoint.call(client, bearer(lacking.key));
        error_envelope(refused, 403, "Forbidden");
        CHECK_THAT(message_of(refused), Contains(std::string("needs the '") + endpoint.scope + "' scope"));
        auto allowed = endpoint.call(client, bearer(holder[endpoint.scope]->key));
        INFO(allowed.body);
        CHECK(allowed.status == endpoint.ok_status);
        auto as_admin = endpoint.call(client, bearer(k.admin.key));
        INFO(as_admin.body);
        CHECK(as_admin.status == endpoint.ok_status);
        auto as_env_admin = endpoint.call(client, {"X-API-Key: " + kAdminKey});
        CHECK(as_env_admin.status == endpoint.ok_status);
    }
}

TEST_CASE("/health and /ready stay open; unknown paths need a credential", "[auth]") {
    HttpClient client(auth_host().base_url());
    CHECK(client.get("/health").status == 200);
    CHECK(client.get("/ready").status == 200);
    error_envelope(client.get("/no/such/path"), 401, "Unauthenticated");
    error_envelope(client.get("/no/such/path", bearer(keys().reader.key)), 404, "NotFound");
    // Hanging up on a stream to cancel the run needs the cancel scope too.
    Waiting streamed = waiting_run(client, fresh_thread("stream-cancel"));
    auto refused = error_envelope(
        client.get("/runs/" + streamed.run_id + "/stream?on_disconnect=cancel", bearer(keys().reader.key)), 403,
        "Forbidden");
    CHECK_THAT(std::string(refused["message"].GetString()), Contains("'cancel' scope"));
    // Path tricks do not dodge the approve rule.
    Waiting target = waiting_run(client, fresh_thread("tricks"));
    error_envelope(client.post("/workflow//approve/" + target.thread_id, R"({"approved":true})", bearer(keys().invoker.key)),
                   403, "Forbidden");
    error_envelope(client.post("/runs/" + target.run_id + "/%63ancel", "", bearer(keys().invoker.key)), 403,
                   "Forbidden");
}

TEST_CASE("another tenant's runs, threads and approvals answer 404 exactly as missing ones", "[auth][tenant]") {
    HttpClient client(auth_host().base_url());
    Keys& k = keys();
    Waiting acme = waiting_run(client, fresh_thread("tenant"));
    auto other = bearer(k.other_tenant.key);
    auto missing_run = client.get("/runs/00000000-0000-0000-0000-000000000000", other);
    auto hidden_run = client.get("/runs/" + acme.run_id, other);
    error_envelope(hidden_run, 404, "RunNotFound");
    CHECK(json_of(hidden_run)["error"] == json_of(missing_run)["error"]);
    error_envelope(client.get("/runs/" + acme.run_id + "/events", other), 404, "RunNotFound");
    error_envelope(client.get("/runs/" + acme.run_id + "/audit", other), 404, "RunNotFound");
    error_envelope(client.get("/runs/" + acme.run_id + "/stream", other), 404, "RunNotFound");
    error_envelope(client.post("/runs/" + acme.run_id + "/cancel", "", other), 404, "RunNotFound");
    error_envelope(client.get("/threads/" + acme.thread_id, other), 404, "ThreadNotFound");
    error_envelope(client.get("/workflow/status/" + acme.thread_id, other), 404, "ThreadNotFound");
    error_envelope(client.post("/workflow/approve/" + acme.thread_id, R"({"approved":true})", other), 404,
                   "ThreadNotFound");
    // Joining the other tenant's thread is refused the same way.
    error_envelope(client.post("/runs", R"({"agent_name":"echo","task":"t","thread_id":")" + acme.thread_id + "\"}", other),
                   404, "ThreadNotFound");
    // Listings hold only the caller's runs.
    auto listed = json_of(client.get("/runs?limit=500", other));
    for (const auto& run : listed["runs"].GetArray()) CHECK(std::string(run["run_id"].GetString()) != acme.run_id);
    bool acme_sees = false;
    auto own = json_of(client.get("/runs?limit=500", bearer(k.reader.key)));
    for (const auto& run : own["runs"].GetArray())
        acme_sees = acme_sees || std::string(run["run_id"].GetString()) == acme.run_id;
    CHECK(acme_sees);
    // The run is untouched, and its own tenant and admin still see it.
    CHECK(client.get("/runs/" + acme.run_id, bearer(k.reader.key)).status == 200);
    auto seen = client.get("/runs/" + acme.run_id, bearer(k.admin.key));
    CHECK(seen.status == 200);
    CHECK(string_member(json_of(seen), "status") == "pending_approval");
    // Processing requests too.
    auto processed = client.post("/api/v1/process", R"({"text":"A sentence long enough to process.","agents":["echo"]})",
                                 bearer(k.invoker.key));
    REQUIRE(processed.status == 202);
    std::string request_id = string_member(json_of(processed), "request_id");
    error_envelope(client.get("/api/v1/results/" + request_id, other), 404, "RequestNotFound");
    CHECK(client.get("/api/v1/results/" + request_id, bearer(k.reader.key)).status == 200);
    // Workflows, and the webhook logs of a run.
    auto orchestrated = client.post("/workflows", R"({"task":"t","steps":[{"id":"a","agent":"echo"}]})",
                                    bearer(k.invoker.key));
    INFO(orchestrated.body);
    REQUIRE(orchestrated.status == 202);
    std::string workflow_id = string_member(json_of(orchestrated), "id");
    error_envelope(client.get("/workflows/" + workflow_id, other), 404, "WorkflowNotFound");
    CHECK(client.get("/workflows/" + workflow_id, bearer(k.reader.key)).status == 200);
    error_envelope(client.get("/api/v1/webhook-logs/" + acme.run_id, other), 404, "WebhookNotFound");
    error_envelope(client.post("/api/v1/webhook/retry/" + acme.run_id, "", other), 404, "WebhookNotFound");
}

TEST_CASE("the approver recorded is the key's name, whatever the body claims", "[auth][approval]") {
    HttpClient client(auth_host().base_url());
    Waiting target = waiting_run(client, fresh_thread("approver"));
    auto decided = client.post("/workflow/approve/" + target.thread_id,
                               R"({"approved":true,"approver":"mallory","comment":"ship it"})",
                               {"Authorization: Bearer " + keys().approver.key, "X-Approver: eve"});
    INFO(decided.body);
    REQUIRE(decided.status == 200);
    CHECK(string_member(json_of(decided), "approver") == "approver-key");
    auto audit = json_of(client.get("/runs/" + target.run_id + "/audit", bearer(keys().reader.key)));
    bool found = false;
    for (const auto& entry : audit["entries"].GetArray()) {
        if (std::string(entry["action"].GetString()) != "approval.granted") continue;
        found = true;
        CHECK(std::string(entry["actor"].GetString()) == "approver-key");
        CHECK_THAT(std::string(entry["detail"].GetString()), Contains("mallory"));
    }
    CHECK(found);
    auto status = json_of(client.get("/workflow/status/" + target.thread_id, bearer(keys().reader.key)));
    REQUIRE(status["approval_history"].Size() >= 1);
    CHECK(std::string(status["approval_history"][0]["actor"].GetString()) == "approver-key");

    // A cancel is audited with its principal too.
    Waiting cancelled = waiting_run(client, fresh_thread("cancel-audit"));
    REQUIRE(client.post("/runs/" + cancelled.run_id + "/cancel", "", bearer(keys().canceller.key)).status == 200);
    auto trail = json_of(client.get("/runs/" + cancelled.run_id + "/audit", bearer(keys().reader.key)));
    bool cancel_found = false;
    for (const auto& entry : trail["entries"].GetArray())
        if (std::string(entry["action"].GetString()).find("cancel") != std::string::npos)
            cancel_found = std::string(entry["actor"].GetString()) == "canceller";
    CHECK(cancel_found);
}

TEST_CASE("keys over REST: listed without secrets, revoked at once, validated", "[auth][keys]") {
    HttpClient client(auth_host().base_url());
    Key made = create_key(client, R"({"name":"short-lived","scopes":["read"],"tenant":"acme"})");
    CHECK(made.key.rfind("ah_" + made.id + "_", 0) == 0);
    CHECK(client.get("/runs", bearer(made.key)).status == 200);  // now cached
    auto listed = client.get("/admin/keys", bearer(kAdminKey));
    REQUIRE(listed.status == 200);
    CHECK(listed.body.find(made.key.substr(20)) == std::string::npos);
    CHECK_THAT(listed.body, Contains("\"short-lived\""));
    auto revoked = client.request("DELETE", "/admin/keys/" + made.id, "", bearer(kAdminKey));
    REQUIRE(revoked.status == 200);
    CHECK(string_member(json_of(revoked), "revoked_at") != "");
    auto refused = client.get("/runs", bearer(made.key));
    error_envelope(refused, 401, "Unauthenticated");
    CHECK_THAT(message_of(refused), Contains("is revoked"));
    error_envelope(client.request("DELETE", "/admin/keys/ffffffffffffffff", "", bearer(kAdminKey)), 404, "KeyNotFound");
    error_envelope(client.post("/admin/keys", R"({"name":"x","scopes":["root"]})", bearer(kAdminKey)), 422,
                   "ValidationError");
    error_envelope(client.post("/admin/keys", R"({"name":"x","scopes":["read"]})", bearer(keys().reader.key)), 403,
                   "Forbidden");
}

TEST_CASE("agentctl makes the first admin key offline; the host accepts it", "[auth][keys]") {
    std::string dir = make_temp_dir();
    std::string agentctl = std::filesystem::path(host_binary()).parent_path().string() + "/agentctl";
    std::string command = agentctl + " keys create --data-dir " + dir + "/data --name bootstrap --scopes admin,read 2>&1";
    std::filesystem::create_directories(dir + "/data");
    FILE* pipe = popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::string output;
    char buffer[4096];
    while (size_t got = std::fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, got);
    REQUIRE(pclose(pipe) == 0);
    rapidjson::Document created;
    created.Parse(output.c_str());
    INFO(output);
    REQUIRE(created.IsObject());
    std::string key = created["key"].GetString();

    HostProcess host(host_config(R"({"echo":{"enabled":true}})", R"("auth":{"mode":"required"})"),
                     {"--data-dir", dir + "/data"});
    HttpClient client(host.base_url());
    error_envelope(client.get("/runs"), 401, "Unauthenticated");
    CHECK(client.get("/runs", bearer(key)).status == 200);
    auto listed = json_of(client.get("/admin/keys", bearer(key)));
    REQUIRE(listed["keys"].Size() == 1);
    CHECK(std::string(listed["keys"][0]["name"].GetString()) == "bootstrap");
    host.stop();

    // Listed and revoked offline too; the audit log names agentctl.
    std::string id = created["id"].GetString();
    pipe = popen((agentctl + " keys revoke " + id + " --data-dir " + dir + "/data 2>&1").c_str(), "r");
    output.clear();
    while (size_t got = std::fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, got);
    CHECK(pclose(pipe) == 0);
    CHECK_THAT(output, Contains("\"status\":\"revoked\""));
    pipe = popen((agentctl + " keys list --data-dir " + dir + "/data 2>&1").c_str(), "r");
    output.clear();
    while (size_t got = std::fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, got);
    CHECK(pclose(pipe) == 0);
    rapidjson::Document keys_now;
    keys_now.Parse(output.c_str());
    INFO(output);
    REQUIRE(keys_now.IsObject());
    CHECK(keys_now["keys"][0]["revoked_at"].IsString());
    CHECK(output.find(key.substr(20)) == std::string::npos);
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
}

TEST_CASE("without auth the host refuses a non-loopback address unless --insecure-no-auth", "[auth]") {
    std::string config = host_config(R"({"echo":{"enabled":true}})");
    auto refused = run_host_to_exit(config, {"--host", "0.0.0.0"}, 10000ms);
    REQUIRE(refused.exited);
    CHECK(refused.exit_code == 2);
    CHECK_THAT(refused.output, Contains("refusing to listen on 0.0.0.0 without authentication"));
    CHECK_THAT(refused.output, Contains("--insecure-no-auth"));

    HostProcess insecure(config, {"--host", "0.0.0.0", "--insecure-no-auth"});
    HttpClient client(insecure.base_url());
    CHECK(client.get("/runs").status == 200);
    CHECK_THAT(insecure.log(), Contains("authentication is off on a non-loopback address"));

    // With auth required the same address is fine.
    HostProcess guarded(host_config(R"({"echo":{"enabled":true}})", R"("auth":{"mode":"required"})"),
                        {"--host", "0.0.0.0"});
    HttpClient guarded_client(guarded.base_url());
    error_envelope(guarded_client.get("/runs"), 401, "Unauthenticated");
    // With no key at all it says how to make the first one.
    CHECK(poll_until([&] { return guarded.log().find("no API key exists") != std::string::npos; }, 5000ms));
}

TEST_CASE("CORS: preflights for allowed origins, the origin echoed only when allowed", "[auth][cors]") {
    setenv("CORS_ORIGINS", R"(["http://app.example", "http://127.0.0.1:5173"])", 1);
    HostProcess host(host_config(R"({"echo":{"enabled":true}})"));
    unsetenv("CORS_ORIGINS");
    HttpClient client(host.base_url());
    auto preflight = client.request("OPTIONS", "/runs", "",
                                    {"Origin: http://app.example", "Access-Control-Request-Method: POST",
                                     "Access-Control-Request-Headers: content-type, x-custom"});
    CHECK(preflight.status == 204);
    CHECK(preflight.header("access-control-allow-origin") == "http://app.example");
    CHECK_THAT(preflight.header("access-control-allow-methods"), Contains("POST"));
    CHECK_THAT(preflight.header("access-control-allow-headers"), Contains("Authorization"));

    auto refused = client.request("OPTIONS", "/runs", "",
                                  {"Origin: http://evil.example", "Access-Control-Request-Method: POST"});
    CHECK(refused.header("access-control-allow-origin").empty());

    auto allowed = client.post("/runs", R"({"agent_name":"echo","task":"t"})", {"Origin: http://127.0.0.1:5173"});
    CHECK(allowed.status == 202);
    CHECK(allowed.header("access-control-allow-origin") == "http://127.0.0.1:5173");
    CHECK_THAT(allowed.header("access-control-expose-headers"), Contains("X-Request-ID"));
    CHECK_THAT(allowed.header("access-control-expose-headers"), Contains("Location"));
    CHECK_THAT(allowed.header("access-control-expose-headers"), Contains("RateLimit-Remaining"));
    // Errors carry the headers too, so a page can read them.
    auto missing = client.get("/runs/nope", {"Origin: http://app.example"});
    CHECK(missing.status == 404);
    CHECK(missing.header("access-control-allow-origin") == "http://app.example");
    auto other = client.get("/runs", {"Origin: http://evil.example"});
    CHECK(other.status == 200);
    CHECK(other.header("access-control-allow-origin").empty());
    // Server-Sent Events streams carry them as well.
    std::string run_id = string_member(json_of(allowed), "run_id");
    REQUIRE(poll_until([&] { return run_status_of(client, run_id) == "succeeded"; }, 15000ms));
    auto stream = client.get("/runs/" + run_id + "/stream", {"Origin: http://app.example"});
    CHECK(stream.status == 200);
    CHECK(stream.header("access-control-allow-origin") == "http://app.example");

    // A host without CORS configured sends no CORS headers at all.
    HostProcess plain(host_config(R"({"echo":{"enabled":true}})"));
    HttpClient plain_client(plain.base_url());
    auto none = plain_client.get("/runs", {"Origin: http://app.example"});
    CHECK(none.header("access-control-allow-origin").empty());
    CHECK(none.header("access-control-expose-headers").empty());
    CHECK(plain_client.request("OPTIONS", "/runs", "", {"Origin: http://app.example", "Access-Control-Request-Method: POST"})
              .header("access-control-allow-origin")
              .empty());
}

TEST_CASE("rate limits: a burst over the limit gets 429 with the headers, then calls succeed again", "[auth][ratelimit]") {
    HostProcess host(host_config(R"({"echo":{"enabled":true}})",
                                 R"("rate_limits":{"rate_per_second":100,"burst":100,)"
                                 // A token per 2 s: the burst of five is over well before one comes back,
                                 // however slow the machine (or a sanitizer build).
                                 R"("classes":{"invoke":{"rate_per_second":0.5,"burst":3}}})"));
    HttpClient client(host.base_url());
    std::vector<HttpResult> results;
    for (int i = 0; i < 5; ++i) results.push_back(client.post("/runs", R"({"agent_name":"echo","task":"t"})"));
    CHECK(results[0].status == 202);
    CHECK(results[0].header("ratelimit-limit") == "3");
    CHECK(results[0].header("ratelimit-remaining") == "2");
    CHECK(results[2].status == 202);
    CHECK(results[2].header("ratelimit-remaining") == "0");
    auto& limited = results[3];
    error_envelope(limited, 429, "RateLimited");
    // Whole seconds until the next token: 2 right after the burst, 1 if the
    // burst itself took over a second.
    CHECK((limited.header("retry-after") == "2" || limited.header("retry-after") == "1"));
    CHECK(limited.header("ratelimit-limit") == "3");
    CHECK(limited.header("ratelimit-remaining") == "0");
    CHECK_FALSE(limited.header("ratelimit-reset").empty());
    // Reads have their own, larger bucket.
    auto read = client.get("/runs");
    CHECK(read.status == 200);
    CHECK(read.header("ratelimit-limit") == "100");
    std::this_thread::sleep_for(std::chrono::milliseconds(std::stoi(limited.header("retry-after")) * 1000 + 50));
    // Refused calls take no token, so a call soon succeeds again (polled:
    // on a loaded machine the bucket's clock and the test's may differ by
    // a scheduling delay).
    CHECK(poll_until([&] { return client.post("/runs", R"({"agent_name":"echo","task":"t"})").status == 202; }, 5000ms,
                     200ms));
}

TEST_CASE("with auth off nothing changes: no key needed, no auth headers", "[auth]") {
    HostProcess host(host_config(R"({"echo":{"enabled":true}})"));
    HttpClient client(host.base_url());
    auto created = client.post("/runs", R"({"agent_name":"echo","task":"t"})");
    CHECK(created.status == 202);
    CHECK(created.header("ratelimit-limit").empty());
    CHECK(client.get("/admin/keys").status == 200);
}

TEST_CASE("JWTs: HS256 and RS256 tokens act as their subject and tenant; bad ones get 401 saying why",
          "[auth][jwt]") {
    SigningKey rsa = rsa_key("k1");
    std::string dir = make_temp_dir();
    std::string jwks = dir + "/jwks.json";
    std::ofstream(jwks) << R"({"keys":[)" + rsa.jwk + "]}";
    const std::string secret = "jwt-shared-secret-for-the-tests";
    HostProcess host(host_config(R"({"echo":{"enabled":true}})",
                                 R"("auth":{"mode":"required","jwt":{"hs256_secret":")" + secret +
                                     R"(","jwks_file":")" + jwks +
                                     R"(","issuer":"https://idp.example","audience":"agenthost",)"
                                     R"("tenant_claim":"org_id","scope_map":{"authenticated":"read,invoke,approve"}}})"));
    HttpClient client(host.base_url());
    auto claims = [](const std::string& sub, const std::string& org, long long exp_offset) {
        return R"({"sub":")" + sub + R"(","org_id":")" + org +
               R"(","role":"authenticated","iss":"https://idp.example","aud":"agenthost","exp":)" +
               std::to_string(epoch_seconds() + exp_offset) + "}";
    };
    std::string alice = sign_jwt(JWT_ALG_HS256, secret, claims("alice", "acme", 600));
    std::string bob = sign_jwt(JWT_ALG_RS256, rsa.private_pem, claims("bob", "globex", 600), "k1");

    auto created = client.post("/runs", R"({"agent_name":"echo","task":"t","require_approval":true})", bearer(alice));
    INFO(created.body);
    REQUIRE(created.status == 202);
    std::string run_id = string_member(json_of(created), "run_id");
    std::string thread_id = string_member(json_of(created), "thread_id");
    CHECK(client.get("/runs/" + run_id, bearer(alice)).status == 200);
    error_envelope(client.get("/runs/" + run_id, bearer(bob)), 404, "RunNotFound");
    error_envelope(client.get("/admin/keys", bearer(bob)), 403, "Forbidden");

    auto decided = client.post("/workflow/approve/" + thread_id, R"({"approved":true,"approver":"someone-else"})",
                               bearer(alice));
    REQUIRE(decided.status == 200);
    CHECK(string_member(json_of(decided), "approver") == "alice");

    struct Bad {
        std::string token;
        const char* says;
    };
    std::vector<Bad> bad = {
        {sign_jwt(JWT_ALG_HS256, secret, claims("alice", "acme", -600)), "expired"},
        {sign_jwt(JWT_ALG_HS256, "not-the-secret-at-all-no-no-no", claims("alice", "acme", 600)), "bad signature"},
        {unsigned_jwt(claims("alice", "acme", 600)), "alg none"},
        {sign_jwt(JWT_ALG_RS256, rsa.private_pem, claims("bob", "globex", 600), "k2"), "not in the JWKS"},
        {sign_jwt(JWT_ALG_HS512, secret, claims("alice", "acme", 600)), "unexpected algorithm"},
        {sign_jwt(JWT_ALG_HS256, secret,
                  R"({"sub":"a","iss":"https://other.example","aud":"agenthost","exp":)" +
                      std::to_string(epoch_seconds() + 600) + "}"),
         "wrong issuer"},
        {sign_jwt(JWT_ALG_HS256, secret,
                  R"({"sub":"a","iss":"https://idp.example","aud":"elsewhere","exp":)" +
                      std::to_string(epoch_seconds() + 600) + "}"),
         "wrong audience"},
        {sign_jwt(JWT_ALG_HS256, secret,
                  R"({"sub":"a","iss":"https://idp.example","aud":"agenthost","exp":)" +
                      std::to_string(epoch_seconds() + 600) + R"(,"nbf":)" + std::to_string(epoch_seconds() + 600) +
                      "}"),
         "not valid yet"},
    };
    for (const auto& b : bad) {
        INFO(b.says);
        auto refused = client.get("/runs", bearer(b.token));
        error_envelope(refused, 401, "Unauthenticated");
        CHECK_THAT(message_of(refused), Contains(b.says));
        CHECK(refused.body.find(b.token) == std::string::npos);
    }
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
}

namespace {


}  // namespace

TEST_CASE("CORS in headless Chromium: an allowed origin's fetch succeeds after a preflight, another's fails",
          "[auth][cors][browser]") {
    const char* chromium = "/usr/bin/chromium";
    REQUIRE(std::filesystem::exists(chromium));  // tools/install-deps installs it
    int allowed_port = free_port();
    int refused_port = free_port();
    while (refused_port == allowed_port) refused_port = free_port();
    setenv("CORS_ORIGINS", ("http://127.0.0.1:" + std::to_string(allowed_port)).c_str(), 1);
    HostProcess host(host_config(R"({"echo":{"enabled":true}})"));
    unsetenv("CORS_ORIGINS");
    std::string script = std::string(AGENTHOST_SOURCE_DIR) + "/tests/browser/cors_check.mjs";
    std::string args = " " + script + " " + chromium + " " + host.base_url() + " " + std::to_string(allowed_port) +
                       " " + std::to_string(refused_port) + " 2>&1";
    int status = 0;
    // Node 20 has WebSocket behind a flag; later versions have it built in.
    std::string output = run_command("node --experimental-websocket" + args, status);
    if (status == 9) output = run_command("node" + args, status);
    INFO(output);
    REQUIRE(status == 0);
    rapidjson::Document seen;
    seen.Parse(output.c_str());
    REQUIRE(seen.IsObject());
    const auto& allowed = seen["allowed"];
    CHECK(allowed.HasMember("status"));
    if (allowed.HasMember("status")) CHECK(allowed["status"].GetInt() == 202);
    CHECK(string_member(allowed, "requestId") == "browser-check-1");  // an exposed header
    CHECK_THAT(string_member(seen["refused"], "error"), Contains("Failed to fetch"));
    // The preflight reached the host and was answered (the log is written
    // asynchronously, so it may take a moment to show).
    CHECK(poll_until([&] { return host.log().find("\"method\":\"OPTIONS\"") != std::string::npos; }, 5000ms));
}
