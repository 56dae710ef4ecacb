#include "json/json_util.hpp"

#include <catch2/catch.hpp>

#include <string>

using agenthost::json::kind_of;
using agenthost::json::TextKind;

// kind_of checks a plugin's event data and result without building a
// document: it must accept and refuse exactly what parse does.
TEST_CASE("kind_of tells objects, other JSON and invalid text apart as parse would") {
    CHECK(kind_of(R"({"label":"positive","score":0.5})") == TextKind::object);
    CHECK(kind_of("  \n\t{}  ") == TextKind::object);
    CHECK(kind_of("[1,2]") == TextKind::other);
    CHECK(kind_of(R"("text")") == TextKind::other);
    CHECK(kind_of("42") == TextKind::other);
    CHECK(kind_of("null") == TextKind::other);
    CHECK(kind_of("") == TextKind::invalid);
    CHECK(kind_of("   ") == TextKind::invalid);
    CHECK(kind_of("{") == TextKind::invalid);
    CHECK(kind_of(R"({"a":1} trailing)") == TextKind::invalid);
    CHECK(kind_of(R"({"a":1}{"b":2})") == TextKind::invalid);
    CHECK(kind_of("{'a':1}") == TextKind::invalid);
    CHECK(kind_of(std::string("{\"a\":\"\xff\xfe\"}")) == TextKind::invalid);  // not UTF-8
    // A view that stops before the text's end is judged on what it holds.
    std::string longer = R"({"a":1}garbage)";
    CHECK(kind_of(std::string_view(longer).substr(0, 7)) == TextKind::object);
    // As deep as parse refuses.
    std::string deep(100000, '[');
    deep += std::string(100000, ']');
    std::string error;
    CHECK(!agenthost::json::parse(deep, error).has_value());
    CHECK(kind_of(deep) == TextKind::invalid);
    for (const char* text : {R"({"x":[1,{"y":null}]})", "[]", "{\"a\":}", "tru", "1e400", "\"\\ud800\""}) {
        INFO(text);
        std::string parse_error;
        bool parsed = agenthost::json::parse(text, parse_error).has_value();
        CHECK(parsed == (kind_of(text) != TextKind::invalid));
    }
}
