// Patterned entities in realistic paragraphs: what each scanner takes, its
// normalized form, and the look-alikes it must leave alone.
#include "test_support.hpp"

#include <catch2/catch.hpp>

using namespace entity_extractor;
using namespace entity_extractor::testing;

namespace {

void check_entity(const std::vector<Entity>& entities, EntityType type, std::string_view text, std::size_t start,
                  std::string_view normalized) {
    Entity entity = require(entities, type, text);
    CHECK(entity.start == start);
    CHECK(entity.end == start + text.size());  // these paragraphs are ASCII up to each entity
    CHECK(entity.normalized == normalized);
}

}  // namespace

TEST_CASE("emails and URLs in a support notice", "[patterns]") {
    const char* text =
        "Questions about the beta go to Support@Example.COM or to j.doe+beta@mail.example.co.uk. Release notes "
        "are at https://example.com/releases/v2.1?lang=en#notes, mirrored at www.example.org/notes (see "
        "http://en.wikipedia.org/wiki/Beta_(software)). Do not write to @example.com or jane@localhost, and "
        "ignore the file name report.v2.";
    std::vector<Entity> entities = extract(text);
    REQUIRE(entities.size() == 5);
    check_entity(entities, EntityType::email, "Support@Example.COM", 31, "support@example.com");
    check_entity(entities, EntityType::email, "j.doe+beta@mail.example.co.uk", 57, "j.doe+beta@mail.example.co.uk");
    // Trailing sentence punctuation stays out; brackets the URL opened stay in.
    check_entity(entities, EntityType::url, "https://example.com/releases/v2.1?lang=en#notes", 109, "");
    check_entity(entities, EntityType::url, "www.example.org/notes", 170, "");
    check_entity(entities, EntityType::url, "http://en.wikipedia.org/wiki/Beta_(software)", 197, "");
}

TEST_CASE("dates written every common way in a contract", "[patterns]") {
    const char* text =
        "The contract was signed on 2024-03-15 and takes effect on 01/04/2024. Payments are due March 31, 2024, "
        "then on the 30th of June, 2024, and finally on Sept. 30th. The review happens in December 2024 and the "
        "audit on Friday, 15 March 2024. The clause dated 2023-02-29 is void, as is 31/04/2024. Version 2.0.24 "
        "and the range 10-12 are not dates.";
    std::vector<Entity> entities = extract(text);
    REQUIRE(entities.size() == 7);
    check_entity(entities, EntityType::date, "2024-03-15", 27, "2024-03-15");
    check_entity(entities, EntityType::date, "01/04/2024", 58, "2024-04-01");
    check_entity(entities, EntityType::date, "March 31, 2024", 87, "2024-03-31");
    check_entity(entities, EntityType::date, "30th of June, 2024", 115, "2024-06-30");
    check_entity(entities, EntityType::date, "Sept. 30th", 150, "--09-30");
    check_entity(entities, EntityType::date, "December 2024", 184, "2024-12");
    check_entity(entities, EntityType::date, "Friday, 15 March 2024", 215, "2024-03-15");

    SECTION("an ambiguous numeric date follows the configured order") {
        ExtractionOptions month_first;
        month_first.numeric_date_order = NumericDateOrder::month_first;
        std::vector<Entity> us_reading = extract(text, month_first);
        CHECK(require(us_reading, EntityType::date, "01/04/2024").normalized == "2024-01-04");
        CHECK(require(us_reading, EntityType::date, "2024-03-15").normalized == "2024-03-15");
    }
    SECTION("a part above 12 decides the order whatever the setting") {
        std::vector<Entity> both = extract("Filed 15/03/2024, amended 03/15/2024 and 15.03.2024.");
        REQUIRE(both.size() == 3);
        for (const Entity& date : both) CHECK(date.normalized == "2024-03-15");
    }
}

TEST_CASE("money in a funding announcement", "[patterns]") {
    const char* text =
        "The company raised $2.5 million in seed funding and €30 from each early backer, while the Japanese arm "
        "reported ¥1,200,000. Licences cost USD 500 a seat (or 450 EUR in Europe); the new plant will cost 2.5 "
        "million dollars, about £3bn less than planned, and snacks cost 50 cents. The board approved US$1,200.50 "
        "for travel. Room 2024 seats 30 people.";
    std::vector<Entity> entities = extract(text);
    std::vector<Entity> money = of_type(entities, EntityType::money);
    REQUIRE(money.size() == 9);
    check_entity(entities, EntityType::money, "$2.5 million", 19, "2500000 USD");
    CHECK(require(entities, EntityType::money, "€30").normalized == "30 EUR");
    CHECK(require(entities, EntityType::money, "¥1,200,000").normalized == "1200000 JPY");
    CHECK(require(entities, EntityType::money, "USD 500").normalized == "500 USD");
    CHECK(require(entities, EntityType::money, "450 EUR").normalized == "450 EUR");
    CHECK(require(entities, EntityType::money, "2.5 million dollars").normalized == "2500000 USD");
    CHECK(require(entities, EntityType::money, "£3bn").normalized == "3000000000 GBP");
    CHECK(require(entities, EntityType::money, "50 cents").normalized == "0.50 USD");
    CHECK(require(entities, EntityType::money, "US$1,200.50").normalized == "1200.50 USD");
    CHECK_FALSE(contains_text(entities, "2024"));
    CHECK_FALSE(contains_text(entities, "30"));
}

TEST_CASE("percentages in an economic summary", "[patterns]") {
    const char* text =
        "Unemployment fell to 3.5 percent in May, down from 4%, while inflation rose 0.3 per cent. Margins moved "
        "by -2.5% to 12 % and the 10-15% range held. Sales grew 7 pct.";
    std::vector<Entity> entities = extract(text);
    REQUIRE(entities.size() == 7);
    check_entity(entities, EntityType::percentage, "3.5 percent", 21, "3.5");
    check_entity(entities, EntityType::percentage, "4%", 51, "4");
    check_entity(entities, EntityType::percentage, "0.3 per cent", 76, "0.3");
    check_entity(entities, EntityType::percentage, "-2.5%", 107, "-2.5");
    check_entity(entities, EntityType::percentage, "12 %", 116, "12");
    check_entity(entities, EntityType::percentage, "15%", 132, "15");  // the hyphen joins a range, it is no sign
    check_entity(entities, EntityType::percentage, "7 pct", 159, "7");
}

TEST_CASE("phone numbers in a contact page, and digit runs that are not phones", "[patterns]") {
    const char* text =
        "Call our US desk on (415) 555-0100 or 415.555.0199, the toll-free line 1-800-555-0199, or London on +44 "
        "20 7946 0958 and 020 7946 0000. Berlin: +49 (0)30 1234567, ext. 204. Our order number 2024-0012-3344, "
        "the year 2023, the IP 10.0.0.1, invoice 4155550100 and the local extension 555-0100 are not phone "
        "numbers.";
    std::vector<Entity> entities = extract(text);
    REQUIRE(of_type(entities, EntityType::phone).size() == 6);
    check_entity(entities, EntityType::phone, "(415) 555-0100", 20, "4155550100");
    check_entity(entities, EntityType::phone, "415.555.0199", 38, "4155550199");
    check_entity(entities, EntityType::phone, "1-800-555-0199", 71, "18005550199");
    check_entity(entities, EntityType::phone, "+44 20 7946 0958", 100, "+442079460958");
    check_entity(entities, EntityType::phone, "020 7946 0000", 121, "02079460000");
    // The "(0)" trunk prefix is not dialled from abroad; the extension is kept.
    check_entity(entities, EntityType::phone, "+49 (0)30 1234567, ext. 204", 144, "+49301234567;ext=204");
}

TEST_CASE("entities do not match inside each other", "[patterns]") {
    const char* text =
        "Download the 2024 report from https://example.com/reports/2024-03-15/call-415-555-0100.pdf or email "
        "reports+2024@example.com by 15 March 2024. It cost $5 on 2024-03-15.";
    std::vector<Entity> entities = extract(text);
    REQUIRE(entities.size() == 5);
    check_entity(entities, EntityType::url, "https://example.com/reports/2024-03-15/call-415-555-0100.pdf", 30, "");
    check_entity(entities, EntityType::email, "reports+2024@example.com", 100, "reports+2024@example.com");
    check_entity(entities, EntityType::date, "15 March 2024", 128, "2024-03-15");
    check_entity(entities, EntityType::money, "$5", 151, "5 USD");
    check_entity(entities, EntityType::date, "2024-03-15", 157, "2024-03-15");

    SECTION("a URL still claims its digits when only phones and dates are wanted") {
        ExtractionOptions options;
        options.types = EntityTypeSet{};
        options.types.insert(EntityType::phone);
        options.types.insert(EntityType::date);
        std::vector<Entity> filtered = extract(text, options);
        REQUIRE(filtered.size() == 2);
        CHECK(filtered[0].text == "15 March 2024");
        CHECK(filtered[1].text == "2024-03-15");
    }
}
