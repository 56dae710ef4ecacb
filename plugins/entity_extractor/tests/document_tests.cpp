// Whole documents of the kinds the agent is meant for, with every entity
// found checked: type, text, code-point offsets and normalized form.
#include "test_support.hpp"

#include <catch2/catch.hpp>

using namespace entity_extractor;
using namespace entity_extractor::testing;

namespace {

struct Expected {
    EntityType type;
    const char* text;
    std::size_t start;
    std::size_t end;
    const char* normalized;
};

void check_exactly(const std::vector<Entity>& entities, const std::vector<Expected>& expected) {
    for (std::size_t i = 0; i < std::max(entities.size(), expected.size()); ++i) {
        INFO("entity #" << i);
        REQUIRE(i < entities.size());
        REQUIRE(i < expected.size());
        CHECK(entity_type_name(entities[i].type) == entity_type_name(expected[i].type));
        CHECK(entities[i].text == expected[i].text);
        CHECK(entities[i].start == expected[i].start);
        CHECK(entities[i].end == expected[i].end);
        CHECK(entities[i].normalized == expected[i].normalized);
    }
}

const char* const press_release = R"TEXT(SAN FRANCISCO, March 15, 2024 -- Acme Widgets Inc. today announced that it has agreed to acquire Zürich-based Helvetia Robotics AG for $1.2 billion in cash. The deal values Helvetia at roughly 12% above its closing price on 2024-03-14. "This is a milestone for Acme," said Jane Smith, chief executive of Acme Widgets Inc. Smith added that the company expects revenue to grow 3.5 percent in the next fiscal year, which begins 1 April 2024.

Dr. Hans Müller, founder of Helvetia Robotics, will join the board of Acme. The transaction is expected to close in the third quarter, subject to approval by the European Commission and regulators in Switzerland and the United States.

Media contact: Maria Lopez, press@acmewidgets.com, +1 415 555 0100. More information is available at https://www.acmewidgets.com/investors/2024-03-15.)TEXT";

const char* const incident_report = R"TEXT(INCIDENT REPORT #4471
Reported by: Tom Becker (Site Reliability), tom.becker@example.org, (415) 555-0134 ext. 22
Date: 03/04/2024

At 09:42 UTC on 3 March 2024 the payment gateway in the Frankfurt data centre began rejecting 37.5% of card transactions. Customers in Berlin and Munich reported failed payments of up to €2,500 each; the estimated revenue impact is USD 48,000. The on-call engineer, Priya Natarajan, escalated to Stripe support at 10:05 and opened ticket https://status.example.org/incidents/4471?ref=pager.

Root cause: an expired TLS certificate on gw-3.example.org. The certificate was renewed at 11:20 and error rates fell below 0.2 percent. Follow-up review is scheduled for Mar 8th with the Payments team in London. Escalation contacts: +44 20 7946 0958 (London office) and 020 7946 0999.)TEXT";

const char* const news_paragraph = R"TEXT(PARIS (Reuters) - French President Emmanuel Macron met German Chancellor Olaf Scholz in Paris on Tuesday, 12 September 2023, to discuss energy prices, which have risen by more than 40 percent since 2021. The two leaders agreed to fund a €3 billion hydrogen pipeline linking Marseille and Hamburg, according to a statement from the Élysée Palace. Officials from the European Central Bank and the International Monetary Fund also attended. Mr. Macron told reporters the project would create 15,000 jobs across Europe. Meanwhile, in New York City, shares of Siemens Energy AG rose 4.2% after Goldman Sachs raised its price target to $25.)TEXT";

}  // namespace

TEST_CASE("press release: company, deal terms, people, contact details", "[document]") {
    check_exactly(extract(press_release), {
        {EntityType::location, "SAN FRANCISCO", 0, 13, ""},
        {EntityType::date, "March 15, 2024", 15, 29, "2024-03-15"},
        {EntityType::organization, "Acme Widgets Inc.", 33, 50, ""},
        {EntityType::location, "Zürich", 97, 103, ""},
        {EntityType::organization, "Helvetia Robotics AG", 110, 130, ""},
        {EntityType::money, "$1.2 billion", 135, 147, "1200000000 USD"},
        {EntityType::organization, "Helvetia", 173, 181, ""},
        {EntityType::percentage, "12%", 193, 196, "12"},
        {EntityType::date, "2024-03-14", 224, 234, "2024-03-14"},
        {EntityType::organization, "Acme", 261, 265, ""},
        {EntityType::person, "Jane Smith", 273, 283, ""},
        {EntityType::organization, "Acme Widgets Inc.", 304, 321, ""},
        {EntityType::person, "Smith", 322, 327, ""},
        {EntityType::percentage, "3.5 percent", 375, 386, "3.5"},
        {EntityType::date, "1 April 2024", 425, 437, "2024-04-01"},
        {EntityType::person, "Hans Müller", 444, 455, ""},
        {EntityType::organization, "Helvetia Robotics", 468, 485, ""},
        {EntityType::organization, "Acme", 510, 514, ""},
        {EntityType::organization, "European Commission", 602, 621, ""},
        {EntityType::location, "Switzerland", 640, 651, ""},
        {EntityType::location, "United States", 660, 673, ""},
        {EntityType::person, "Maria Lopez", 691, 702, ""},
        {EntityType::email, "press@acmewidgets.com", 704, 725, "press@acmewidgets.com"},
        {EntityType::phone, "+1 415 555 0100", 727, 742, "+14155550100"},
        {EntityType::url, "https://www.acmewidgets.com/investors/2024-03-15", 777, 825, ""},
    });
}

TEST_CASE("incident report: contacts, times, amounts and places", "[document]") {
    // 03/04/2024 is read day first by default.
    check_exactly(extract(incident_report), {
        {EntityType::person, "Tom Becker", 35, 45, ""},
        {EntityType::email, "tom.becker@example.org", 66, 88, "tom.becker@example.org"},
        {EntityType::phone, "(415) 555-0134 ext. 22", 90, 112, "4155550134;ext=22"},
        {EntityType::date, "03/04/2024", 119, 129, "2024-04-03"},
        {EntityType::date, "3 March 2024", 147, 159, "2024-03-03"},
        {EntityType::location, "Frankfurt", 187, 196, ""},
        {EntityType::percentage, "37.5%", 225, 230, "37.5"},
        {EntityType::location, "Berlin", 266, 272, ""},
        {EntityType::location, "Munich", 277, 283, ""},
        {EntityType::money, "€2,500", 318, 324, "2500 EUR"},
        {EntityType::money, "USD 48,000", 363, 373, "48000 USD"},
        {EntityType::person, "Priya Natarajan", 397, 412, ""},
        {EntityType::url, "https://status.example.org/incidents/4471?ref=pager", 469, 520, ""},
        {EntityType::percentage, "0.2 percent", 647, 658, "0.2"},
        {EntityType::date, "Mar 8th", 694, 701, "--03-08"},
        {EntityType::location, "London", 728, 734, ""},
        {EntityType::phone, "+44 20 7946 0958", 757, 773, "+442079460958"},
        {EntityType::location, "London", 775, 781, ""},
        {EntityType::phone, "020 7946 0999", 794, 807, "02079460999"},
    });
}

TEST_CASE("news paragraph: politicians, institutions, places and markets", "[document]") {
    check_exactly(extract(news_paragraph), {
        {EntityType::location, "PARIS", 0, 5, ""},
        {EntityType::organization, "Reuters", 7, 14, ""},
        {EntityType::person, "Emmanuel Macron", 35, 50, ""},
        {EntityType::person, "Olaf Scholz", 73, 84, ""},
        {EntityType::location, "Paris", 88, 93, ""},
        {EntityType::date, "Tuesday, 12 September 2023", 97, 123, "2023-09-12"},
        {EntityType::percentage, "40 percent", 181, 191, "40"},
        {EntityType::money, "€3 billion", 237, 247, "3000000000 EUR"},
        {EntityType::location, "Marseille", 274, 283, ""},
        {EntityType::location, "Hamburg", 288, 295, ""},
        {EntityType::location, "Élysée Palace", 331, 344, ""},
        {EntityType::organization, "European Central Bank", 365, 386, ""},
        {EntityType::organization, "International Monetary Fund", 395, 422, ""},
        {EntityType::person, "Macron", 442, 448, ""},
        {EntityType::location, "Europe", 508, 514, ""},
        {EntityType::location, "New York City", 530, 543, ""},
        {EntityType::organization, "Siemens Energy AG", 555, 572, ""},
        {EntityType::percentage, "4.2%", 578, 582, "4.2"},
        {EntityType::organization, "Goldman Sachs", 589, 602, ""},
        {EntityType::money, "$25", 630, 633, "25 USD"},
    });
}

TEST_CASE("press release: names carry confidences, full names the highest", "[document]") {
    std::vector<Entity> entities = extract(press_release);
    CHECK(require(entities, EntityType::person, "Jane Smith").confidence == Approx(1.0));
    CHECK(require(entities, EntityType::organization, "Acme Widgets Inc.").confidence >= 0.9);
    for (const Entity& entity : entities)
        if (is_name_type(entity.type)) CHECK(*entity.confidence >= 0.5);
}

TEST_CASE("incident report: things that look like entities but are not", "[document]") {
    std::vector<Entity> entities = extract(incident_report);
    CHECK_FALSE(contains_text(entities, "INCIDENT REPORT"));
    CHECK_FALSE(contains_text(entities, "4471"));   // a ticket number, not a phone
    CHECK_FALSE(contains_text(entities, "UTC"));
    CHECK_FALSE(contains_text(entities, "TLS"));
    CHECK(of_type(entities, EntityType::phone).size() == 3);
}

TEST_CASE("a type filter keeps only the asked-for types but the same spans", "[document]") {
    ExtractionOptions options;
    options.types = EntityTypeSet{};
    options.types.insert(EntityType::phone);
    options.types.insert(EntityType::person);
    std::vector<Entity> entities = extract(press_release, options);
    REQUIRE(entities.size() == 5);
    CHECK(require(entities, EntityType::phone, "+1 415 555 0100").start == 727);
    CHECK(require(entities, EntityType::person, "Maria Lopez").start == 691);
    for (const Entity& entity : entities)
        CHECK((entity.type == EntityType::phone || entity.type == EntityType::person));
}
