#include <catch2/catch.hpp>
#include <textkit/stem.hpp>

TEST_CASE("plurals fold onto the singular", "[stem]") {
    CHECK(textkit::light_stem("outages") == "outage");
    CHECK(textkit::light_stem("outage") == "outage");
    CHECK(textkit::light_stem("queries") == "query");
    CHECK(textkit::light_stem("servers") == "server");
    CHECK(textkit::light_stem("customer's") == "customer");
}

TEST_CASE("words that only look plural are kept, real plurals still fold", "[stem]") {
    CHECK(textkit::light_stem("status") == "status");
    CHECK(textkit::light_stem("process") == "process");
    CHECK(textkit::light_stem("shoes") == "shoe");
    CHECK(textkit::light_stem("bus") == "bus");
    CHECK(textkit::light_stem("gas") == "gas");
}
