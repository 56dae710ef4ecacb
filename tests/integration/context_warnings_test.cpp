// A context member that looks like a misspelling of a field the agent reads
// is accepted (agents allow extra members for chained workflows) but the
// caller hears of it: in the answer and in the run's run.queued event.
#include "test_host.hpp"

#include <catch2/catch.hpp>

using namespace agenthost::testing;
using Catch::Matchers::Contains;

namespace {

HostProcess& host() {
    static HostProcess instance(host_config(R"({"summarizer":{"enabled":true},"kubernetes_agent":{"enabled":true}})"));
    return instance;
}

std::string warnings_of(const rapidjson::Value& body) {
    if (!body.IsObject() || !body.HasMember("warnings")) return "";
    return json_text(body["warnings"]);
}

}  // namespace

TEST_CASE("POST /runs names a context member that looks misspelt, accepts the run, and its run.queued event keeps it") {
    HttpClient client(host().base_url());
    auto accepted = client.post("/runs", R"({"agent_name":"kubernetes_agent","task":"manifests",)"
                                         R"("context":{"service":"orders","replicsa":3}})");
    INFO(accepted.body);
    REQUIRE(accepted.status == 202);
    auto body = json_of(accepted);
    CHECK_THAT(warnings_of(body), Contains("context.replicsa is not a field agent 'kubernetes_agent' reads; "
                                           "did you mean context.replicas?"));
    std::string run_id = body["run_id"].GetString();
    auto events = fetch_events(client, run_id);
    REQUIRE_FALSE(events.empty());
    CHECK(events[0].type == "run.queued");
    CHECK_THAT(events[0].data_json, Contains("did you mean context.replicas?"));
    // A context with only fields the agent reads gets no warnings member.
    auto clean = client.post("/runs", R"({"agent_name":"kubernetes_agent","task":"manifests",)"
                                      R"("context":{"service":"orders","replicas":3,"previous_result":{}}})");
    REQUIRE(clean.status == 202);
    CHECK_FALSE(json_of(clean).HasMember("warnings"));
}

TEST_CASE("a context with a hundred misspelt members gets twenty warnings and a count of the rest") {
    HttpClient client(host().base_url());
    // replicas0..replicas99 are one or two edits from replicas; replicas100
    // and on are three, no typo.
    std::string context = R"({"service":"orders")";
    for (int i = 0; i < 1000; ++i) context += ",\"replicas" + std::to_string(i) + "\":1";
    auto accepted = client.post("/runs", R"({"agent_name":"kubernetes_agent","task":"manifests","context":)" + context + "}}");
    INFO(accepted.body.substr(0, 500));
    REQUIRE(accepted.status == 202);
    auto body = json_of(accepted);
    REQUIRE(body["warnings"].Size() == 21);
    CHECK(std::string(body["warnings"][20].GetString()) == "and 80 more context members that look misspelt");
}

TEST_CASE("a synchronous invoke's answer carries the warnings with the result") {
    HttpClient client(host().base_url());
    auto answered = client.post("/agent/invoke", R"({"agent_name":"summarizer","task":"Sales rose. Costs fell. )"
                                                 R"(Profit doubled.","context":{"max_sentence":1}})");
    INFO(answered.body);
    REQUIRE(answered.status == 200);
    auto body = json_of(answered);
    CHECK(std::string(body["status"].GetString()) == "success");
    CHECK_THAT(warnings_of(body), Contains("did you mean context.max_sentences?"));
}

TEST_CASE("a routed request whose context the chosen agent refuses says the agent was routing's choice") {
    // An outsider's: a 422 naming an agent the caller never named read as
    // the caller's own mistake.
    HttpClient client(host().base_url());
    auto refused = client.post("/runs", R"({"task":"Write Kubernetes manifests for the orders service",)"
                                        R"("context":{"service":42}})");
    INFO(refused.body);
    REQUIRE(refused.status == 422);
    auto body = json_of(refused);
    CHECK_THAT(string_member(body, "message"),
               Contains("agent 'kubernetes_agent'") && Contains("chosen by routing from the task"));
    // Named by the caller, the same refusal says nothing about routing.
    auto named = client.post("/runs", R"({"agent_name":"kubernetes_agent","task":"manifests","context":{"service":42}})");
    REQUIRE(named.status == 422);
    CHECK_THAT(string_member(json_of(named), "message"), !Contains("routing"));
}
