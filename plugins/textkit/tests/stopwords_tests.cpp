#include <catch2/catch.hpp>
#include <textkit/stopwords.hpp>
#include <textkit/words.hpp>

#include <string>
#include <vector>

TEST_CASE("function words are stopwords, topic words are not", "[stopwords]") {
    for (const char* word : {"the", "and", "is", "of", "was", "they", "don't", "wouldn't", "very", "also"})
        CHECK(textkit::is_stopword(word));
    for (const char* word : {"database", "outage", "engineers", "restored", "excellent", "battery"})
        CHECK_FALSE(textkit::is_stopword(word));
}

TEST_CASE("filtering stopwords from a sentence leaves its content words", "[stopwords]") {
    std::vector<std::string> content;
    for (const auto& word : textkit::split_words("The engineers said that they would restore the database by noon."))
        if (!textkit::is_stopword(word.lower)) content.push_back(word.lower);
    CHECK(content == std::vector<std::string>{"engineers", "said", "restore", "database", "noon"});
}

TEST_CASE("stopwords match lower-cased words only", "[stopwords]") { CHECK_FALSE(textkit::is_stopword("The")); }
