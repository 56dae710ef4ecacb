// Usage per principal, quotas per tenant and the JWKS URL, through a real
// host on loopback: GET /usage grouped each way and restricted to the
// caller's tenant, `agentctl usage` online and offline, 429 QuotaExceeded,
// and JWT keys fetched from a URL (rotation through a kid miss; a failed
// fetch keeps the cached keys).
#include "jwt_factory.hpp"
#include "loopback_server.hpp"
#include "test_host.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include <sys/wait.h>

using namespace agenthost::testing;
using namespace std::chrono_literals;
using Catch::Matchers::Contains;

namespace {

const std::string kAdminKey = "usage-admin-key-0123456789abcdefghijklmnop";

std::vector<std::string> bearer(const std::string& key) { return {"Authorization: Bearer " + key}; }

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

std::unique_ptr<HostProcess> auth_host(const std::string& extra_auth = "") {
    setenv("AGENTHOST_ADMIN_KEY", kAdminKey.c_str(), 1);
    auto host = std::make_unique<HostProcess>(host_config(R"({"echo":{"enabled":true},"llm_probe":{"enabled":true}})",
                                                          R"("auth":{"mode":"required")" + extra_auth + "}"));
    unsetenv("AGENTHOST_ADMIN_KEY");
    return host;
}

const std::string kEcho = R"({"agent_name":"echo","task":"count me"})";
const std::string kProbe =
    R"({"agent_name":"llm_probe","task":"probe","context":{"mode":"complete","request":)"
    R"({"messages":[{"role":"user","content":"Say hello to the usage report."}]}}})";

void invoke(HttpClient& client, const std::string& body, const std::string& key) {
    auto result = client.post("/agent/invoke", body, bearer(key));
    INFO(result.body);
    REQUIRE(result.status == 200);
}

// The group whose `field` is `value` (key groups: by key_id).
const rapidjson::Value* group(const rapidjson::Document& report, const char* field, const std::string& value) {
    for (const auto& entry : report["groups"].GetArray())
        if (entry.HasMember(field) && value == entry[field].GetString()) return &entry;
    return nullptr;
}

long long runs_of(const rapidjson::Value* entry) { return entry == nullptr ? -1 : entry->operator[]("runs").GetInt64(); }

std::string message_of(const HttpResult& result) { return string_member(json_of(result), "message"); }

std::string today() {
    std::time_t now = std::time(nullptr);
    char text[16];
    std::strftime(text, sizeof text, "%Y-%m-%d", std::gmtime(&now));
    return text;
}

}  // namespace

TEST_CASE("GET /usage: runs, run seconds and tokens by key, tenant, agent and day; a tenant sees its own only",
          "[usage]") {
    auto host = auth_host();
    HttpClient client(host->base_url());
    Key acme_a = create_key(client, R"({"name":"acme-a","scopes":["invoke","read"],"tenant":"acme"})");
    Key acme_b = create_key(client, R"({"name":"acme-b","scopes":["invoke","read"],"tenant":"acme"})");
    Key globex = create_key(client, R"({"name":"globex","scopes":["invoke","read"],"tenant":"globex"})");
    Key no_read = create_key(client, R"({"name":"cancel-only","scopes":["cancel"],"tenant":"acme"})");

    invoke(client, kEcho, acme_a.key);
    invoke(client, kEcho, acme_a.key);
    invoke(client, kProbe, acme_a.key);
    invoke(client, kEcho, acme_b.key);
    invoke(client, kEcho, globex.key);

    // Counted in the transaction that ended each run: there when the
    // synchronous invoke answered.
    auto by_key = client.get("/usage?group_by=key", bearer(kAdminKey));
    INFO(by_key.body);
    REQUIRE(by_key.status == 200);
    auto report = json_of(by_key);
    CHECK(string_member(report, "group_by") == "key");
    CHECK(string_member(report, "to") == today());
    CHECK(string_member(report, "from") == today().substr(0, 8) + "01");
    CHECK(report["groups"].Size() == 3);
    CHECK(runs_of(group(report, "key_id", acme_a.id)) == 3);
    CHECK(runs_of(group(report, "key_id", acme_b.id)) == 1);
    CHECK(runs_of(group(report, "key_id", globex.id)) == 1);
    CHECK(string_member(*group(report, "key_id", globex.id), "tenant") == "globex");
    const auto& a = *group(report, "key_id", acme_a.id);
    CHECK(a["runs_by_status"]["succeeded"].GetInt64() == 3);
    CHECK(a["run_seconds"].IsNumber());
    CHECK(a["llm"]["calls"].GetInt64() == 1);
    CHECK(a["llm"]["total_tokens"].GetInt64() > 0);
    REQUIRE(a["llm_by_model"].Size() == 1);
    CHECK(string_member(a["llm_by_model"][0], "provider") == "offline");
    CHECK(report["totals"]["runs"].GetInt64() == 5);
    CHECK(report["totals"]["llm"]["calls"].GetInt64() == 1);

    auto by_tenant = json_of(client.get("/usage?group_by=tenant", bearer(kAdminKey)));
    CHECK(runs_of(group(by_tenant, "tenant", "acme")) == 4);
    CHECK(runs_of(group(by_tenant, "tenant", "globex")) == 1);
    auto by_agent = json_of(client.get("/usage?group_by=agent", bearer(kAdminKey)));
    CHECK(runs_of(group(by_agent, "agent", "echo")) == 4);
    CHECK(runs_of(group(by_agent, "agent", "llm_probe")) == 1);
    CHECK(by_agent["groups"].Size() == 2);
    auto by_day = json_of(client.get("/usage?from=" + today() + "&to=" + today(), bearer(kAdminKey)));
    CHECK(string_member(by_day, "group_by") == "day");
    REQUIRE(by_day["groups"].Size() == 1);
    CHECK(runs_of(group(by_day, "day", today())) == 5);
    auto long_ago = json_of(client.get("/usage?from=2001-01-01&to=2001-12-31", bearer(kAdminKey)));
    CHECK(long_ago["groups"].Size() == 0);
    CHECK(long_ago["totals"]["runs"].GetInt64() == 0);

    // Other principals see their own tenant's usage only.
    auto mine = json_of(client.get("/usage?group_by=key", bearer(acme_b.key)));
    CHECK(mine["groups"].Size() == 2);
    CHECK(group(mine, "key_id", globex.id) == nullptr);
    CHECK(mine["totals"]["runs"].GetInt64() == 4);
    auto theirs = json_of(client.get("/usage?group_by=tenant", bearer(globex.key)));
    REQUIRE(theirs["groups"].Size() == 1);
    CHECK(runs_of(group(theirs, "tenant", "globex")) == 1);
    CHECK(theirs["totals"]["runs"].GetInt64() == 1);
    error_envelope(client.get("/usage", bearer(no_read.key)), 403, "Forbidden");
    error_envelope(client.get("/usage"), 401, "Unauthenticated");

    // Bad parameters: the error envelope naming the parameter.
    struct Bad {
        std::string query;
        std::string parameter;
    };
    for (const Bad& bad : std::vector<Bad>{{"from=2026-13-01", "from"},
                                           {"to=2026-02-30", "to"},
                                           {"from=yesterday", "from"},
                                           {"group_by=week", "group_by"},
                                           {"from=2026-03-02&to=2026-03-01", "from"},
                                           {"from=2020-01-01&to=2026-01-01", "from"}}) {
        INFO(bad.query);
        auto refused = client.get("/usage?" + bad.query, bearer(kAdminKey));
        auto envelope = error_envelope(refused, 422, "ValidationError");
        REQUIRE(envelope["details"].Size() == 1);
        CHECK(string_member(envelope["details"][0], "field") == bad.parameter);
    }

    // agentctl: online through the API with a key, and offline on the data
    // directory once the host is gone, with the same numbers.
    std::string agentctl = std::filesystem::path(host_binary()).parent_path().string() + "/agentctl";
    int status = -1;
    std::string online = run_command(agentctl + " --url " + host->base_url() + " --key " + acme_a.key +
                                         " usage --group-by tenant 2>&1",
                                     status);
    INFO(online);
    REQUIRE(status == 0);
    rapidjson::Document online_report;
    online_report.Parse(online.c_str());
    REQUIRE(online_report.IsObject());
    CHECK(online_report["totals"]["runs"].GetInt64() == 4);
    REQUIRE(host->stop() == 0);
    std::string offline =
        run_command(agentctl + " --data-dir " + host->work_dir() + "/data usage --group-by key --from " + today() + " 2>&1",
                    status);
    INFO(offline);
    REQUIRE(status == 0);
    rapidjson::Document offline_report;
    offline_report.Parse(offline.c_str());
    REQUIRE(offline_report.IsObject());
    CHECK(offline_report["totals"]["runs"].GetInt64() == 5);
    CHECK(runs_of(group(offline_report, "key_id", acme_a.id)) == 3);
    offline = run_command(agentctl + " --data-dir " + host->work_dir() + "/data usage --tenant globex 2>&1", status);
    offline_report.Parse(offline.c_str());
    REQUIRE(offline_report.IsObject());
    CHECK(offline_report["totals"]["runs"].GetInt64() == 1);
    run_command(agentctl + " --data-dir " + host->work_dir() + "/data usage --from 2026-99-01 2>&1", status);
    CHECK(status == 2);
}

TEST_CASE("quotas: a tenant over its runs per day or tokens per month gets 429 QuotaExceeded; others go on",
          "[usage][quota]") {
    auto host = auth_host(R"(,"quotas":{"default":{"runs_per_day":2},)"
                          R"("tenants":{"globex":{"runs_per_day":5},"initech":{"tokens_per_month":1}},)"
                          R"("refresh_seconds":0.5})");
    HttpClient client(host->base_url());
    Key acme = create_key(client, R"({"name":"acme","scopes":["invoke","read"],"tenant":"acme"})");
    Key globex = create_key(client, R"({"name":"globex","scopes":["invoke","read"],"tenant":"globex"})");
    Key initech = create_key(client, R"({"name":"initech","scopes":["invoke","read"],"tenant":"initech"})");

    CHECK(client.post("/runs", kEcho, bearer(acme.key)).status == 202);
    CHECK(client.post("/runs", kEcho, bearer(acme.key)).status == 202);
    auto refused = client.post("/runs", kEcho, bearer(acme.key));
    auto envelope = error_envelope(refused, 429, "QuotaExceeded");
    CHECK_THAT(message_of(refused), Contains("runs_per_day") && Contains("tenant 'acme'") && Contains("resets at"));
    REQUIRE(envelope["details"].Size() == 1);
    CHECK(string_member(envelope["details"][0], "field") == "runs_per_day");
    REQUIRE_FALSE(refused.header("retry-after").empty());
    long long retry_after = std::stoll(refused.header("retry-after"));
    CHECK(retry_after >= 1);
    CHECK(retry_after <= 86400);
    // Synchronous invokes count against the same quota; reads are not refused.
    error_envelope(client.post("/agent/invoke", kEcho, bearer(acme.key)), 429, "QuotaExceeded");
    CHECK(client.get("/runs", bearer(acme.key)).status == 200);
    // Another tenant has its own count (and its own limit).
    for (int i = 0; i < 5; ++i) CHECK(client.post("/runs", kEcho, bearer(globex.key)).status == 202);
    error_envelope(client.post("/runs", kEcho, bearer(globex.key)), 429, "QuotaExceeded");

    // Tokens are known once a run ends: the next refresh sees them.
    invoke(client, kProbe, initech.key);
    HttpResult over;
    CHECK(poll_until(
        [&] {
            over = client.post("/agent/invoke", kEcho, bearer(initech.key));
            return over.status == 429;
        },
        10000ms));
    error_envelope(over, 429, "QuotaExceeded");
    CHECK_THAT(message_of(over), Contains("tokens_per_month"));
    CHECK(std::stoll(over.header("retry-after")) <= 31LL * 86400);
}

TEST_CASE("quotas: a cron's ticks count against its tenant's runs per day", "[usage][quota][crons]") {
    auto host = auth_host(R"(,"quotas":{"default":{"runs_per_day":2},"refresh_seconds":0.3})");
    HttpClient client(host->base_url());
    Key acme = create_key(client, R"({"name":"acme","scopes":["invoke","read"],"tenant":"acme"})");
    auto made = client.post("/runs/crons", R"({"agent_name":"echo","task":"tick","schedule":"@every 1s"})",
                            bearer(acme.key));
    INFO(made.body);
    REQUIRE(made.status == 201);
    auto runs_of_acme = [&] {
        auto listed = json_of(client.get("/runs?limit=50", bearer(acme.key)));
        return listed["runs"].Size();
    };
    // Two runs, then the ticks pass without one (and say so in the metrics).
    REQUIRE(poll_until(
        [&] {
            return runs_of_acme() == 2 &&
                   client.get("/metrics", bearer(kAdminKey)).body.find(R"(outcome="over_quota")") != std::string::npos;
        },
        20000ms, 100ms));
    std::this_thread::sleep_for(2500ms);  // two more ticks at least
    CHECK(runs_of_acme() == 2);
    // A client of the same tenant is refused too: the ticks used the quota.
    error_envelope(client.post("/runs", kEcho, bearer(acme.key)), 429, "QuotaExceeded");
}

namespace {

// A JWKS served over HTTP whose document (or failure) the test changes.
class JwksServer {
  public:
    JwksServer()
        : server_("jwks", 0, std::chrono::seconds(5), [this](int fd, LoopbackRequest) {
              std::string body;
              int status = 200;
              {
                  std::lock_guard<std::mutex> lock(mutex_);
                  ++fetches_;
                  body = document_;
                  status = status_;
              }
              send_all(fd, "HTTP/1.1 " + std::to_string(status) + " " + reason_phrase(status) +
                               "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                               "\r\nConnection: close\r\n\r\n" + body);
          }) {}
    void serve(const std::string& document, int status = 200) {
        std::lock_guard<std::mutex> lock(mutex_);
        document_ = document;
        status_ = status;
    }
    int fetches() {
        std::lock_guard<std::mutex> lock(mutex_);
        return fetches_;
    }
    std::string url() const { return server_.url("/.well-known/jwks.json"); }

  private:
    std::mutex mutex_;
    std::string document_;
    int status_ = 200;
    int fetches_ = 0;
    LoopbackServer server_;
};

}  // namespace

TEST_CASE("JWKS URL: keys are fetched and cached, a new kid is fetched once, a failed fetch keeps the cache",
          "[auth][jwt][jwks]") {
    SigningKey first = rsa_key("k1");
    SigningKey rotated = rsa_key("k2");
    JwksServer jwks;
    jwks.serve(R"({"keys":[)" + first.jwk + "]}");
    auto host = auth_host(R"(,"jwt":{"jwks_url":")" + jwks.url() +
                          R"(","jwks_refresh_seconds":3600,"jwks_refetch_seconds":4,"tenant_claim":"org_id"})");
    HttpClient client(host->base_url());
    auto token = [](const SigningKey& key, const std::string& kid) {
        return sign_jwt(JWT_ALG_RS256, key.private_pem,
                        R"({"sub":"carol","org_id":"acme","scope":"read","exp":)" + std::to_string(epoch_seconds() + 600) +
                            "}",
                        kid);
    };
    CHECK(jwks.fetches() == 1);  // at start
    CHECK(client.get("/runs", bearer(token(first, "k1"))).status == 200);
    CHECK(client.get("/runs", bearer(token(first, "k1"))).status == 200);
    CHECK(jwks.fetches() == 1);  // cached

    // The identity provider rotates its key: the first token naming k2
    // makes the host fetch the JWKS again.
    jwks.serve(R"({"keys":[)" + first.jwk + "," + rotated.jwk + "]}");
    std::this_thread::sleep_for(4100ms);  // past jwks_refetch_seconds since the start's fetch (4 s: a slow
    // machine's requests below must not outlast it)
    CHECK(client.get("/runs", bearer(token(rotated, "k2"))).status == 200);
    CHECK(jwks.fetches() == 2);

    // Unknown key ids do not make it hammer the provider: one refetch per
    // jwks_refetch_seconds at most.
    auto unknown = client.get("/runs", bearer(token(rotated, "k3")));
    error_envelope(unknown, 401, "Unauthenticated");
    CHECK_THAT(message_of(unknown), Contains("not in the JWKS"));
    for (int i = 0; i < 5; ++i) CHECK(client.get("/runs", bearer(token(rotated, "k3"))).status == 401);
    CHECK(jwks.fetches() == 2);

    // The provider fails: the fetch is tried, logged, and the keys it had
    // stay in use.
    jwks.serve("oops", 500);
    std::this_thread::sleep_for(4100ms);
    CHECK(client.get("/runs", bearer(token(rotated, "k3"))).status == 401);
    CHECK(jwks.fetches() == 3);
    CHECK(client.get("/runs", bearer(token(rotated, "k2"))).status == 200);
    CHECK(client.get("/runs", bearer(token(first, "k1"))).status == 200);
    CHECK(poll_until([&] { return host->log().find("fetching the JWKS failed") != std::string::npos; }, 5000ms));
    // A malformed document is a failure too.
    jwks.serve(R"({"keys":"not a list"})");
    std::this_thread::sleep_for(4100ms);
    CHECK(client.get("/runs", bearer(token(rotated, "k4"))).status == 401);
    CHECK(jwks.fetches() == 4);
    CHECK(client.get("/runs", bearer(token(rotated, "k2"))).status == 200);
}
