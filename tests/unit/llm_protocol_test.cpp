// What each provider puts on the wire and how it reads answers: OpenAI chat
// completions and Anthropic Messages, whole and streamed, and the service
// table's request JSON.
#include "llm/anthropic_provider.hpp"
#include "llm/openai_provider.hpp"
#include "llm/request_json.hpp"

#include "fake_llm_server.hpp"

#include <catch2/catch.hpp>
#include <rapidjson/document.h>

#include <string>
#include <vector>

using namespace agenthost::llm;
using Catch::Matchers::Contains;

namespace {

rapidjson::Document parse(const std::string& text) {
    rapidjson::Document document;
    document.Parse(text.c_str());
    REQUIRE_FALSE(document.HasParseError());
    return document;
}

CompletionRequest sample_request() {
    CompletionRequest request;
    request.model = "m-1";
    request.messages = {{"system", "Be brief."}, {"user", "Hello there."}, {"assistant", "Hi."}, {"user", "Again?"}};
    return request;
}

std::string joined(const std::vector<std::string>& chunks) {
    std::string all;
    for (const auto& chunk : chunks) all += chunk;
    return all;
}

}  // namespace

TEST_CASE("OpenAI request: model, messages in order, options only when asked", "[llm][openai]") {
    CompletionRequest request = sample_request();
    auto plain = parse(openai::request_body(request, false));
    CHECK(std::string(plain["model"].GetString()) == "m-1");
    REQUIRE(plain["messages"].Size() == 4);
    CHECK(std::string(plain["messages"][0]["role"].GetString()) == "system");
    CHECK(std::string(plain["messages"][3]["content"].GetString()) == "Again?");
    CHECK_FALSE(plain.HasMember("stream"));
    CHECK_FALSE(plain.HasMember("response_format"));
    CHECK_FALSE(plain.HasMember("max_tokens"));
    CHECK_FALSE(plain.HasMember("temperature"));

    request.json_mode = true;
    request.max_tokens = 50;
    request.temperature = 0;
    auto full = parse(openai::request_body(request, true));
    CHECK(std::string(full["response_format"]["type"].GetString()) == "json_object");
    CHECK(full["max_tokens"].GetInt() == 50);
    CHECK(full["temperature"].GetDouble() == 0);
    CHECK(full["stream"].GetBool());
    CHECK(full["stream_options"]["include_usage"].GetBool());
}

TEST_CASE("OpenAI answers: content, usage, model; malformed ones are refused", "[llm][openai]") {
    auto response = openai::parse_response(agenthost::testing::openai_reply("It works.", 12, 3, "gpt-x").body);
    CHECK(response.content == "It works.");
    CHECK(response.usage.input_tokens == 12);
    CHECK(response.usage.output_tokens == 3);
    CHECK(response.model == "gpt-x");
    CHECK(response.finish_reason == "stop");
    CHECK_THROWS_AS(openai::parse_response("{not json"), ProtocolError);
    CHECK_THROWS_AS(openai::parse_response(R"({"choices":[]})"), ProtocolError);
    CHECK_THROWS_AS(openai::parse_response(R"({"choices":[{"message":{"content":5}}]})"), ProtocolError);
    CHECK_THROWS_WITH(openai::parse_response(R"({"error":{"message":"quota"}})"), Contains("quota"));
}

TEST_CASE("OpenAI stream: tokens to the sink, usage from the last chunk, done at [DONE]", "[llm][openai]") {
    std::vector<std::string> tokens;
    auto decoder = openai::stream_decoder([&](std::string_view token) { tokens.emplace_back(token); });
    std::string stream = joined(agenthost::testing::openai_stream({"Hel", "lo", "!"}, 9, 3).chunks);
    for (size_t at = 0; at < stream.size(); at += 5) decoder->feed(std::string_view(stream).substr(at, 5));
    CHECK(decoder->done());
    CHECK(tokens == std::vector<std::string>{"Hel", "lo", "!"});
    CompletionResponse response = decoder->response();
    CHECK(response.content == "Hello!");
    CHECK(response.usage.input_tokens == 9);
    CHECK(response.usage.output_tokens == 3);
    CHECK(response.finish_reason == "stop");
    CHECK(decoder->delivered() == 3);

    auto broken = openai::stream_decoder({});
    CHECK_THROWS_AS(broken->feed("data: {oops\n\n"), ProtocolError);
    auto unfinished = openai::stream_decoder({});
    unfinished->feed("data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n");
    CHECK_FALSE(unfinished->done());
}

TEST_CASE("Anthropic request: system on top, max_tokens always, JSON mode as an instruction", "[llm][anthropic]") {
    CompletionRequest request = sample_request();
    auto body = parse(anthropic::request_body(request, false, 777));
    CHECK(std::string(body["model"].GetString()) == "m-1");
    CHECK(body["max_tokens"].GetInt() == 777);
    CHECK(std::string(body["system"].GetString()) == "Be brief.");
    REQUIRE(body["messages"].Size() == 3);
    for (const auto& message : body["messages"].GetArray()) CHECK(std::string(message["role"].GetString()) != "system");
    CHECK(std::string(body["messages"][0]["content"].GetString()) == "Hello there.");
    CHECK_FALSE(body.HasMember("stream"));

    request.json_mode = true;
    request.max_tokens = 20;
    auto streamed = parse(anthropic::request_body(request, true, 777));
    CHECK(streamed["max_tokens"].GetInt() == 20);
    CHECK(streamed["stream"].GetBool());
    CHECK_THAT(std::string(streamed["system"].GetString()), Contains(anthropic::kJsonInstruction));
    CHECK_FALSE(streamed.HasMember("response_format"));

    request.messages = {{"user", "only user"}};
    request.json_mode = false;
    CHECK_FALSE(parse(anthropic::request_body(request, false, 5)).HasMember("system"));
}

TEST_CASE("Anthropic answers and stream events decode; error events are refused", "[llm][anthropic]") {
    auto response = anthropic::parse_response(agenthost::testing::anthropic_reply("Done.", 20, 2, "claude-x").body);
    CHECK(response.content == "Done.");
    CHECK(response.usage.input_tokens == 20);
    CHECK(response.usage.output_tokens == 2);
    CHECK(response.model == "claude-x");
    CHECK(response.finish_reason == "end_turn");
    CHECK_THROWS_AS(anthropic::parse_response("[]"), ProtocolError);
    CHECK_THROWS_WITH(anthropic::parse_response(R"({"type":"error","error":{"type":"overloaded_error","message":"busy"}})"),
                      Contains("overloaded_error"));

    std::vector<std::string> tokens;
    auto decoder = anthropic::stream_decoder([&](std::string_view token) { tokens.emplace_back(token); });
    std::string stream = joined(agenthost::testing::anthropic_stream({"One", " two"}, 15, 4, "claude-x").chunks);
    for (size_t at = 0; at < stream.size(); at += 7) decoder->feed(std::string_view(stream).substr(at, 7));
    CHECK(decoder->done());
    CHECK(tokens == std::vector<std::string>{"One", " two"});
    CHECK(decoder->response().content == "One two");
    CHECK(decoder->response().usage.input_tokens == 15);
    CHECK(decoder->response().usage.output_tokens == 4);
    CHECK(decoder->response().model == "claude-x");

    auto failing = anthropic::stream_decoder({});
    CHECK_THROWS_AS(failing->feed("event: error\ndata: {\"type\":\"error\",\"error\":{\"message\":\"x\"}}\n\n"),
                    ProtocolError);
}

TEST_CASE("the service table's request JSON is checked field by field", "[llm][request]") {
    std::string error;
    auto request = parse_completion_request(
        R"({"messages":[{"role":"user","content":"hi"}],"model":"x","json_mode":true,"max_tokens":5,"temperature":0.5})",
        error);
    REQUIRE(request);
    CHECK(request->messages.size() == 1);
    CHECK(request->model == "x");
    CHECK(request->json_mode);
    CHECK(request->max_tokens == 5);
    CHECK(request->temperature == 0.5);

    for (const char* bad : {"", "[]", R"({"messages":[]})", R"({"messages":[{"role":"robot","content":"x"}]})",
                            R"({"messages":[{"role":"user"}]})", R"({"messages":[{"role":"user","content":"x"}],"max_tokens":0})",
                            R"({"messages":[{"role":"user","content":"x"}],"json_mode":"yes"})",
                            R"({"messages":[{"role":"user","content":"x"}],"temperature":9})"}) {
        INFO(bad);
        CHECK_FALSE(parse_completion_request(bad, error));
        CHECK_FALSE(error.empty());
    }
}

TEST_CASE("the response JSON carries content, usage with a total, provider and model", "[llm][request]") {
    CompletionResponse response;
    response.content = "a \"quoted\" answer";
    response.usage = {7, 2};
    response.provider = "anthropic";
    response.model = "m";
    response.finish_reason = "end_turn";
    auto json = parse(completion_response_json(response));
    CHECK(std::string(json["content"].GetString()) == "a \"quoted\" answer");
    CHECK(json["usage"]["input_tokens"].GetInt() == 7);
    CHECK(json["usage"]["output_tokens"].GetInt() == 2);
    CHECK(json["usage"]["total_tokens"].GetInt() == 9);
    CHECK(std::string(json["provider"].GetString()) == "anthropic");
    CHECK(std::string(json["finish_reason"].GetString()) == "end_turn");
}
