#include <catch2/catch.hpp>
#include <textkit/words.hpp>

#include <string>
#include <vector>

namespace {

std::vector<std::string> lower_words(const std::string& text) {
    std::vector<std::string> words;
    for (const auto& word : textkit::split_words(text)) words.push_back(word.lower);
    return words;
}

}  // namespace

TEST_CASE("a review splits into lower-cased words without punctuation", "[words]") {
    CHECK(lower_words("The NEW router is fast, quiet and (mostly) reliable!") ==
          std::vector<std::string>{"the", "new", "router", "is", "fast", "quiet", "and", "mostly", "reliable"});
}

TEST_CASE("contractions keep their apostrophe, quotes around words do not", "[words]") {
    CHECK(
        lower_words("I don't think it's 'broken', but O'Brien’s team can’t say.") ==
        std::vector<std::string>{"i", "don't", "think", "it's", "broken", "but", "o'brien's", "team", "can't", "say"});
}

TEST_CASE("numbers keep their decimal point and thousands separator", "[words]") {
    CHECK(lower_words("Latency rose from 3.5 ms to 1,200 ms, i.e. a 340x jump.") ==
          std::vector<std::string>{"latency", "rose", "from", "3.5", "ms", "to", "1,200", "ms", "i", "e", "a", "340x",
                                   "jump"});
}

TEST_CASE("hyphens and dashes separate words; case is kept in the original", "[words]") {
    const auto words = textkit::split_words("Well-known issue — VERY annoying");
    REQUIRE(words.size() == 5);
    CHECK(words[0].text == "Well");
    CHECK(words[1].lower == "known");
    CHECK(words[3].text == "VERY");
    CHECK(words[3].lower == "very");
}

TEST_CASE("non-ASCII letters are part of words and left as they are", "[words][utf8]") {
    CHECK(lower_words("Das Frühstück war GROSSARTIG, très bien. 東京") ==
          std::vector<std::string>{"das", "frühstück", "war", "grossartig", "très", "bien", "東京"});
}

TEST_CASE("text without letters or digits has no words", "[words]") {
    CHECK(textkit::split_words("").empty());
    CHECK(textkit::split_words("  \n\t ... -- !? “ ” ").empty());
}
