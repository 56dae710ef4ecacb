// The offline provider does exactly what README "LLM providers" promises,
// and the service picks providers and models per agent as configured.
#include "llm/llm_service.hpp"
#include "llm/llm_settings.hpp"
#include "llm/offline_provider.hpp"

#include <catch2/catch.hpp>
#include <rapidjson/document.h>

#include <string>
#include <vector>

using namespace agenthost::llm;

namespace {

CompletionRequest ask(const std::string& user, int max_tokens = 0, bool json_mode = false) {
    CompletionRequest request;
    request.messages = {{"system", "You are terse."}, {"user", "An older question."}, {"user", user}};
    request.max_tokens = max_tokens;
    request.json_mode = json_mode;
    return request;
}

}  // namespace

TEST_CASE("offline answers the first sentence of the last user message", "[llm][offline]") {
    OfflineProvider offline;
    auto response = offline.complete(ask("The  build\npassed. Then it failed again!"), {});
    CHECK(response.content == "The build passed.");
    CHECK(response.provider == "offline");
    CHECK(response.model == "offline");
    CHECK(response.finish_reason == "stop");
    // 3 (system) + 3 (first user) + 7 (last user) words in; 3 out.
    CHECK(response.usage.input_tokens == 13);
    CHECK(response.usage.output_tokens == 3);
    // Deterministic.
    CHECK(offline.complete(ask("The  build\npassed. Then it failed again!"), {}).content == response.content);
    CHECK(offline.complete(ask("No sentence end here"), {}).content == "No sentence end here");
    CHECK(offline.complete(ask("Version 1.5 shipped? Yes."), {}).content == "Version 1.5 shipped?");
}

TEST_CASE("offline honours max_tokens in words and says length", "[llm][offline]") {
    OfflineProvider offline;
    auto response = offline.complete(ask("one two three four five six.", 4), {});
    CHECK(response.content == "one two three four");
    CHECK(response.finish_reason == "length");
    CHECK(response.usage.output_tokens == 4);
}

TEST_CASE("offline JSON mode answers {\"text\": ...}", "[llm][offline]") {
    OfflineProvider offline;
    auto response = offline.complete(ask("Say \"hi\" now. More.", 0, true), {});
    rapidjson::Document json;
    json.Parse(response.content.c_str());
    REQUIRE_FALSE(json.HasParseError());
    CHECK(std::string(json["text"].GetString()) == "Say \"hi\" now.");
    CHECK(response.usage.output_tokens == 3);
}

TEST_CASE("offline streams word by word and the tokens rebuild the content", "[llm][offline]") {
    OfflineProvider offline;
    std::vector<std::string> tokens;
    auto response = offline.complete(ask("Streams are easy. Really."), [&](std::string_view token) { tokens.emplace_back(token); });
    CHECK(tokens == std::vector<std::string>{"Streams", " are", " easy."});
    std::string rebuilt;
    for (const auto& token : tokens) rebuilt += token;
    CHECK(rebuilt == response.content);
}

TEST_CASE("offline without a user message answers empty", "[llm][offline]") {
    OfflineProvider offline;
    CompletionRequest request;
    request.messages = {{"system", "nothing else"}};
    auto response = offline.complete(request, {});
    CHECK(response.content.empty());
    CHECK(response.usage.output_tokens == 0);
    CHECK(count_words("  a\tb\nc  ") == 3);
}

TEST_CASE("the service is offline and not configured by default", "[llm][service]") {
    LlmService service{LlmSettings{}};
    CHECK_FALSE(service.configured());
    CHECK_FALSE(service.configured("summarizer"));
    CHECK(service.choice().provider == "offline");
    CHECK(service.health().status == "not_configured");
    CHECK(service.problem().empty());
    auto response = service.complete(ask("Counted per agent. Yes."), "sentiment");
    CHECK(response.content == "Counted per agent.");
    service.complete(ask("Again."), "sentiment");
    AgentUsage usage = service.usage("sentiment");
    CHECK(usage.calls == 2);
    CHECK(usage.failures == 0);
    CHECK(usage.output_tokens == 4);
    CHECK(service.usage("summarizer").calls == 0);
}

TEST_CASE("per-agent overrides choose provider and model", "[llm][service]") {
    LlmSettings settings;
    settings.provider = "openai";
    settings.model = "host-model";
    settings.openai_base_url = "http://127.0.0.1:9/v1";
    settings.anthropic_api_key = "k";
    settings.agents["summarizer"] = {"anthropic", ""};
    settings.agents["sentiment"] = {"", "small-model"};
    settings.agents["entity_extractor"] = {"offline", ""};
    LlmService service(settings);
    CHECK(service.choice().provider == "openai");
    CHECK(service.choice().model == "host-model");
    CHECK(service.choice("summarizer").provider == "anthropic");
    CHECK(service.choice("summarizer").model == settings.anthropic_default_model);
    CHECK(service.choice("sentiment").provider == "openai");
    CHECK(service.choice("sentiment").model == "small-model");
    CHECK_FALSE(service.configured("entity_extractor"));
    CHECK(service.configured("other"));
}

TEST_CASE("anthropic without a key is a start-up problem; openai without one is not (local servers)", "[llm][service]") {
    LlmSettings settings;
    settings.provider = "anthropic";
    CHECK_THAT(LlmService(settings).problem(), Catch::Matchers::Contains("ANTHROPIC_API_KEY"));
    settings.provider = "openai";
    CHECK(LlmService(settings).problem().empty());
}

TEST_CASE("the config file's llm section fills the settings", "[llm][settings]") {
    rapidjson::Document llm;
    llm.Parse(R"({"provider":"anthropic","model":"m","anthropic":{"api_key":"k","base_url":"http://x","version":"v"},
                 "openai":{"base_url":"http://y/v1"},"timeout_seconds":2.5,"connect_timeout_seconds":0.5,
                 "max_retries":1,"retry_base_ms":20,"default_max_tokens":64,
                 "agents":{"summarizer":{"provider":"openai","model":"s"}}})");
    REQUIRE_FALSE(llm.HasParseError());
    LlmSettings settings;
    apply_config(settings, llm);
    CHECK(settings.provider == "anthropic");
    CHECK(settings.model == "m");
    CHECK(settings.anthropic_api_key == "k");
    CHECK(settings.anthropic_base_url == "http://x");
    CHECK(settings.anthropic_version == "v");
    CHECK(settings.openai_base_url == "http://y/v1");
    CHECK(settings.timeout_ms == 2500);
    CHECK(settings.connect_timeout_ms == 500);
    CHECK(settings.max_retries == 1);
    CHECK(settings.retry_base_ms == 20);
    CHECK(settings.default_max_tokens == 64);
    CHECK(settings.agents["summarizer"].provider == "openai");
    CHECK(settings.agents["summarizer"].model == "s");
}
