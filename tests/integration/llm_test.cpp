// LLM providers through a real host: a fake provider on loopback speaks
// OpenAI's chat completions and Anthropic's Messages (whole and streamed)
// from a script. Checked: what each provider is sent (path, headers, model,
// messages, JSON mode, stream options), results and usage (llm.usage events,
// llm_usage on /agents), llm.token events, retries after 429 with
// Retry-After, 500s until retries run out, a response slower than the
// timeout, malformed JSON, a stream cut in the middle, /health, the
// environment variables, per-agent overrides, that no key reaches the logs
// or the API, and that the text agents' results come from the provider.
#include "fake_llm_server.hpp"
#include "sse_client.hpp"
#include "test_host.hpp"

#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

using namespace agenthost::testing;
using namespace std::chrono_literals;
using Catch::Matchers::Contains;

namespace {

const std::string kOpenAiKey = "sk-test-OPENAI-secret-7f3a9c21";
const std::string kAnthropicKey = "sk-ant-test-ANTHROPIC-secret-4be81d";
const std::string kEnvKey = "sk-ant-ENV-secret-from-environment-93c2";
const std::string kAgents =
    R"({"llm_probe":{"enabled":true},"sentiment":{"enabled":true},"summarizer":{"enabled":true},"echo":{"enabled":true},)"
    R"("entity_extractor":{"enabled":true}})";

// Answers any request in the protocol its path names: a short completion,
// streamed when the body asks for a stream.
FakeLlmReply default_reply(const FakeLlmRequest& request) {
    bool stream = request.body.find("\"stream\":true") != std::string::npos;
    if (request.path == "/v1/messages")
        return stream ? anthropic_stream({"Hello", " from", " claude"}, 21, 3) : anthropic_reply("Hello from claude", 21, 3);
    return stream ? openai_stream({"Hello", " from", " gpt"}, 11, 3) : openai_reply("Hello from gpt", 11, 3);
}

FakeLlmServer& fake() {
    static FakeLlmServer server;
    return server;
}

void reset_fake() {
    fake().reset();
    fake().set_responder(default_reply);
}

// Fast retries (2 after the first, from 20 ms), a 1 s timeout.
std::string llm_section(const std::string& provider, const std::string& extra = "") {
    return R"("llm":{"provider":")" + provider + R"(","max_retries":2,"retry_base_ms":20,"timeout_seconds":1,)"
           R"("openai":{"api_key":")" + kOpenAiKey + R"(","base_url":")" + fake().url("/v1") + R"("},)"
           R"("anthropic":{"api_key":")" + kAnthropicKey + R"(","base_url":")" + fake().url() + R"("})" + extra + "}";
}

// OpenAI for everyone, but sentiment asks Anthropic with its own model.
HostProcess& openai_host() {
    static HostProcess host(
        host_config(kAgents, llm_section("openai", R"(,"model":"gpt-test","agents":{"sentiment":{"provider":"anthropic","model":"claude-sentiment"}})")),
        {"--log-level", "debug"});
    return host;
}

HostProcess& anthropic_host() {
    static HostProcess host(host_config(kAgents, llm_section("anthropic", R"(,"model":"claude-test","default_max_tokens":321)")),
                            {"--log-level", "debug"});
    return host;
}

HostProcess& offline_host() {
    static HostProcess host(host_config(kAgents));
    return host;
}

struct Provider {
    std::string name;
    HostProcess& (*host)();
    std::string path;
    std::string key;
};

std::vector<Provider> providers() {
    return {{"openai", &openai_host, "/v1/chat/completions", kOpenAiKey},
            {"anthropic", &anthropic_host, "/v1/messages", kAnthropicKey}};
}

std::string probe_body(const std::string& mode, const std::string& request_json) {
    return R"({"agent_name":"llm_probe","task":"probe","context":{"mode":")" + mode + R"(","request":)" + request_json + "}}";
}

const std::string kMessages =
    R"({"messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"Say hello."}]})";

rapidjson::Document parse_body(const std::string& body) {
    rapidjson::Document document;
    document.Parse(body.c_str());
    INFO("body: " << body);
    REQUIRE_FALSE(document.HasParseError());
    return document;
}

// POST /agent/invoke; returns the answer.
HttpResult invoke(HostProcess& host, const std::string& body) {
    HttpClient client(host.base_url());
    return client.post("/agent/invoke", body);
}

std::string joined_tokens(const std::vector<RunEventView>& events) {
    std::string text;
    for (const auto& event : events) {
        if (event.type != "llm.token") continue;
        text += string_member(parse_body(event.data_json), "token");
    }
    return text;
}

const RunEventView* last_event(const std::vector<RunEventView>& events, const std::string& type) {
    const RunEventView* found = nullptr;
    for (const auto& event : events)
        if (event.type == type) found = &event;
    return found;
}

}  // namespace

TEST_CASE("OpenAI: the request carries key, model and messages; the result and usage come back", "[llm]") {
    reset_fake();
    auto answer = invoke(openai_host(), probe_body("complete", kMessages));
    INFO(answer.body);
    REQUIRE(answer.status == 200);
    auto body = json_of(answer);
    const auto& result = body["result"];
    CHECK(std::string(result["response"]["content"].GetString()) == "Hello from gpt");
    CHECK(std::string(result["response"]["provider"].GetString()) == "openai");
    CHECK(std::string(result["response"]["model"].GetString()) == "fake-gpt");
    CHECK(result["response"]["usage"]["input_tokens"].GetInt() == 11);
    CHECK(result["response"]["usage"]["output_tokens"].GetInt() == 3);
    CHECK(result["response"]["usage"]["total_tokens"].GetInt() == 14);
    // The agent learns which provider serves it.
    CHECK(std::string(result["llm"]["provider"].GetString()) == "openai");
    CHECK(std::string(result["llm"]["model"].GetString()) == "gpt-test");
    CHECK(std::string(result["llm"]["fallback"].GetString()) == "fail");

    REQUIRE(fake().count() == 1);
    FakeLlmRequest sent = fake().requests()[0];
    CHECK(sent.method == "POST");
    CHECK(sent.path == "/v1/chat/completions");
    CHECK(sent.header("authorization") == "Bearer " + kOpenAiKey);
    CHECK(sent.header("content-type") == "application/json");
    auto request = parse_body(sent.body);
    CHECK(std::string(request["model"].GetString()) == "gpt-test");
    REQUIRE(request["messages"].Size() == 2);
    CHECK(std::string(request["messages"][0]["role"].GetString()) == "system");
    CHECK(std::string(request["messages"][0]["content"].GetString()) == "You are terse.");
    CHECK(std::string(request["messages"][1]["role"].GetString()) == "user");
    CHECK(std::string(request["messages"][1]["content"].GetString()) == "Say hello.");
    CHECK_FALSE(request.HasMember("stream"));
    CHECK_FALSE(request.HasMember("response_format"));

    // Usage is recorded with the run (an llm.usage event) ...
    HttpClient client(openai_host().base_url());
    auto events = fetch_events(client, body["run_id"].GetString());
    // ... after an llm.start that names the model the call used (it said
    // null when the plugin left the choice to the host).
    const RunEventView* start = last_event(events, "llm.start");
    REQUIRE(start != nullptr);
    auto started = parse_body(start->data_json);
    REQUIRE(started["model"].IsString());
    CHECK(std::string(started["model"].GetString()) == "gpt-test");
    CHECK(std::string(started["provider"].GetString()) == "openai");
    const RunEventView* usage = last_event(events, "llm.usage");
    REQUIRE(usage != nullptr);
    auto data = parse_body(usage->data_json);
    CHECK(std::string(data["provider"].GetString()) == "openai");
    CHECK(data["input_tokens"].GetInt() == 11);
    CHECK(data["output_tokens"].GetInt() == 3);
    CHECK(data["run"]["calls"].GetInt() == 1);
    CHECK(data["run"]["total_tokens"].GetInt() == 14);
    // ... and stored with the run itself.
    auto run = fetch_run(client, body["run_id"].GetString());
    REQUIRE(run.IsObject());
    REQUIRE(run["usage"].IsObject());
    CHECK(run["usage"]["calls"].GetInt() == 1);
    CHECK(run["usage"]["input_tokens"].GetInt() == 11);
    CHECK(run["usage"]["output_tokens"].GetInt() == 3);
    CHECK(run["usage"]["total_tokens"].GetInt() == 14);
}

TEST_CASE("usage adds up per agent on GET /agents/{name} and GET /agents", "[llm]") {
    reset_fake();
    HttpClient client(openai_host().base_url());
    auto before = json_of(client.get("/agents/llm_probe"));
    long long calls = before["llm_usage"]["calls"].GetInt64();
    long long input = before["llm_usage"]["input_tokens"].GetInt64();
    for (int i = 0; i < 2; ++i) REQUIRE(invoke(openai_host(), probe_body("complete", kMessages)).status == 200);
    auto after = json_of(client.get("/agents/llm_probe"));
    CHECK(after["llm_usage"]["calls"].GetInt64() == calls + 2);
    CHECK(after["llm_usage"]["input_tokens"].GetInt64() == input + 22);
    CHECK(std::string(after["llm"]["provider"].GetString()) == "openai");
    auto list = json_of(client.get("/agents"));
    CHECK(list["llm_usage"]["llm_probe"]["calls"].GetInt64() == calls + 2);
    CHECK(list["llm_usage"]["echo"]["calls"].GetInt64() == 0);
}

TEST_CASE("OpenAI JSON mode asks for response_format json_object", "[llm]") {
    reset_fake();
    auto answer = invoke(openai_host(), probe_body("complete", R"({"json_mode":true,"max_tokens":20,"messages":[{"role":"user","content":"JSON please"}]})"));
    REQUIRE(answer.status == 200);
    auto request = parse_body(fake().requests().at(0).body);
    CHECK(std::string(request["response_format"]["type"].GetString()) == "json_object");
    CHECK(request["max_tokens"].GetInt() == 20);
}

TEST_CASE("streaming in both protocols: tokens reach the plugin and llm.token events; usage from the stream", "[llm]") {
    for (const Provider& provider : providers()) {
        INFO(provider.name);
        reset_fake();
        auto answer = invoke(provider.host(), probe_body("stream", kMessages));
        INFO(answer.body);
        REQUIRE(answer.status == 200);
        auto body = json_of(answer);
        const auto& result = body["result"];
        std::string expected = provider.name == "openai" ? "Hello from gpt" : "Hello from claude";
        CHECK(std::string(result["response"]["content"].GetString()) == expected);
        std::string tokens;
        for (const auto& token : result["tokens"].GetArray()) tokens += token.GetString();
        CHECK(tokens == expected);
        CHECK(result["tokens"].Size() == 3);
        CHECK(result["response"]["usage"]["input_tokens"].GetInt() == (provider.name == "openai" ? 11 : 21));
        CHECK(result["response"]["usage"]["output_tokens"].GetInt() == 3);

        HttpClient client(provider.host().base_url());
        auto events = fetch_events(client, body["run_id"].GetString());
        CHECK(count_events(events, "llm.token") >= 1);
        CHECK(joined_tokens(events) == expected);

        REQUIRE(fake().count() == 1);
        FakeLlmRequest sent = fake().requests()[0];
        CHECK(sent.path == provider.path);
        CHECK(sent.header("accept") == "text/event-stream");
        auto request = parse_body(sent.body);
        CHECK(request["stream"].GetBool());
        if (provider.name == "openai") CHECK(request["stream_options"]["include_usage"].GetBool());
    }
}

// Seed 001's stream example: clients read "event" (LangChain's names) from
// each frame's JSON.
TEST_CASE("an LLM call streams as on_chat_model_start, on_chat_model_stream and on_chat_model_end", "[llm]") {
    const auto all = providers();  // outlives the reference below
    const Provider& provider = all[0];
    reset_fake();
    SseClient stream(provider.host().port(), "POST", "/agent/stream", probe_body("stream", kMessages));
    REQUIRE(stream.read_to_end(15s));
    std::vector<std::string> names;
    std::string streamed;
    for (const auto& frame : stream.frames()) {
        rapidjson::Document event;
        event.Parse(frame.data.c_str());
        if (event.HasParseError() || !event.IsObject() || !event.HasMember("event")) continue;
        names.emplace_back(event["event"].GetString());
        if (names.back() == "on_chat_model_stream") streamed += event["data"]["chunk"]["content"].GetString();
    }
    REQUIRE(names.size() >= 3);
    CHECK(names.front() == "on_chat_model_start");
    CHECK(names[1] == "on_chat_model_stream");
    CHECK(names.back() == "on_chat_model_end");
    CHECK(streamed == "Hello from gpt");
    CHECK(stream.frames().back().event == "done");
}

TEST_CASE("Anthropic: x-api-key, anthropic-version, system on top, max_tokens from config", "[llm]") {
    reset_fake();
    auto answer = invoke(anthropic_host(), probe_body("complete", kMessages));
    INFO(answer.body);
    REQUIRE(answer.status == 200);
    auto result = json_of(answer);
    CHECK(std::string(result["result"]["response"]["content"].GetString()) == "Hello from claude");
    CHECK(std::string(result["result"]["response"]["provider"].GetString()) == "anthropic");
    REQUIRE(fake().count() == 1);
    FakeLlmRequest sent = fake().requests()[0];
    CHECK(sent.path == "/v1/messages");
    CHECK(sent.header("x-api-key") == kAnthropicKey);
    CHECK(sent.header("anthropic-version") == "2023-06-01");
    CHECK_FALSE(sent.headers.count("authorization"));
    auto request = parse_body(sent.body);
    CHECK(std::string(request["model"].GetString()) == "claude-test");
    CHECK(request["max_tokens"].GetInt() == 321);
    CHECK(std::string(request["system"].GetString()) == "You are terse.");
    REQUIRE(request["messages"].Size() == 1);
    CHECK(std::string(request["messages"][0]["role"].GetString()) == "user");
    CHECK(std::string(request["messages"][0]["content"].GetString()) == "Say hello.");
}

TEST_CASE("a 429 with Retry-After is waited out, then the call succeeds", "[llm]") {
    for (const Provider& provider : providers()) {
        INFO(provider.name);
        reset_fake();
        fake().script({error_reply(429, {"Retry-After: 1"})});
        auto started = std::chrono::steady_clock::now();
        auto answer = invoke(provider.host(), probe_body("complete", kMessages));
        auto elapsed = std::chrono::steady_clock::now() - started;
        INFO(answer.body);
        CHECK(answer.status == 200);
        CHECK(fake().count() == 2);
        // Retry-After: 1 was honoured (the backoff alone would be ~20 ms).
        CHECK(elapsed >= 900ms);
    }
}

TEST_CASE("500s until the retries run out fail the run naming the provider and the last status", "[llm]") {
    for (const Provider& provider : providers()) {
        INFO(provider.name);
        reset_fake();
        fake().set_responder([](const FakeLlmRequest&) { return error_reply(500); });
        auto answer = invoke(provider.host(), probe_body("complete", kMessages));
        auto body = error_envelope(answer, 500, "AgentFailed");
        std::string message = body["message"].GetString();
        CHECK_THAT(message, Contains(provider.name + ": gave up after 3 attempts"));
        CHECK_THAT(message, Contains("HTTP 500"));
        CHECK(fake().count() == 3);
    }
}

TEST_CASE("a response slower than the timeout fails after the retries with a timeout error", "[llm]") {
    for (const Provider& provider : providers()) {
        INFO(provider.name);
        reset_fake();
        fake().set_responder([](const FakeLlmRequest& request) {
            FakeLlmReply reply = default_reply(request);
            reply.delay = 5000ms;  // the host's timeout is 1 s
            return reply;
        });
        auto started = std::chrono::steady_clock::now();
        auto answer = invoke(provider.host(), probe_body("complete", kMessages));
        auto elapsed = std::chrono::steady_clock::now() - started;
        auto body = error_envelope(answer, 500, "AgentFailed");
        CHECK_THAT(std::string(body["message"].GetString()), Contains("timed out"));
        CHECK(fake().count() == 3);
        // Three attempts of about 1 s each, never the 15 s the replies would take.
        CHECK(elapsed < 12s);
    }
}

TEST_CASE("malformed JSON from the provider fails the run at once", "[llm]") {
    for (const Provider& provider : providers()) {
        INFO(provider.name);
        reset_fake();
        FakeLlmReply broken;
        broken.body = "{\"choices\": [ this is not json";
        fake().script({broken});
        auto answer = invoke(provider.host(), probe_body("complete", kMessages));
        auto body = error_envelope(answer, 500, "AgentFailed");
        CHECK_THAT(std::string(body["message"].GetString()), Contains(provider.name + ": malformed response"));
        CHECK(fake().count() == 1);
    }
}

TEST_CASE("a stream cut in the middle fails the run and is not replayed", "[llm]") {
    for (const Provider& provider : providers()) {
        INFO(provider.name);
        reset_fake();
        fake().set_responder([](const FakeLlmRequest& request) {
            FakeLlmReply reply = default_reply(request);
            // Keep the opening and two tokens, then hang up.
            size_t keep = request.path == "/v1/messages" ? 5 : 3;
            reply.chunks.resize(keep);
            reply.cut = true;
            return reply;
        });
        auto answer = invoke(provider.host(), probe_body("stream", kMessages));
        auto body = error_envelope(answer, 500, "AgentFailed");
        std::string message = body["message"].GetString();
        CHECK_THAT(message, Contains(provider.name + ": the stream was cut after 2 tokens"));
        CHECK(fake().count() == 1);
    }
}

TEST_CASE("a stream that ends cleanly without its end marker is an incomplete answer", "[llm]") {
    reset_fake();
    fake().set_responder([](const FakeLlmRequest& request) {
        FakeLlmReply reply = default_reply(request);
        reply.chunks.resize(3);  // no [DONE], but a proper end of body
        return reply;
    });
    auto answer = invoke(openai_host(), probe_body("stream", kMessages));
    auto body = error_envelope(answer, 500, "AgentFailed");
    CHECK_THAT(std::string(body["message"].GetString()), Contains("without its end marker"));
}

TEST_CASE("a bad LLM request from a plugin is refused without calling the provider", "[llm]") {
    reset_fake();
    auto answer = invoke(openai_host(), probe_body("complete", R"({"messages":[{"role":"robot","content":"x"}]})"));
    auto body = error_envelope(answer, 500, "AgentFailed");
    CHECK_THAT(std::string(body["message"].GetString()), Contains("role must be system, user or assistant"));
    CHECK(fake().count() == 0);
}

TEST_CASE("the sentiment agent's result comes from the provider (a per-agent Anthropic override)", "[llm][agents]") {
    reset_fake();
    fake().set_responder([](const FakeLlmRequest&) {
        return anthropic_reply(R"({"label":"negative","score":-0.8,"confidence":0.9,"positive_words":[],"negative_words":["Broken","awful"]})",
                               40, 20);
    });
    const std::string text = "The release is broken and support was awful.";
    auto answer = invoke(openai_host(), R"({"agent_name":"sentiment","task":")" + text + "\"}");
    INFO(answer.body);
    REQUIRE(answer.status == 200);
    auto body = json_of(answer);
    const auto& result = body["result"];
    CHECK(std::string(result["method"].GetString()) == "llm");
    CHECK(std::string(result["label"].GetString()) == "negative");
    CHECK(result["score"].GetDouble() == Approx(-0.8));
    CHECK(result["confidence"].GetDouble() == Approx(0.9));
    REQUIRE(result["negative_words"].Size() == 2);
    CHECK(std::string(result["negative_words"][0].GetString()) == "broken");
    CHECK(std::string(result["model"].GetString()) == "claude-sentiment");

    REQUIRE(fake().count() == 1);
    FakeLlmRequest sent = fake().requests()[0];
    CHECK(sent.path == "/v1/messages");  // the override, not the host's openai
    auto request = parse_body(sent.body);
    CHECK(std::string(request["model"].GetString()) == "claude-sentiment");
    CHECK_THAT(std::string(request["system"].GetString()), Contains("sentiment"));
    CHECK(std::string(request["messages"][0]["content"].GetString()) == text);
}

TEST_CASE("sentiment falls back to its lexicon when the provider fails, as its manifest allows", "[llm][agents]") {
    reset_fake();
    fake().set_responder([](const FakeLlmRequest&) { return error_reply(503); });
    auto answer = invoke(openai_host(), R"({"agent_name":"sentiment","task":"We are delighted with the excellent support."})");
    INFO(answer.body);
    REQUIRE(answer.status == 200);
    auto body = json_of(answer);
    CHECK_FALSE(body["result"].HasMember("method"));
    CHECK(std::string(body["result"]["label"].GetString()) == "positive");
    CHECK(body["result"]["drivers"].Size() > 0);
    HttpClient client(openai_host().base_url());
    auto events = fetch_events(client, body["run_id"].GetString());
    bool explained = false;
    for (const auto& event : events)
        if (event.type == "agent.progress" && event.data_json.find("used the offline algorithm") != std::string::npos)
            explained = true;
    CHECK(explained);
    CHECK(count_events(events, "llm.error") == 1);
}

TEST_CASE("sentiment refuses an answer that breaks its shape and falls back", "[llm][agents]") {
    reset_fake();
    fake().set_responder([](const FakeLlmRequest&) { return anthropic_reply(R"({"label":"ecstatic","score":2})", 5, 5); });
    auto answer = invoke(openai_host(), R"({"agent_name":"sentiment","task":"Fine work overall."})");
    REQUIRE(answer.status == 200);
    CHECK_FALSE(json_of(answer)["result"].HasMember("method"));
}

const std::string kLongText =
    "The checkout service failed for forty minutes on Monday. The office coffee machine was replaced the same day. "
    "Engineers traced the failures to a shrunken connection pool. Rolling back the change restored service.";

TEST_CASE("the summarizer's sentences are the ones the provider chose", "[llm][agents]") {
    reset_fake();
    fake().set_responder([](const FakeLlmRequest&) { return openai_reply(R"({"sentences":[3,0]})", 80, 6); });
    auto answer = invoke(openai_host(),
                         R"({"agent_name":"summarizer","task":")" + kLongText + R"(","context":{"max_sentences":2}})");
    INFO(answer.body);
    REQUIRE(answer.status == 200);
    auto body = json_of(answer);
    const auto& result = body["result"];
    CHECK(std::string(result["method"].GetString()) == "llm");
    REQUIRE(result["sentences"].Size() == 2);
    CHECK(result["sentences"][0]["index"].GetInt() == 0);
    CHECK(result["sentences"][1]["index"].GetInt() == 3);
    CHECK(std::string(result["summary"].GetString()) ==
          "The checkout service failed for forty minutes on Monday. Rolling back the change restored service.");
    CHECK(result["original_sentence_count"].GetInt() == 4);

    auto request = parse_body(fake().requests().at(0).body);
    CHECK(std::string(request["model"].GetString()) == "gpt-test");
    CHECK(std::string(request["response_format"]["type"].GetString()) == "json_object");
    std::string user = request["messages"][1]["content"].GetString();
    CHECK_THAT(user, Contains("[1] The office coffee machine was replaced the same day."));
    CHECK_THAT(std::string(request["messages"][0]["content"].GetString()), Contains("at most 2"));
}

TEST_CASE("the summarizer fails its run when the provider fails (its manifest says fail)", "[llm][agents]") {
    reset_fake();
    fake().set_responder([](const FakeLlmRequest&) { return error_reply(500); });
    auto answer = invoke(openai_host(), R"({"agent_name":"summarizer","task":")" + kLongText + R"(","context":{"max_sentences":2}})");
    auto body = error_envelope(answer, 500, "AgentFailed");
    std::string message = body["message"].GetString();
    CHECK_THAT(message, Contains("summarizer: the LLM (openai) failed"));
    CHECK_THAT(message, Contains("HTTP 500"));
}

TEST_CASE("the summarizer refuses a choice of sentences that are not in the text", "[llm][agents]") {
    reset_fake();
    fake().set_responder([](const FakeLlmRequest&) { return openai_reply(R"({"sentences":[9]})", 8, 2); });
    auto answer = invoke(openai_host(), R"({"agent_name":"summarizer","task":")" + kLongText + R"(","context":{"max_sentences":2}})");
    auto body = error_envelope(answer, 500, "AgentFailed");
    CHECK_THAT(std::string(body["message"].GetString()), Contains("not in the text"));
}

TEST_CASE("the entity extractor takes names from the provider, placed verbatim, and patterns from its scanners", "[llm][agents]") {
    reset_fake();
    fake().set_responder([](const FakeLlmRequest&) {
        return openai_reply(R"({"entities":[{"type":"person","text":"Jane Smith"},{"type":"organization","text":"Acme Widgets"},)"
                            R"({"type":"location","text":"Atlantis"},{"type":"weapon","text":"Berlin"}]})",
                            60, 30);
    });
    const std::string text = "Jane Smith of Acme Widgets will visit Berlin on March 3, 2025. Write to jane@acme.example.";
    auto answer = invoke(openai_host(), R"({"agent_name":"entity_extractor","task":")" + text + "\"}");
    INFO(answer.body);
    REQUIRE(answer.status == 200);
    auto body = json_of(answer);
    const auto& result = body["result"];
    CHECK(std::string(result["method"].GetString()) == "llm");
    std::vector<std::string> found;
    for (const auto& entity : result["entities"].GetArray())
        found.push_back(std::string(entity["type"].GetString()) + ":" + entity["text"].GetString() + "@" +
                        std::to_string(entity["start"].GetInt()));
    // Atlantis is not in the text and "weapon" is no type: both dropped.
    CHECK(found == std::vector<std::string>{"person:Jane Smith@0", "organization:Acme Widgets@14", "date:March 3, 2025@48",
                                            "email:jane@acme.example@72"});
    CHECK(result["counts"]["location"].GetInt() == 0);
    auto request = parse_body(fake().requests().at(0).body);
    CHECK(std::string(request["messages"][1]["content"].GetString()) == text);
    CHECK_THAT(std::string(request["messages"][0]["content"].GetString()), Contains("person, organization, location"));
}

TEST_CASE("GET /health reports the provider healthy without degrading the host", "[llm][health]") {
    reset_fake();
    REQUIRE(invoke(openai_host(), probe_body("complete", kMessages)).status == 200);
    HttpClient client(openai_host().base_url());
    auto health = json_of(client.get("/health"));
    CHECK(std::string(health["llm"].GetString()) == "healthy");
    CHECK(std::string(health["components"]["llm"]["provider"].GetString()) == "openai");
    CHECK(std::string(health["components"]["llm"]["model"].GetString()) == "gpt-test");
    CHECK(std::string(health["status"].GetString()) == "healthy");
    CHECK(std::string(json_of(client.get("/api/v1/health"))["llm"].GetString()) == "healthy");
}

TEST_CASE("GET /health says unreachable when nothing listens at the provider's address", "[llm][health]") {
    int closed = free_port();
    HostProcess host(host_config(kAgents, R"("llm":{"provider":"openai","max_retries":0,"openai":{"base_url":"http://127.0.0.1:)" +
                                              std::to_string(closed) + R"(/v1","api_key":")" + kOpenAiKey + "\"}}"));
    HttpClient client(host.base_url());
    auto health = json_of(client.get("/health"));
    CHECK(std::string(health["llm"].GetString()) == "unreachable");
    CHECK(std::string(health["status"].GetString()) == "healthy");  // the LLM never degrades the host
    CHECK_THAT(json_text(health["components"]["llm"]), Contains("127.0.0.1"));
    // A call fails with a clear connection error and no key.
    auto answer = client.post("/agent/invoke", probe_body("complete", kMessages));
    auto body = error_envelope(answer, 500, "AgentFailed");
    CHECK_THAT(std::string(body["message"].GetString()), Contains("openai: gave up after 1 attempt"));
    CHECK_THAT(host.log(), !Contains(kOpenAiKey));
}

TEST_CASE("offline by default: deterministic answers, provider offline, health not_configured", "[llm][offline]") {
    HttpClient client(offline_host().base_url());
    auto answer = client.post("/agent/invoke",
                              probe_body("complete", R"({"messages":[{"role":"user","content":"First  sentence here. Second one."}]})"));
    INFO(answer.body);
    REQUIRE(answer.status == 200);
    auto body = json_of(answer);
    const auto& response = body["result"]["response"];
    CHECK(std::string(response["content"].GetString()) == "First sentence here.");
    CHECK(std::string(response["provider"].GetString()) == "offline");
    CHECK(response["usage"]["input_tokens"].GetInt() == 5);
    CHECK(response["usage"]["output_tokens"].GetInt() == 3);
    CHECK(std::string(body["result"]["llm"]["provider"].GetString()) == "offline");
    CHECK(std::string(json_of(client.get("/health"))["llm"].GetString()) == "not_configured");
    CHECK(fetch_run(client, body["run_id"].GetString())["usage"]["output_tokens"].GetInt() == 3);
    // A run that never called the LLM has no usage.
    auto echo = json_of(client.post("/agent/invoke", R"({"agent_name":"echo","task":"no llm here"})"));
    CHECK(fetch_run(client, echo["run_id"].GetString())["usage"].IsNull());

    // The text agents keep their own algorithms.
    auto summary = json_of(client.post("/agent/invoke", R"({"agent_name":"summarizer","task":")" + kLongText + "\"}"));
    CHECK(std::string(summary["result"]["method"].GetString()) == "textrank");
    auto streamed = json_of(client.post("/agent/invoke",
                                        probe_body("stream", R"({"messages":[{"role":"user","content":"Word by word."}]})")));
    CHECK(streamed["result"]["tokens"].Size() == 3);
}

TEST_CASE("the environment picks provider, model, key and base URL", "[llm][env]") {
    reset_fake();
    setenv("AGENTHOST_LLM_PROVIDER", "anthropic", 1);
    setenv("AGENTHOST_LLM_MODEL", "claude-from-env", 1);
    setenv("ANTHROPIC_API_KEY", kEnvKey.c_str(), 1);
    setenv("ANTHROPIC_BASE_URL", fake().url().c_str(), 1);
    std::unique_ptr<HostProcess> host;
    try {
        host = std::make_unique<HostProcess>(host_config(kAgents), std::vector<std::string>{"--log-level", "debug"});
    } catch (...) {
        for (const char* name : {"AGENTHOST_LLM_PROVIDER", "AGENTHOST_LLM_MODEL", "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL"})
            unsetenv(name);
        throw;
    }
    for (const char* name : {"AGENTHOST_LLM_PROVIDER", "AGENTHOST_LLM_MODEL", "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL"})
        unsetenv(name);
    auto answer = invoke(*host, probe_body("complete", kMessages));
    INFO(answer.body);
    REQUIRE(answer.status == 200);
    REQUIRE(fake().count() == 1);
    FakeLlmRequest sent = fake().requests()[0];
    CHECK(sent.path == "/v1/messages");
    CHECK(sent.header("x-api-key") == kEnvKey);
    CHECK(std::string(parse_body(sent.body)["model"].GetString()) == "claude-from-env");
    host->stop();
    CHECK_THAT(host->log(), !Contains(kEnvKey));
}

TEST_CASE("an unknown provider in the environment stops the host with a clear message", "[llm][env]") {
    setenv("AGENTHOST_LLM_PROVIDER", "gemini", 1);
    auto exited = run_host_to_exit(host_config(kAgents), {}, 20000ms);
    unsetenv("AGENTHOST_LLM_PROVIDER");
    CHECK(exited.exited);
    CHECK(exited.exit_code != 0);
    CHECK_THAT(exited.output, Contains("AGENTHOST_LLM_PROVIDER must be offline, openai or anthropic"));
}

TEST_CASE("no key ever reaches the logs or the API", "[llm][secrets]") {
    for (const Provider& provider : providers()) {
        INFO(provider.name);
        // A provider that echoes the key it was sent in its error body.
        reset_fake();
        fake().set_responder([](const FakeLlmRequest& request) {
            std::string sent = request.header("authorization") + " " + request.header("x-api-key");
            FakeLlmReply reply = error_reply(401);
            reply.body = R"({"error":{"message":"invalid key: )" + sent + R"("}})";
            return reply;
        });
        auto failed = error_envelope(invoke(provider.host(), probe_body("complete", kMessages)), 500, "AgentFailed");
        std::string message = failed["message"].GetString();
        CHECK_THAT(message, Contains("HTTP 401"));
        CHECK_THAT(message, Contains("[redacted]"));
        CHECK_THAT(message, !Contains(provider.key));
        HttpClient client(provider.host().base_url());
        std::string exposed;
        for (const char* path : {"/health", "/agents", "/agents/llm_probe", "/agents/sentiment", "/runs?limit=100", "/plugins"})
            exposed += client.get(path).body;
        CHECK_THAT(exposed, !Contains(kOpenAiKey));
        CHECK_THAT(exposed, !Contains(kAnthropicKey));
        std::string log = provider.host().log();
        CHECK_FALSE(log.empty());
        CHECK_THAT(log, Contains("llm call failed"));  // the failures above were logged ...
        CHECK_THAT(log, !Contains(kOpenAiKey));        // ... without either key
        CHECK_THAT(log, !Contains(kAnthropicKey));
    }
}
