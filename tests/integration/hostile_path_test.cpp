// Paths and queries whose percent-decoding is not UTF-8: every answer is
// still valid UTF-8 and valid JSON in the one error envelope, and a path
// parameter that cannot be UTF-8 is blamed, by name, with 400 InvalidPath.
#include "test_host.hpp"

#include <rapidjson/encodings.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/stringbuffer.h>

using namespace agenthost::testing;

namespace {

HostProcess& host() {
    static HostProcess instance(host_config(R"({"echo":{"enabled":true}})"));
    return instance;
}

// RapidJSON's own check, not the host's code under test.
bool valid_utf8(const std::string& text) {
    rapidjson::MemoryStream stream(text.data(), text.size());
    rapidjson::StringBuffer copy;
    while (stream.Tell() < text.size())
        if (!rapidjson::UTF8<>::Validate(stream, copy)) return false;
    return true;
}

// The envelope of `answer`, which must be UTF-8 and JSON.
rapidjson::Document utf8_envelope(const HttpResult& answer, long status, const std::string& type) {
    INFO("body: " << answer.body);
    CHECK(valid_utf8(answer.body));
    return error_envelope(answer, status, type);
}

}  // namespace

TEST_CASE("a path id that is not UTF-8 once decoded is refused as the path's fault in valid JSON") {
    HttpClient client(host().base_url());
    const std::vector<std::pair<std::string, std::string>> requests = {
        {"GET", "/runs/%FF"},
        {"GET", "/agent-run/%FF"},
        {"GET", "/agents/status/%FF"},
        {"GET", "/assistant/context/%FF"},
        {"GET", "/api/repos/%FF"},
        {"GET", "/api/incidents/%C0%AF"},
        {"GET", "/workflow/status/%FF"},
        {"POST", "/workflow/approve/%FF"},
        {"GET", "/deployment/operations/%FF/logs"},
        {"POST", "/deployment/projects/shop/%FF"},
    };
    for (const auto& [method, path] : requests) {
        INFO(method << " " << path);
        auto answer = client.request(method, path, method == "POST" ? "{}" : "", {"Content-Type: application/json"});
        auto body = utf8_envelope(answer, 400, "InvalidPath");
        CHECK_THAT(body["message"].GetString(), Catch::Matchers::Contains("not valid UTF-8"));
        REQUIRE(body["details"].Size() == 1);
    }
}

TEST_CASE("a query value that is not UTF-8 and echoed in an error arrives as U+FFFD") {
    HttpClient client(host().base_url());
    auto body = utf8_envelope(client.get("/runs?status=%FF"), 422, "ValidationError");
    CHECK_THAT(body["message"].GetString(), Catch::Matchers::Contains("'\xEF\xBF\xBD'"));
}

TEST_CASE("seed 003's start on a thread blames the path's thread id and not the valid body") {
    HttpClient client(host().base_url());
    const std::string body = R"({"agent_name":"echo","task":"good"})";
    for (const char* path : {"/threads/%FF/agent/start", "/thread/%FF/agent/start"}) {
        INFO(path);
        auto envelope = utf8_envelope(client.post(path, body), 400, "InvalidPath");
        REQUIRE(envelope["details"].Size() == 1);
        CHECK(std::string(envelope["details"][0]["field"].GetString()) == "thread_id");
    }
    // A NUL is UTF-8 but no id: it would have cut the id short ("a") and
    // started a run on another thread.
    auto envelope = utf8_envelope(client.post("/threads/a%00b/agent/start", body), 400, "InvalidPath");
    CHECK_THAT(envelope["message"].GetString(), Catch::Matchers::Contains("thread id"));
    CHECK(std::string(envelope["details"][0]["field"].GetString()) == "thread_id");
    CHECK(client.get("/threads/a").status == 404);
}
