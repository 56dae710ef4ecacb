// The three first-party text agents, invoked over HTTP through the real host
// on real paragraphs.
#include "test_host.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

using namespace agenthost::testing;
using Catch::Matchers::Contains;

namespace {

HostProcess& host() {
    static HostProcess instance(host_config(
        R"({"summarizer":{"enabled":true},"sentiment":{"enabled":true},"entity_extractor":{"enabled":true}})"));
    return instance;
}

rapidjson::Document invoke(const std::string& agent, const std::string& text, const std::string& context = "") {
    HttpClient client(host().base_url());
    rapidjson::Document body(rapidjson::kObjectType);
    auto& allocator = body.GetAllocator();
    body.AddMember("agent_name", rapidjson::Value(agent.c_str(), allocator), allocator);
    body.AddMember("task", rapidjson::Value(text.c_str(), allocator), allocator);
    if (!context.empty()) {
        rapidjson::Document parsed;
        parsed.Parse(context.c_str());
        body.AddMember("context", rapidjson::Value(parsed, allocator), allocator);
    }
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    body.Accept(writer);
    auto result = client.post("/agent/invoke", buffer.GetString());
    INFO(result.body);
    REQUIRE(result.status == 200);
    return json_of(result);
}

const char* kIncident =
    "At 09:14 UTC the checkout service began returning errors for roughly a third of requests. "
    "The on-call engineer traced the errors to a database connection pool that had been exhausted after a "
    "configuration change reduced its size from fifty to five connections. "
    "Customers saw failed payments and slow pages for forty minutes. "
    "The office coffee machine was also replaced on Tuesday. "
    "Rolling back the configuration change restored the connection pool and the error rate returned to normal by 09:54. "
    "The team will add an alert on connection pool saturation and require review for pool size changes.";

}  // namespace

TEST_CASE("summarizer returns the central sentences in their original order") {
    auto body = invoke("summarizer", kIncident, R"({"max_sentences": 2})");
    const auto& result = body["result"];
    REQUIRE(result["sentences"].Size() == 2);
    CHECK(result["sentences"][0]["index"].GetInt() < result["sentences"][1]["index"].GetInt());
    std::string summary = result["summary"].GetString();
    CHECK_THAT(summary, !Contains("coffee machine"));
    CHECK(result["original_sentence_count"].GetInt() == 6);
}

TEST_CASE("sentiment labels a complaint negative and names the words that drove it") {
    auto body = invoke("sentiment",
                       "The upgrade was a disaster. The dashboard is painfully slow, the exports are broken, and "
                       "support never answered our tickets. We are very disappointed.");
    const auto& result = body["result"];
    CHECK(std::string(result["label"].GetString()) == "negative");
    CHECK(result["score"].GetDouble() < 0);
    CHECK(result["score"].GetDouble() >= -1);
    CHECK(result["drivers"].Size() > 0);
}

TEST_CASE("entity extractor finds contacts, money and organisations with offsets") {
    std::string text =
        "Acme Widgets Inc. will pay $2,500,000 to settle the claim, CEO Jane Smith said in Paris on March 15, 2024. "
        "Questions go to press@acme.example or +1 415 555 0100.";
    auto body = invoke("entity_extractor", text);
    std::map<std::string, std::string> found;  // text -> type
    for (const auto& entity : body["result"]["entities"].GetArray()) {
        std::string entity_text = entity["text"].GetString();
        found[entity_text] = entity["type"].GetString();
        // ASCII text: code-point offsets equal byte offsets.
        CHECK(text.substr(entity["start"].GetUint(), entity["end"].GetUint() - entity["start"].GetUint()) == entity_text);
    }
    CHECK(found["press@acme.example"] == "email");
    CHECK(found["$2,500,000"] == "money");
    CHECK(found["Jane Smith"] == "person");
    CHECK(found["Paris"] == "location");
    CHECK(found["+1 415 555 0100"] == "phone");
}
