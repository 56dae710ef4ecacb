#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "lexicon.hpp"
#include "modifiers.hpp"

TEST_CASE("the lexicon has several hundred distinct lower-case words", "[lexicon]") {
    const auto& entries = sentiment::lexicon();
    CHECK(entries.size() >= 500);
    std::set<std::string_view> words;
    for (const auto& entry : entries) {
        CAPTURE(entry.word);
        CHECK(words.insert(entry.word).second);
        CHECK(entry.word.find_first_not_of("abcdefghijklmnopqrstuvwxyz") == std::string_view::npos);
        CHECK(entry.valence != 0.0);
        CHECK(entry.valence >= -4.0);
        CHECK(entry.valence <= 4.0);
    }
}

TEST_CASE("the lexicon knows product and operations vocabulary", "[lexicon]") {
    for (const char* word : {"excellent", "reliable", "love", "fast", "smooth", "intuitive", "resolved"}) {
        CAPTURE(word);
        REQUIRE(sentiment::valence_of(word));
        CHECK(*sentiment::valence_of(word) > 0.0);
    }
    for (const char* word : {"outage", "crash", "slow", "broken", "hate", "disappointed", "downtime", "buggy"}) {
        CAPTURE(word);
        REQUIRE(sentiment::valence_of(word));
        CHECK(*sentiment::valence_of(word) < 0.0);
    }
    CHECK(*sentiment::valence_of("excellent") > *sentiment::valence_of("good"));
    CHECK(*sentiment::valence_of("worst") < *sentiment::valence_of("bad"));
    CHECK_FALSE(sentiment::valence_of("database"));
    CHECK_FALSE(sentiment::valence_of("Excellent"));
}

TEST_CASE("modifier words carry no sentiment of their own", "[lexicon][modifiers]") {
    for (const auto& entry : sentiment::lexicon()) {
        CAPTURE(entry.word);
        CHECK_FALSE(sentiment::booster_of(entry.word));
        CHECK(sentiment::negation_of(entry.word) == sentiment::Negation::none);
        CHECK_FALSE(sentiment::is_contrast(entry.word));
    }
}

TEST_CASE("negators, boosters and contrast words are recognised", "[modifiers]") {
    for (const char* word : {"not", "never", "no", "without", "don't", "wasn't", "dont", "cannot"})
        CHECK(sentiment::negation_of(word) == sentiment::Negation::full);
    for (const char* word : {"hardly", "rarely"}) CHECK(sentiment::negation_of(word) == sentiment::Negation::partial);
    CHECK(sentiment::negation_of("note") == sentiment::Negation::none);
    CHECK(*sentiment::booster_of("very") > 0.0);
    CHECK(*sentiment::booster_of("extremely") > 0.0);
    CHECK(*sentiment::booster_of("slightly") < 0.0);
    CHECK(*sentiment::booster_of("barely") < 0.0);
    CHECK_FALSE(sentiment::booster_of("server"));
    CHECK(sentiment::is_contrast("but"));
    CHECK(sentiment::is_contrast("however"));
}
