// Every error case of the REST core answers in the one envelope, and none of
// them hurts the host.
#include "test_host.hpp"

#include <string>

using namespace agenthost::testing;
using Catch::Matchers::Contains;

namespace {

HostProcess& host() {
    // A small body limit so the 413 cases stay small.
    static HostProcess instance(
        host_config(R"({"echo":{"enabled":true},"abi_major":{"enabled":true}})"), {"--max-request-bytes", "4096"});
    return instance;
}

std::string first_field(const rapidjson::Document& envelope) {
    REQUIRE(envelope["details"].Size() >= 1);
    return envelope["details"][0]["field"].GetString();
}

}  // namespace

TEST_CASE("malformed JSON is 400") {
    HttpClient client(host().base_url());
    auto body = error_envelope(client.post("/agent/invoke", R"({"task": "x",)"), 400, "InvalidJSON");
    CHECK_THAT(body["message"].GetString(), Contains("offset"));
    error_envelope(client.post("/agent/invoke", ""), 400, "InvalidJSON");
}

TEST_CASE("schema violations are 422 naming the field") {
    HttpClient client(host().base_url());
    auto missing = error_envelope(client.post("/agent/invoke", R"({"agent_name":"echo"})"), 422, "ValidationError");
    CHECK(first_field(missing) == "/task");
    CHECK(std::string(missing["details"][0]["message"].GetString()) == "is required");

    auto wrong_type = error_envelope(client.post("/agent/invoke", R"({"task":"x","agent_name":7})"), 422, "ValidationError");
    CHECK(first_field(wrong_type) == "/agent_name");

    auto unknown = error_envelope(client.post("/agent/invoke", R"({"task":"x","agent":"echo"})"), 422, "ValidationError");
    CHECK(first_field(unknown) == "/agent");

    auto not_object = error_envelope(client.post("/agent/invoke", R"(["task"])"), 422, "ValidationError");
    CHECK_THAT(not_object["message"].GetString(), Contains("must be an object"));

    auto empty_task = error_envelope(client.post("/agent/invoke", R"({"task":"","agent_name":"echo"})"), 422, "ValidationError");
    CHECK(first_field(empty_task) == "/task");

    auto bad_thread = error_envelope(
        client.post("/agent/invoke", R"({"task":"x","agent_name":"echo","thread_id":"has spaces"})"), 422,
        "ValidationError");
    CHECK(first_field(bad_thread) == "/thread_id");
}

TEST_CASE("context is validated against the agent's input schema") {
    HttpClient client(host().base_url());
    auto body = error_envelope(
        client.post("/agent/invoke", R"({"task":"x","agent_name":"echo","context":{"note":"far too long for the schema"}})"),
        422, "ValidationError");
    CHECK(first_field(body) == "/context/note");
    CHECK_THAT(body["message"].GetString(), Contains("echo"));
}

TEST_CASE("no agent_name routes the task; a task nothing fits is 422 naming agent_name") {
    HttpClient client(host().base_url());
    auto body = error_envelope(client.post("/agent/invoke", R"({"task":"route me","agent_name":null})"), 422,
                               "NoAgentFits");
    bool names_field = false;
    for (const auto& detail : body["details"].GetArray())
        names_field = names_field || std::string(detail["field"].GetString()) == "/agent_name";
    CHECK(names_field);
    error_envelope(client.post("/agent/invoke", R"({"task":"route me"})"), 422, "NoAgentFits");
    auto echoed = client.post("/agent/invoke", R"({"task":"echo and repeat this"})");
    INFO(echoed.body);
    CHECK(echoed.status == 200);
    CHECK(json_of(echoed)["agent_used"] == "echo");
}

TEST_CASE("unknown agents are 404, disabled or broken ones 409 with the reason") {
    HttpClient client(host().base_url());
    auto unknown = error_envelope(client.post("/agent/invoke", R"({"task":"x","agent_name":"nobody"})"), 404, "AgentNotFound");
    CHECK_THAT(unknown["message"].GetString(), Contains("nobody"));
    auto broken = error_envelope(client.post("/agent/invoke", R"({"task":"x","agent_name":"abi_major"})"), 409,
                                 "AgentUnavailable");
    CHECK_THAT(broken["message"].GetString(), Contains("ABI major mismatch"));
    auto disabled = error_envelope(client.post("/agent/invoke", R"({"task":"x","agent_name":"thrower"})"), 409,
                                   "AgentUnavailable");
    CHECK_THAT(disabled["message"].GetString(), Contains("disabled"));
}

TEST_CASE("an agent rejecting its input is 422 with the agent's reason") {
    HttpClient client(host().base_url());
    auto body = error_envelope(
        client.post("/agent/invoke", R"({"task":"x","agent_name":"echo","context":{"action":"reject"}})"), 422,
        "AgentRejectedInput");
    CHECK_THAT(body["message"].GetString(), Contains("asked to reject its input"));
}

TEST_CASE("a plugin misusing a callback fails the run with 500 naming the callback, not the caller's 422") {
    HttpClient client(host().base_url());
    auto body = error_envelope(
        client.post("/agent/invoke", R"({"task":"x","agent_name":"echo","context":{"action":"bad_event"}})"), 500,
        "AgentFailed");
    CHECK_THAT(body["message"].GetString(), Contains("emit_event") && Contains("'Bad Type' is not allowed"));
}

TEST_CASE("a body that is not JSON by content type is 415") {
    HttpClient client(host().base_url());
    auto plain = error_envelope(client.post("/agent/invoke", R"({"task":"x"})", {"Content-Type: text/plain"}), 415,
                                "UnsupportedMediaType");
    CHECK_THAT(plain["message"].GetString(), Contains("text/plain"));
    error_envelope(client.request("POST", "/agent/invoke", R"({"task":"x"})", {}), 415, "UnsupportedMediaType");
    // Parameters and +json types are JSON.
    CHECK(client.post("/agent/invoke", R"({"task":"x","agent_name":"echo"})",
                      {"Content-Type: application/json; charset=utf-8"})
              .status == 200);
    CHECK(client.post("/agent/invoke", R"({"task":"x","agent_name":"echo"})",
                      {"Content-Type: application/vnd.api+json"})
              .status == 200);
}

TEST_CASE("a body over the configured limit is 413 and the host carries on") {
    HttpClient client(host().base_url());
    std::string big = R"({"agent_name":"echo","task":")" + std::string(10000, 'a') + "\"}";
    auto body = error_envelope(client.post("/agent/invoke", big), 413, "PayloadTooLarge");
    CHECK_THAT(body["message"].GetString(), Contains("4096"));

    // Far beyond the limit Pistache itself refuses; the host must survive it.
    std::string huge(3 * 1024 * 1024, 'x');
    HttpClient other(host().base_url());
    auto refused = other.post("/agent/invoke", huge);
    CHECK(refused.status == 413);

    HttpClient fresh(host().base_url());
    CHECK(fresh.get("/health").status == 200);
    CHECK(fresh.post("/agent/invoke", R"({"task":"x","agent_name":"echo"})").status == 200);
}

TEST_CASE("unknown paths are 404 and wrong methods 405, in the envelope") {
    HttpClient client(host().base_url());
    error_envelope(client.get("/no/such/thing"), 404, "NotFound");
    auto wrong = client.request("DELETE", "/agents", "", {});
    error_envelope(wrong, 405, "MethodNotAllowed");
    CHECK(wrong.header("allow") == "GET");
    error_envelope(client.get("/agent/invoke"), 405, "MethodNotAllowed");
}

TEST_CASE("hostile bodies do not crash the host") {
    HttpClient client(host().base_url());
    // Nesting deep enough to overflow a recursive parser's stack.
    std::string deep = std::string(2000, '[') + std::string(2000, ']');
    auto deep_result = error_envelope(client.post("/agent/invoke", deep), 400, "InvalidJSON");
    CHECK_THAT(deep_result["message"].GetString(), Contains("nesting deeper than"));
    std::string abyss(4000, '{');
    error_envelope(client.post("/agent/invoke", abyss), 400, "InvalidJSON");
    // Invalid UTF-8 never reaches an agent.
    error_envelope(client.post("/agent/invoke", std::string("{\"task\":\"\xff\xfe\",\"agent_name\":\"echo\"}")), 400,
                   "InvalidJSON");
    // A raw NUL inside a string is not JSON; an escaped one is JSON, but
    // PostgreSQL cuts text at a NUL, so it is refused on every store alike.
    client.post("/agent/invoke", std::string("{\"task\":\"a\0b\",\"agent_name\":\"echo\"}", 34));
    auto escaped = error_envelope(client.post("/agent/invoke", R"({"task":"a\u0000b","agent_name":"echo"})"), 422,
                                  "ValidationError");
    CHECK(string_member(escaped["details"][0], "field") == "/task");
    client.post("/agent/invoke", R"({"task":"x","agent_name":"echo","context":{"n":1e999999}})");
    CHECK(client.get("/health").status == 200);
}
