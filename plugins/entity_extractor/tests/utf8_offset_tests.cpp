// Offsets are Unicode code points, so clients slice with text[start:end] in
// Python (or Array.from(text).slice(start, end) in JavaScript) whatever
// characters come before the entity.
#include "code_point_offsets.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

using namespace entity_extractor;
using namespace entity_extractor::testing;

TEST_CASE("offsets count code points after accents, symbols and emoji", "[utf8]") {
    // "é", "à", "ü", "€" and "Å" take 2-3 bytes, the rocket 4; each is one code point.
    const std::string text =
        "Notre café à Zürich 🚀 a reçu 30 € de Jane Smith le 15 mars. Contact: anne@cafe.fr, +41 44 668 18 00, "
        "https://café.example/menu. Ångström Labs in Malmö paid €1.200 on 2024-03-15.";
    std::vector<Entity> entities = extract(text);

    struct Expected {
        EntityType type;
        const char* text;
        std::size_t start;
        std::size_t end;
    };
    const Expected expected[] = {
        {EntityType::location, "Zürich", 13, 19},
        {EntityType::money, "30 €", 29, 33},
        {EntityType::person, "Jane Smith", 37, 47},
        {EntityType::email, "anne@cafe.fr", 69, 81},
        {EntityType::phone, "+41 44 668 18 00", 83, 99},
        {EntityType::url, "https://café.example/menu", 101, 126},
        {EntityType::organization, "Ångström Labs", 128, 141},
        {EntityType::location, "Malmö", 145, 150},
        {EntityType::money, "€1.200", 156, 162},
        {EntityType::date, "2024-03-15", 166, 176},
    };
    REQUIRE(entities.size() == std::size(expected));
    for (std::size_t i = 0; i < entities.size(); ++i) {
        INFO(expected[i].text);
        CHECK(entities[i].type == expected[i].type);
        CHECK(entities[i].text == expected[i].text);
        CHECK(entities[i].start == expected[i].start);
        CHECK(entities[i].end == expected[i].end);
        CHECK(slice_code_points(text, entities[i].start, entities[i].end) == expected[i].text);
    }
    CHECK(require(entities, EntityType::money, "€1.200").normalized == "1200 EUR");  // continental grouping
}

TEST_CASE("names with letters outside ASCII are capitalised words like any other", "[utf8]") {
    const std::string text =
        "Ms. Åsa Öberg of Škoda Group met José García and Zoë Saldaña in São Paulo and Düsseldorf.";
    std::vector<Entity> entities = extract(text);
    CHECK(require(entities, EntityType::person, "Åsa Öberg").start == 4);
    CHECK(require(entities, EntityType::organization, "Škoda Group").start == 17);
    CHECK(require(entities, EntityType::person, "José García").start == 33);
    CHECK(contains(entities, EntityType::person, "Zoë Saldaña"));
    CHECK(contains(entities, EntityType::location, "São Paulo"));
    CHECK(contains(entities, EntityType::location, "Düsseldorf"));
}

TEST_CASE("malformed UTF-8 is scanned through, each bad byte counting as one character", "[utf8]") {
    // A stray continuation byte and an invalid lead byte, as Python's
    // errors="replace" decoding sees them: one U+FFFD each.
    const std::string text = "\x80\xff Jane Smith wrote to jane@example.com \xc3 on 2024-03-15.";
    std::vector<Entity> entities = extract_entities(text, ExtractionOptions{});
    REQUIRE(entities.size() == 3);
    CHECK(entities[0].text == "Jane Smith");
    CHECK(entities[0].start == 3);
    CHECK(entities[1].text == "jane@example.com");
    CHECK(entities[1].start == 23);
    CHECK(entities[2].text == "2024-03-15");
    CHECK(entities[2].start == 45);
}

TEST_CASE("the offset converter walks forward once", "[utf8]") {
    ForwardOffsetConverter offsets("añb€c🚀d");
    CHECK(offsets.to_code_points(0) == 0);
    CHECK(offsets.to_code_points(1) == 1);   // before "ñ"
    CHECK(offsets.to_code_points(3) == 2);   // before "b"
    CHECK(offsets.to_code_points(7) == 4);   // before "c"
    CHECK(offsets.to_code_points(12) == 6);  // before "d"
    CHECK_THROWS_AS(offsets.to_code_points(3), std::logic_error);
}
