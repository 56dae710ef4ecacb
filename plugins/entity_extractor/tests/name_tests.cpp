// Capitalised names: how spans are cut and how they are classified.
#include "test_support.hpp"

#include <catch2/catch.hpp>

using namespace entity_extractor;
using namespace entity_extractor::testing;

TEST_CASE("titles and attribution mark people; titles are not part of the name", "[names]") {
    const char* text =
        "Yesterday Dr. Sarah Connor met Prime Minister Rishi Sunak and Apple CEO Tim Cook. \"We are ready,\" said "
        "Maria Lopez, who leads the team. Lopez later added that Ms. Okafor agreed.";
    std::vector<Entity> entities = extract(text);
    REQUIRE(entities.size() == 7);
    CHECK(require(entities, EntityType::person, "Sarah Connor").start == 14);
    CHECK(require(entities, EntityType::person, "Rishi Sunak").start == 46);
    CHECK(require(entities, EntityType::organization, "Apple").start == 62);
    CHECK(require(entities, EntityType::person, "Tim Cook").start == 72);
    CHECK(require(entities, EntityType::person, "Maria Lopez").start == 103);
    // A surname alone is a person once the full name was seen.
    CHECK(require(entities, EntityType::person, "Lopez").start == 136);
    CHECK(require(entities, EntityType::person, "Okafor").start == 163);
}

TEST_CASE("organisations by legal form, suffix, 'X of Y', '&' and short form", "[names]") {
    const char* text =
        "Acme Widgets Inc. and Globex Corporation formed a venture with the University of Cambridge, Bank of "
        "America and Procter & Gamble. Shares of Initech GmbH fell after the Federal Bureau of Investigation "
        "visited. Acme said the deal closes soon.";
    std::vector<Entity> entities = extract(text);
    REQUIRE(entities.size() == 8);
    for (const Entity& entity : entities) CHECK(entity.type == EntityType::organization);
    CHECK(entities[0].text == "Acme Widgets Inc.");
    CHECK(entities[1].text == "Globex Corporation");
    CHECK(entities[2].text == "University of Cambridge");  // not "Cambridge" the city
    CHECK(entities[3].text == "Bank of America");          // not "America" the country
    CHECK(entities[4].text == "Procter & Gamble");
    CHECK(entities[5].text == "Initech GmbH");
    CHECK(entities[6].text == "Federal Bureau of Investigation");
    CHECK(entities[7].text == "Acme");  // "Acme said" is the company, known from its full name
    CHECK(entities[7].start == 209);
}

TEST_CASE("places by gazetteer, prefix, suffix, preposition and 'Town, State'", "[names]") {
    const char* text =
        "The team flew from New York City to Zürich, then drove through Northern California and stayed in "
        "Springfield, Illinois, near Lake Tahoe. Later they met colleagues in The Hague and in São Paulo.";
    std::vector<Entity> entities = extract(text);
    std::vector<std::string> places;
    for (const Entity& entity : entities) {
        CHECK(entity.type == EntityType::location);
        places.push_back(entity.text);
    }
    CHECK(places == std::vector<std::string>{"New York City", "Zürich", "Northern California", "Springfield",
                                             "Illinois", "Lake Tahoe", "The Hague", "São Paulo"});
    CHECK(require(entities, EntityType::location, "São Paulo").start == 183);
}

TEST_CASE("sentence openers, weekdays, months and headings are not names", "[names]") {
    const char* text =
        "However, the plan failed. The Board met on Monday. Customers complained. Meanwhile Acme Corp recovered. "
        "In March, sales rose. PLEASE READ THE ATTACHED NOTES.";
    std::vector<Entity> entities = extract(text);
    REQUIRE(entities.size() == 1);
    CHECK(entities[0].type == EntityType::organization);
    CHECK(entities[0].text == "Acme Corp");
    CHECK(entities[0].start == 83);
}

TEST_CASE("possessives, initials, particles and hyphenated places", "[names]") {
    const char* text =
        "Mr Smith's car was parked outside. John F. Kennedy was born in Brookline, Massachusetts, and Ludwig van "
        "Beethoven lived in Vienna. The Zürich-based lab hired Jean-Luc Picard.";
    std::vector<Entity> entities = extract(text);
    CHECK(require(entities, EntityType::person, "Smith").start == 3);
    CHECK(require(entities, EntityType::person, "John F. Kennedy").start == 35);
    CHECK(contains(entities, EntityType::location, "Brookline"));
    CHECK(contains(entities, EntityType::location, "Massachusetts"));
    CHECK(contains(entities, EntityType::person, "Ludwig van Beethoven"));
    CHECK(contains(entities, EntityType::location, "Vienna"));
    CHECK(contains(entities, EntityType::location, "Zürich"));
    CHECK(contains(entities, EntityType::person, "Jean-Luc Picard"));
}

TEST_CASE("min_name_confidence trades recall for precision", "[names]") {
    const char* text = "Analysts in Quentaro praised Jane Smith.";
    std::vector<Entity> by_default = extract(text);
    REQUIRE(by_default.size() == 2);
    Entity place = require(by_default, EntityType::location, "Quentaro");  // only "in" says so
    CHECK(*place.confidence == Approx(0.5));

    ExtractionOptions strict;
    strict.min_name_confidence = 0.9;
    std::vector<Entity> strict_result = extract(text, strict);
    REQUIRE(strict_result.size() == 1);
    CHECK(strict_result[0].text == "Jane Smith");
}

TEST_CASE("'and' joins organisation words only, never two names", "[names]") {
    const char* text =
        "The U.S. Securities and Exchange Commission fined Deutsche Bank and Commerzbank, while regulators in "
        "Berlin and Munich stayed silent. Jane Smith and John Doe resigned.";
    std::vector<Entity> entities = extract(text);
    CHECK(require(entities, EntityType::organization, "U.S. Securities and Exchange Commission").start == 4);
    CHECK(contains(entities, EntityType::organization, "Deutsche Bank"));
    CHECK(contains(entities, EntityType::location, "Berlin"));
    CHECK(contains(entities, EntityType::location, "Munich"));
    CHECK(contains(entities, EntityType::person, "Jane Smith"));
    CHECK(contains(entities, EntityType::person, "John Doe"));
}

TEST_CASE("a full name no gazetteer lists is a person when it does what people do", "[names]") {
    // Found by an outside tester: "Satya Nadella leads Microsoft." gave
    // Microsoft alone.
    std::vector<Entity> entities = extract("Satya Nadella leads Microsoft. Elon Musk founded SpaceX in 2002.");
    CHECK(require(entities, EntityType::person, "Satya Nadella").start == 0);
    CHECK(require(entities, EntityType::person, "Elon Musk").start == 31);
    // The verb alone does not make one capitalised word a person, nor a
    // name with a legal form.
    for (const char* text : {"Nadella leads the team.", "Acme Widgets Inc. leads the market."}) {
        CAPTURE(text);
        for (const Entity& entity : extract(text)) CHECK(entity.type != EntityType::person);
    }
}
