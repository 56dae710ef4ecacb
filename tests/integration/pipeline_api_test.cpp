// Seed 004's processing API through a real host.
#include "test_host.hpp"

#include <chrono>
#include <thread>

using namespace agenthost::testing;
using Catch::Matchers::Contains;

namespace {

HostProcess& host() {
    static HostProcess instance(
        host_config(R"({"summarizer":{"enabled":true},"sentiment":{"enabled":true},"entity_extractor":{"enabled":true},"thrower":{"enabled":true}})"),
        {"--max-text-length", "2000"});
    return instance;
}

const char* kText =
    "Acme Widgets Inc. reported record revenue of $12 million on Tuesday. Customers praised the reliable new "
    "dashboard, although some complained that exports were slow. CEO Jane Smith said the team in Berlin will fix "
    "the export problem by March 15, 2025.";

rapidjson::Document wait_done(HttpClient& client, const std::string& id) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    for (;;) {
        auto result = json_of(client.get("/api/v1/results/" + id));
        if (std::string(result["status"].GetString()) != "processing") return result;
        REQUIRE(std::chrono::steady_clock::now() < deadline);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

std::string submit(HttpClient& client, const std::string& body) {
    auto accepted = client.post("/api/v1/process", body);
    INFO(accepted.body);
    REQUIRE(accepted.status == 202);
    return json_of(accepted)["request_id"].GetString();
}

}  // namespace

TEST_CASE("sequential processing runs the three default agents and reports each result") {
    HttpClient client(host().base_url());
    std::string id = submit(client, std::string(R"({"text":")") + kText + R"(","orchestration_mode":"sequential"})");
    auto result = wait_done(client, id);
    CHECK(std::string(result["status"].GetString()) == "completed");
    CHECK(std::string(result["orchestration_mode"].GetString()) == "sequential");
    const auto& results = result["results"];
    CHECK(std::string(results["summarizer"]["status"].GetString()) == "succeeded");
    CHECK(results["summarizer"]["result"]["summary"].IsString());
    CHECK(results["sentiment"]["result"]["label"].IsString());
    CHECK(results["entity_extractor"]["result"]["entity_count"].GetInt() > 3);
    // Each step started only after the one before finished.
    auto started = [&](const char* agent) -> std::string {
        return json_of(client.get(std::string("/runs/") + results[agent]["run_id"].GetString()))["started_at"].GetString();
    };
    auto finished = [&](const char* agent) -> std::string {
        return json_of(client.get(std::string("/runs/") + results[agent]["run_id"].GetString()))["finished_at"].GetString();
    };
    CHECK(std::string(started("sentiment")) >= std::string(finished("summarizer")));
    CHECK(std::string(started("entity_extractor")) >= std::string(finished("sentiment")));
}

TEST_CASE("parallel processing with chosen agents; a failing agent fails the request") {
    HttpClient client(host().base_url());
    std::string ok = submit(client, std::string(R"({"text":")") + kText + R"(","orchestration_mode":"parallel","agents":["sentiment","entity_extractor"]})");
    auto done = wait_done(client, ok);
    CHECK(std::string(done["status"].GetString()) == "completed");
    CHECK_FALSE(done["results"].HasMember("summarizer"));

    std::string bad = submit(client, std::string(R"({"text":")") + kText + R"(","orchestration_mode":"sequential","agents":["thrower","sentiment"]})");
    auto failed = wait_done(client, bad);
    CHECK(std::string(failed["status"].GetString()) == "failed");
    CHECK_THAT(failed["results"]["thrower"]["error"].GetString(), Contains("boom"));
    // The step after a failed one never runs.
    CHECK(std::string(failed["results"]["sentiment"]["status"].GetString()) == "failed");
}

TEST_CASE("text shorter than 10 or longer than MAX_TEXT_LENGTH characters is 422") {
    HttpClient client(host().base_url());
    auto short_text = error_envelope(client.post("/api/v1/process", R"({"text":"too short"})"), 422, "ValidationError");
    CHECK(std::string(short_text["details"][0]["field"].GetString()) == "/text");
    std::string long_text(2001, 'a');
    error_envelope(client.post("/api/v1/process", R"({"text":")" + long_text + R"("})"), 422, "ValidationError");
    // Characters, not bytes: 2000 two-byte characters are allowed.
    std::string umlauts;
    for (int i = 0; i < 2000; ++i) umlauts += "\xc3\xa4";
    CHECK(client.post("/api/v1/process", R"({"text":")" + umlauts + R"(","agents":["sentiment"]})").status == 202);
    error_envelope(client.post("/api/v1/process", R"({"text":"long enough text","orchestration_mode":"random"})"), 422,
                   "ValidationError");
    error_envelope(client.post("/api/v1/process", R"({"text":"long enough text","agents":["nobody"]})"), 404,
                   "AgentNotFound");
    // An agent twice would run twice and show one result (results are keyed by agent).
    auto twice = error_envelope(
        client.post("/api/v1/process", R"({"text":"long enough text","agents":["summarizer","summarizer"]})"), 422,
        "ValidationError");
    CHECK(std::string(twice["details"][0]["field"].GetString()) == "/agents/1");  // the repeat
    error_envelope(client.get("/api/v1/results/no-such-request"), 404, "RequestNotFound");
}

TEST_CASE("results are listed newest first, a page at a time") {
    HttpClient client(host().base_url());
    for (int i = 0; i < 3; ++i) submit(client, std::string(R"({"text":")") + kText + R"(","agents":["sentiment"]})");
    auto page = json_of(client.get("/api/v1/results?page=1&page_size=2"));
    CHECK(page["items"].Size() == 2);
    CHECK(page["total"].GetInt() >= 3);
    CHECK(page["page_size"].GetInt() == 2);
    error_envelope(client.get("/api/v1/results?page_size=1000"), 422, "ValidationError");
}

TEST_CASE("GET /api/v1/health reports the database") {
    HttpClient client(host().base_url());
    auto health = json_of(client.get("/api/v1/health"));
    CHECK(std::string(health["status"].GetString()) == "healthy");
    CHECK(std::string(health["database"].GetString()) == "healthy");
}
