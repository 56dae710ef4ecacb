#include <catch2/catch.hpp>
#include <textkit/json_answer.hpp>

#include <string>

using textkit::find_json_object;

TEST_CASE("a bare JSON object is the answer", "[json_answer]") {
    CHECK(find_json_object(" {\"a\": 1}\n") == std::string_view("{\"a\": 1}"));
}

TEST_CASE("an object inside a code fence, with or without a language tag, after prose", "[json_answer]") {
    CHECK(find_json_object("```json\n{\"sentences\": [3, 0]}\n```") == std::string_view("{\"sentences\": [3, 0]}"));
    CHECK(find_json_object("Here you go:\n```\n{\"a\": \"}\"}\n```\nHope it helps.") ==
          std::string_view("{\"a\": \"}\"}"));
    // A fence holding something else is skipped for one that holds the object.
    CHECK(find_json_object("```text\nnot json\n```\n```json\n{\"b\": 2}\n```") == std::string_view("{\"b\": 2}"));
}

TEST_CASE("an object after leading prose, braces in prose and strings notwithstanding", "[json_answer]") {
    CHECK(find_json_object("Sure! The answer is {\"label\": \"negative\", \"note\": \"{x}\"}. Thanks") ==
          std::string_view("{\"label\": \"negative\", \"note\": \"{x}\"}"));
    CHECK(find_json_object("Set {name} first, then: {\"agent\": \"summarizer\"}") ==
          std::string_view("{\"agent\": \"summarizer\"}"));
    // A stray opening brace that never closes does not hide the object.
    CHECK(find_json_object("a { stray brace; {\"ok\": true}") == std::string_view("{\"ok\": true}"));
}

TEST_CASE("no object: prose, broken JSON, an array, an empty answer", "[json_answer]") {
    CHECK_FALSE(find_json_object("The text is about an outage."));
    CHECK_FALSE(find_json_object("{\"sentences\": [1, 2"));
    CHECK_FALSE(find_json_object("[1, 2]"));
    CHECK_FALSE(find_json_object(""));
}

TEST_CASE("a hostile answer of many braces is read in bounded time", "[json_answer]") {
    std::string hostile(200000, '{');
    CHECK_FALSE(find_json_object(hostile));
    std::string unbalanced;
    for (int i = 0; i < 20000; ++i) unbalanced += "{x} ";
    CHECK_FALSE(find_json_object(unbalanced));
}

TEST_CASE("an object nested too deep is no answer, whatever its size", "[json_answer]") {
    std::string deep = "{\"a\": " + std::string(100000, '[') + std::string(100000, ']') + "}";
    CHECK_FALSE(find_json_object(deep));
    std::string fine = "{\"a\": " + std::string(60, '[') + std::string(60, ']') + "}";
    CHECK(find_json_object(fine) == std::string_view(fine));
}

TEST_CASE("prose_of drops fence markers and trims", "[json_answer]") {
    CHECK(textkit::prose_of("```text\nThe outage lasted forty minutes.\n```\n") == "The outage lasted forty minutes.");
    CHECK(textkit::prose_of("  plain  ") == "plain");
}

TEST_CASE("the corrective message names the problem and the shape", "[json_answer]") {
    std::string message = textkit::corrective_message("it is not JSON", "{\"a\": number}");
    CHECK(message.find("it is not JSON") != std::string::npos);
    CHECK(message.find("{\"a\": number}") != std::string::npos);
}
