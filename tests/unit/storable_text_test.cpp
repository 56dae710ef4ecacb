// Text the store can hold: UTF-8 without NUL, checked at the edge.
#include "json/storable_text.hpp"

#include <catch2/catch.hpp>
#include <rapidjson/document.h>

using agenthost::json::unstorable_strings;
using agenthost::json::unstorable_text_reason;

TEST_CASE("valid UTF-8 without NUL is storable", "[text]") {
    CHECK(std::string(unstorable_text_reason("plain ascii")).empty());
    CHECK(std::string(unstorable_text_reason("Grüße, 東京, 😀")).empty());
    CHECK(std::string(unstorable_text_reason("")).empty());
}

TEST_CASE("NUL, lone surrogates and broken UTF-8 are not", "[text]") {
    CHECK_FALSE(std::string(unstorable_text_reason(std::string("a\0b", 3))).empty());
    CHECK_FALSE(std::string(unstorable_text_reason("\xed\xb0\x80")).empty());  // U+DC00 as RapidJSON writes it
    CHECK_FALSE(std::string(unstorable_text_reason("\xed\xa0\x80")).empty());  // U+D800
    CHECK_FALSE(std::string(unstorable_text_reason("\xc0\xaf")).empty());      // overlong '/'
    CHECK_FALSE(std::string(unstorable_text_reason("\xe2\x82")).empty());      // truncated
    CHECK_FALSE(std::string(unstorable_text_reason("\xff")).empty());
    CHECK_FALSE(std::string(unstorable_text_reason("\xf4\x90\x80\x80")).empty());  // above U+10FFFF
}

TEST_CASE("every bad string in a document is named by its JSON Pointer", "[text]") {
    rapidjson::Document document;
    document.Parse(R"({"task":"ok","context":{"a/b":["fine","\udc00"],"\u0000key":"x"},"n":"\u0000"})");
    REQUIRE_FALSE(document.HasParseError());
    auto violations = unstorable_strings(document);
    REQUIRE(violations.size() == 3);
    CHECK(violations[0].field == "/context/a~1b/1");
    CHECK(violations[1].field == "/context/" + std::string(1, '\0') + "key");
    CHECK(violations[1].message.find("member name") == 0);
    CHECK(violations[2].field == "/n");
}
