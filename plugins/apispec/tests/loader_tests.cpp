// Reading JSON and YAML into one JSON value, and JSON pointers.
#include <catch2/catch.hpp>

#include <apispec/document_loader.hpp>
#include <apispec/errors.hpp>
#include <apispec/json_pointer.hpp>

using Catch::Matchers::Contains;
using apispec::load_document;
using apispec::SpecError;

TEST_CASE("YAML scalars get JSON types by the YAML 1.2 core rules", "[apispec][loader]") {
    const auto document = load_document(
        "a: 200\nb: '200'\nc: 1.5\nd: true\ne: yes\nf: ~\ng: \"3.0.3\"\nh: 3.0.3\ni: -7\nj: [1, x]\n'200': ok\n");
    CHECK(document["a"].IsInt64());
    CHECK(document["a"].GetInt64() == 200);
    CHECK(document["b"].IsString());  // quoted: a string, as response codes are
    CHECK(document["c"].GetDouble() == 1.5);
    CHECK(document["d"].IsTrue());
    CHECK(document["e"].IsString());  // YAML 1.1 "yes" is just a word in 1.2
    CHECK(document["f"].IsNull());
    CHECK(std::string(document["g"].GetString()) == "3.0.3");
    CHECK(std::string(document["h"].GetString()) == "3.0.3");
    CHECK(document["i"].GetInt64() == -7);
    CHECK(document["j"][1].IsString());
    CHECK(document.HasMember("200"));
}

TEST_CASE("YAML anchors and aliases are expanded", "[apispec][loader]") {
    const auto document = load_document("base: &b {type: string}\nuse: *b\n");
    CHECK(std::string(document["use"]["type"].GetString()) == "string");
}

TEST_CASE("JSON is read as JSON, keeping member order", "[apispec][loader]") {
    const auto document = load_document("  {\"z\": 1, \"a\": {\"b\": [true]}}");
    REQUIRE(document.IsObject());
    CHECK(std::string(document.MemberBegin()->name.GetString()) == "z");
    CHECK(document["a"]["b"][0].IsTrue());
}

TEST_CASE("text that does not parse is refused with line and column", "[apispec][loader]") {
    try {
        load_document("{\n  \"a\": 1,\n  \"b\": }\n");
        FAIL("expected SpecError");
    } catch (const SpecError& error) {
        CHECK_THAT(std::string(error.what()), Contains("line 3, column"));
    }
    try {
        load_document("a: [1, 2\nb: 3\n");
        FAIL("expected SpecError");
    } catch (const SpecError& error) {
        CHECK_THAT(std::string(error.what()), Contains("YAML does not parse at line"));
    }
    CHECK_THROWS_AS(load_document("   \n"), SpecError);
    CHECK_THROWS_AS(load_document("? [a, b]\n: 1\n"), SpecError);  // a key JSON cannot hold
}

TEST_CASE("JSON pointers escape and resolve as RFC 6901 says", "[apispec][loader]") {
    CHECK(apispec::child("/paths", "/pets/{id}") == "/paths/~1pets~1{id}");
    CHECK(apispec::child("", "a~b") == "/a~0b");
    CHECK(apispec::last_token("/paths/~1pets~1{id}") == "/pets/{id}");
    const auto document = load_document(R"({"paths": {"/pets": {"get": [10, 20]}}, "a~b": 1})");
    CHECK(apispec::resolve_pointer(document, "/paths/~1pets/get/1")->GetInt() == 20);
    CHECK(apispec::resolve_pointer(document, "/a~0b")->GetInt() == 1);
    CHECK(apispec::resolve_pointer(document, "") == &document);
    CHECK(apispec::resolve_pointer(document, "/paths/~1pets/get/2") == nullptr);
    CHECK(apispec::resolve_pointer(document, "/nothing") == nullptr);
    CHECK(apispec::resolve_pointer(document, "paths") == nullptr);
}
