// Seed 000's deployments with two hosts on one PostgreSQL database: the
// project lock holds across hosts (of concurrent applies through both,
// exactly one is accepted; the others' 409 names it), force-unlock through
// the other host, and logs polled through one host of an operation the
// other accepted, every line once.
#include "test_host.hpp"

#include <atomic>
#include <thread>
#include <vector>

using namespace agenthost::testing;
using namespace std::chrono_literals;
using Catch::Matchers::Contains;

namespace {

const bool kHavePostgres = exit_77_without_postgres();

std::vector<std::string> on_database(const TestDatabase& database) { return {"--database-url", database.url()}; }

std::string fixtures() { return std::string(AGENTHOST_SOURCE_DIR) + "/plugins/context_analyzer/tests/fixtures"; }

std::string config() {
    return host_config(R"({"context_analyzer":{"enabled":true,"config":{"local_roots":[")" + fixtures() +
                       R"("]}},"dockerfile_generator":{"enabled":true},"terraform_generator":{"enabled":true,"exec":{"allow":["terraform"],"allow_unsandboxed":true}}})");
}

}  // namespace

TEST_CASE("two hosts on PostgreSQL share deployment projects, their lock and their logs", "[deployments][postgres]") {
    TestDatabase database;
    HostProcess a(config(), on_database(database));
    HostProcess b(config(), on_database(database));
    HttpClient via_a(a.base_url()), via_b(b.base_url());

    // Concurrent applies through both hosts: one holds the lock.
    const std::string body = R"({"path":")" + fixtures() + R"(/go_nethttp"})";
    std::atomic<int> accepted{0}, locked{0};
    std::vector<std::string> holders(8);
    std::vector<std::thread> callers;
    for (int i = 0; i < 8; ++i)
        callers.emplace_back([&, i] {
            HttpClient client((i % 2 == 0 ? a : b).base_url());
            auto answer = client.post("/deployment/projects/pg-shop/apply", body);
            if (answer.status == 202) {
                ++accepted;
                holders[i] = string_member(json_of(answer)["data"], "operation_id");
            } else if (answer.status == 409) {
                ++locked;
            }
        });
    for (auto& caller : callers) caller.join();
    CHECK(accepted == 1);
    CHECK(locked == 7);
    std::string holder;
    for (const auto& id : holders) holder += id;
    auto refused = via_b.post("/deployment/projects/pg-shop/plan", "{}");
    CHECK(refused.status == 409);
    CHECK_THAT(string_member(json_of(refused), "message"), Contains(holder));
    auto unlocked = json_of(via_b.post("/deployment/projects/pg-shop/force-unlock", ""));
    CHECK(string_member(unlocked["data"], "holder") == holder);

    // An analysis accepted by one host, its logs polled through the other.
    auto started = via_a.post("/deployment/projects/pg-shop/analyze", "{}");
    REQUIRE(started.status == 202);
    const std::string operation = string_member(json_of(started)["data"], "operation_id");
    std::vector<std::string> seen;
    size_t next = 0;
    bool complete = false;
    for (int polls = 0; polls < 1000 && !complete; ++polls) {
        auto body = json_of(via_b.get("/api/v1/deployment/operations/" + operation + "/logs?since_index=" + std::to_string(next)));
        const auto& page = body["data"];
        for (const auto& line : page["logs"].GetArray()) seen.emplace_back(line.GetString());
        next = page["next_index"].GetUint64();
        complete = page["completed"].GetBool();
        if (!complete) std::this_thread::sleep_for(20ms);
    }
    REQUIRE(complete);
    auto whole_body = json_of(via_a.get("/deployment/operations/" + operation + "/logs?since_index=0"));
    const auto& whole = whole_body["data"];
    REQUIRE(whole["logs"].Size() == seen.size());
    for (rapidjson::SizeType i = 0; i < whole["logs"].Size(); ++i) CHECK(seen[i] == whole["logs"][i].GetString());
    CHECK(seen.back() == "[context_analyzer] succeeded");
}
