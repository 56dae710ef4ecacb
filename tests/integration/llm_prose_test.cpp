// Models that answer in prose, through a real host and a fake OpenAI
// provider on loopback: JSON in a code fence or after a sentence is read;
// an unusable answer is corrected once (the second request carries the
// answer and what was wrong); then the prose is read where it carries the
// answer (a summary is text, a route names an agent) or the agent follows
// its manifest's llm_fallback. Covers the three text agents, the routing
// supervisor and the reflection critique.
#include "fake_llm_server.hpp"
#include "test_host.hpp"

#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <vector>

using namespace agenthost::testing;
using Catch::Matchers::Contains;

namespace {

const std::string kAgents =
    R"({"sentiment":{"enabled":true},"summarizer":{"enabled":true},"entity_extractor":{"enabled":true}})";

FakeLlmServer& fake() {
    static FakeLlmServer server;
    return server;
}

std::string llm_section() {
    return R"("llm":{"provider":"openai","model":"gpt-test","max_retries":0,"timeout_seconds":2,)"
           R"("openai":{"api_key":"sk-test-prose","base_url":")" + fake().url("/v1") + R"("}})";
}

HostProcess& prose_host() {
    static HostProcess host(host_config(kAgents, llm_section()));
    return host;
}

// Reflection asks the provider to critique every result.
HostProcess& critique_host() {
    static HostProcess host(
        host_config(kAgents, llm_section() + R"(,"orchestration":{"llm_critique":true,"reflection_retries":0})"));
    return host;
}

rapidjson::Document parse(const std::string& text) {
    rapidjson::Document document;
    document.Parse(text.c_str());
    INFO(text);
    REQUIRE_FALSE(document.HasParseError());
    return document;
}

// The messages the host sent to the provider in request `index`.
std::vector<std::pair<std::string, std::string>> messages_of(size_t index) {
    auto request = parse(fake().requests().at(index).body);
    std::vector<std::pair<std::string, std::string>> messages;
    for (const auto& message : request["messages"].GetArray())
        messages.emplace_back(message["role"].GetString(), message["content"].GetString());
    return messages;
}

// Answers each request with the next of `answers` (the last one repeats).
void answer_in_turn(std::vector<std::string> answers) {
    fake().reset();
    auto next = std::make_shared<size_t>(0);
    fake().set_responder([answers, next](const FakeLlmRequest&) {
        const std::string& content = answers[std::min(*next, answers.size() - 1)];
        ++*next;
        return openai_reply(content, 10, 10);
    });
}

// Answers by what is asked: the system prompt names the job.
void answer_by_job(std::function<std::string(const std::string& system)> answer) {
    fake().reset();
    fake().set_responder([answer](const FakeLlmRequest& request) {
        rapidjson::Document body;
        body.Parse(request.body.c_str());
        return openai_reply(answer(body["messages"][0]["content"].GetString()), 10, 10);
    });
}

HttpResult invoke(HostProcess& host, const std::string& body) {
    HttpClient client(host.base_url());
    return client.post("/agent/invoke", body);
}

// Invokes and expects 200; returns the body.
rapidjson::Document succeeded(HostProcess& host, const std::string& body) {
    auto answer = invoke(host, body);
    INFO(answer.body);
    REQUIRE(answer.status == 200);
    return json_of(answer);
}

bool has_progress(HostProcess& host, const std::string& run_id, const std::string& text) {
    HttpClient client(host.base_url());
    for (const auto& event : fetch_events(client, run_id))
        if (event.type == "agent.progress" && event.data_json.find(text) != std::string::npos) return true;
    return false;
}

const std::string kText =
    "The checkout service failed for forty minutes on Monday. The office coffee machine was replaced the same day. "
    "Engineers traced the failures to a shrunken connection pool. Rolling back the change restored service.";
const std::string kSummarize =
    R"({"agent_name":"summarizer","task":")" + kText + R"(","context":{"max_sentences":2}})";

}  // namespace

TEST_CASE("summarizer: JSON in a fence after a sentence is read at once", "[llm][prose]") {
    answer_in_turn({"Here are the sentences I chose:\n```json\n{\"sentences\": [0, 3]}\n```\nLet me know!"});
    auto body = succeeded(prose_host(), kSummarize);
    CHECK(string_member(body["result"], "method") == "llm");
    CHECK(string_member(body["result"], "summary") ==
          "The checkout service failed for forty minutes on Monday. Rolling back the change restored service.");
    CHECK(fake().count() == 1);
}

TEST_CASE("summarizer: broken JSON is corrected once, and the corrected answer is used", "[llm][prose]") {
    answer_in_turn({"{\"sentences\": [0, 3", "{\"sentences\": [2, 3]}"});
    auto body = succeeded(prose_host(), kSummarize);
    CHECK(string_member(body["result"], "method") == "llm");
    REQUIRE(body["result"]["sentences"].Size() == 2);
    CHECK(body["result"]["sentences"][0]["index"].GetInt() == 2);
    REQUIRE(fake().count() == 2);
    // The correction shows the model its answer and says what was wrong.
    auto second = messages_of(1);
    REQUIRE(second.size() == 4);
    CHECK(second[2] == std::make_pair(std::string("assistant"), std::string("{\"sentences\": [0, 3")));
    CHECK(second[3].first == "user");
    CHECK_THAT(second[3].second, Contains("holds no JSON object"));
    CHECK_THAT(second[3].second, Contains("{\"sentences\": [the chosen sentence numbers]}"));
    CHECK(has_progress(prose_host(), string_member(body, "run_id"), "asking once more"));
}

TEST_CASE("summarizer: a summary in the model's own words is the summary", "[llm][prose]") {
    const std::string prose =
        "Summary:\nThe checkout service failed for forty minutes because of a shrunken connection pool; rolling back "
        "the change restored service.";
    answer_in_turn({prose});
    auto body = succeeded(prose_host(), kSummarize);
    const auto& result = body["result"];
    CHECK(string_member(result, "method") == "llm_prose");
    CHECK(string_member(result, "summary") ==
          "The checkout service failed for forty minutes because of a shrunken connection pool; rolling back the "
          "change restored service.");
    // The sentences it draws on, in text order; not the coffee machine.
    std::vector<int> indices;
    for (const auto& sentence : result["sentences"].GetArray()) indices.push_back(sentence["index"].GetInt());
    CHECK(indices == std::vector<int>{0, 3});
    CHECK(result["compression_ratio"].GetDouble() <= 1.0);
    CHECK(fake().count() == 2);
    CHECK(has_progress(prose_host(), string_member(body, "run_id"), "answered in prose"));
}

TEST_CASE("summarizer: prose that cites sentence numbers picks those sentences", "[llm][prose]") {
    // The last two as an outsider's fake model wrote them: the first failed
    // the run ("the answer holds no JSON object").
    for (const char* prose : {"The most important ones are sentences 3 and 0.", "The best sentences are 0 and 3.",
                              "Sentence numbers: 0, 3"}) {
        answer_in_turn({prose, prose});
        auto body = succeeded(prose_host(), kSummarize);
        INFO(prose);
        CHECK(string_member(body["result"], "method") == "llm");
        CHECK(string_member(body["result"], "summary") ==
              "The checkout service failed for forty minutes on Monday. Rolling back the change restored service.");
    }
}

TEST_CASE("summarizer: prose that carries no summary fails as its manifest says, naming why", "[llm][prose]") {
    answer_in_turn({"I'm sorry, I can't help with that request."});
    auto body = error_envelope(invoke(prose_host(), kSummarize), 500, "AgentFailed");
    CHECK_THAT(std::string(body["message"].GetString()), Contains("asked twice"));
    CHECK_THAT(std::string(body["message"].GetString()), Contains("holds no JSON object"));
    CHECK(fake().count() == 2);
}

TEST_CASE("sentiment: JSON after leading prose is the answer", "[llm][prose]") {
    answer_in_turn({"Sure! Here is my classification: {\"label\": \"negative\", \"score\": -0.7, \"confidence\": 0.8, "
                    "\"positive_words\": [], \"negative_words\": [\"broken\"]} I hope this helps."});
    auto body = succeeded(prose_host(), R"({"agent_name":"sentiment","task":"The release is broken."})");
    CHECK(string_member(body["result"], "method") == "llm");
    CHECK(string_member(body["result"], "label") == "negative");
    CHECK(fake().count() == 1);
}

TEST_CASE("sentiment: prose twice falls back to the lexicon (manifest: offline)", "[llm][prose]") {
    answer_in_turn({"The text sounds rather happy to me."});
    auto body = succeeded(prose_host(), R"({"agent_name":"sentiment","task":"We are delighted with the excellent support."})");
    CHECK_FALSE(body["result"].HasMember("method"));
    CHECK(string_member(body["result"], "label") == "positive");
    CHECK(fake().count() == 2);
    CHECK(has_progress(prose_host(), string_member(body, "run_id"), "used the offline algorithm"));
}

TEST_CASE("entity extractor: a fenced answer after prose gives the names", "[llm][prose]") {
    answer_in_turn({"I found these:\n```\n{\"entities\": [{\"type\": \"person\", \"text\": \"Jane Smith\"}]}\n```"});
    auto body = succeeded(prose_host(), R"({"agent_name":"entity_extractor","task":"Jane Smith joined in May."})");
    CHECK(string_member(body["result"], "method") == "llm");
    REQUIRE(body["result"]["entities"].Size() >= 1);
    CHECK(string_member(body["result"]["entities"][0], "text") == "Jane Smith");
    CHECK(fake().count() == 1);
}

TEST_CASE("routing: a supervisor answer in prose naming one agent routes there", "[llm][prose][routing]") {
    answer_by_job([](const std::string& system) -> std::string {
        if (system.find("routing supervisor") != std::string::npos)
            return "This is about how customers feel, so the sentiment agent fits best.";
        return R"({"label":"neutral","score":0,"confidence":0.6,"positive_words":[],"negative_words":[]})";
    });
    // BM25 alone would pick the summarizer for this task.
    auto body = succeeded(prose_host(), R"({"task":"Summarize this quarterly report for the board",)"
                                       R"("context":{"text":"Revenue grew. Costs fell."}})");
    HttpClient client(prose_host().base_url());
    auto run = fetch_run(client, string_member(body, "run_id"));
    CHECK(string_member(run, "agent") == "sentiment");
    REQUIRE(run["routing"].IsObject());
    CHECK(string_member(run["routing"], "method") == "llm");
    CHECK_THAT(string_member(run["routing"], "reason"), Contains("prose"));
}

TEST_CASE("reflection: a critique in a fence after prose is heeded", "[llm][prose][reflection]") {
    answer_by_job([](const std::string& system) -> std::string {
        if (system.find("You review the output") != std::string::npos)
            return "My verdict:\n```json\n{\"acceptable\": false, \"reasons\": [\"the label ignores the outage\"]}\n```";
        return R"({"label":"neutral","score":0,"confidence":0.6,"positive_words":[],"negative_words":[]})";
    });
    auto answer = invoke(critique_host(), R"({"agent_name":"sentiment","task":"The outage lasted an hour."})");
    auto body = error_envelope(answer, 500, "AgentFailed");
    CHECK_THAT(std::string(body["message"].GetString()), Contains("critique: the label ignores the outage"));
}

TEST_CASE("reflection: an unreadable critique is corrected once, then skipped", "[llm][prose][reflection]") {
    answer_by_job([](const std::string& system) -> std::string {
        if (system.find("You review the output") != std::string::npos) return "Looks fine to me overall.";
        return R"({"label":"neutral","score":0,"confidence":0.6,"positive_words":[],"negative_words":[]})";
    });
    auto answer = invoke(critique_host(), R"({"agent_name":"sentiment","task":"The outage lasted an hour."})");
    INFO(answer.body);
    REQUIRE(answer.status == 200);
    // The agent's call, the critique and its one correction.
    REQUIRE(fake().count() == 3);
    auto correction = messages_of(2);
    REQUIRE(correction.size() == 4);
    CHECK(correction[2].second == "Looks fine to me overall.");
    CHECK_THAT(correction[3].second, Contains("\"acceptable\""));
}
