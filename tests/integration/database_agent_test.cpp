// database_agent through the running host: listed by GET /agents under the
// development domain, routed from free text through the development
// supervisor, migrations as artifacts with an artifact event each, review
// findings, and 422 naming the field.
#include "test_host.hpp"

#include <set>

using namespace agenthost::testing;
using Catch::Matchers::Contains;

namespace {

HostProcess& host() {
    static HostProcess instance(host_config(R"({"database_agent":{"enabled":true},"codegen_agent":{"enabled":true}})"));
    return instance;
}

}  // namespace

TEST_CASE("GET /agents lists database_agent as a development agent") {
    HttpClient client(host().base_url());
    auto agents = json_of(client.get("/agents"));
    std::set<std::string> development;
    for (const auto& agent : agents["domains"]["development"].GetArray()) development.insert(agent.GetString());
    CHECK(development.count("database_agent") == 1);
}

TEST_CASE("a schema task is routed to database_agent and its migrations come back as artifacts") {
    HttpClient client(host().base_url());
    auto result = client.post("/agent/invoke", R"({"agent_name":null,
        "task":"Design a postgres schema for users and orders; users have many orders; orders have items"})");
    REQUIRE(result.status == 200);
    auto body = json_of(result);
    CHECK(string_member(body, "agent_used") == "database_agent");
    const auto& artifacts = body["result"]["artifacts"];
    REQUIRE(artifacts.Size() == 6);
    CHECK(string_member(artifacts[2], "path") == "migrations/0002_create_orders.up.sql");
    CHECK_THAT(std::string(artifacts[2]["content"].GetString()), Contains("CREATE INDEX IF NOT EXISTS idx_orders_user_id"));
    CHECK(string_member(artifacts[2], "media_type") == "application/sql");
    CHECK(count_events(fetch_events(client, body["run_id"].GetString()), "artifact") == 6);
}

TEST_CASE("a review task is routed to database_agent and names each problem") {
    HttpClient client(host().base_url());
    auto result = client.post("/agent/invoke", R"({"agent_name":null,
        "task":"Review this migration before we run it in production",
        "context":{"migrations":[{"path":"migrations/0005_users.up.sql",
          "content":"ALTER TABLE users ADD COLUMN age integer NOT NULL;\nCREATE INDEX idx_users_age ON users (age);"},
          {"path":"migrations/0005_users.down.sql","content":"DROP INDEX idx_users_age;\nALTER TABLE users DROP COLUMN age;"}]}})");
    REQUIRE(result.status == 200);
    auto body = json_of(result);
    CHECK(string_member(body, "agent_used") == "database_agent");
    const auto& findings = body["result"]["findings"];
    REQUIRE(findings.Size() == 2);
    CHECK(string_member(findings[0], "rule") == "not-null-without-default");
    CHECK(string_member(findings[1], "rule") == "create-index-not-concurrently");
    CHECK_THAT(string_member(findings[1], "safe_alternative"), Contains("CONCURRENTLY"));

    auto bad = client.post("/agent/invoke", R"({"agent_name":"database_agent","task":"design it",
        "context":{"entities":[{"name":"users","fields":[{"name":"age","type":"imaginary"}]}]}})");
    auto envelope = error_envelope(bad, 422, "AgentRejectedInput");
    CHECK_THAT(std::string(envelope["message"].GetString()), Contains("context.entities"));
    bad = client.post("/agent/invoke", R"({"agent_name":"database_agent","task":"","context":{}})");
    CHECK(bad.status == 422);
}
