#include <catch2/catch.hpp>

#include <regex>
#include <string>

#include "helpers.hpp"
#include "identifiers.hpp"

using harness_expert::IdentifierScope;
using harness_expert::is_valid_identifier;
using harness_expert::to_identifier;

TEST_CASE("names become identifiers that follow Harness's rule", "[identifiers]") {
    CHECK(to_identifier("prod") == "prod");
    CHECK(to_identifier("payments-api") == "payments_api");
    CHECK(to_identifier("my service v2") == "my_service_v2");
    CHECK(to_identifier("1st-region") == "_1st_region");
    CHECK(to_identifier("$cost") == "_$cost");
    CHECK(to_identifier("a$b") == "a$b");
    CHECK(to_identifier("") == "_");
    CHECK(to_identifier("prod.eu/west") == "prod_eu_west");
    CHECK(to_identifier("émoji") == "__moji");  // two UTF-8 bytes, two underscores
    const std::string longest = to_identifier(std::string(300, 'x'));
    CHECK(longest.size() == 128);
    for (const char* name : {"prod", "payments-api", "1st", "", "with space", "ü", "-", "9", "a-b.c:d"}) {
        CAPTURE(name);
        CHECK(std::regex_match(to_identifier(name), helpers::harness_rule()));
        CHECK(is_valid_identifier(to_identifier(name)));
    }
}

TEST_CASE("the identifier rule accepts and refuses like Harness's regex", "[identifiers]") {
    for (const char* good : {"a", "_", "A1", "a$", "deploy_checkout", "_1"}) CHECK(is_valid_identifier(good));
    for (const char* bad : {"", "1a", "$a", "a-b", "a b", "a.b"}) CHECK_FALSE(is_valid_identifier(bad));
    CHECK(is_valid_identifier(std::string(128, 'a')));
    CHECK_FALSE(is_valid_identifier(std::string(129, 'a')));
}

TEST_CASE("a scope hands out distinct identifiers by suffixing", "[identifiers]") {
    IdentifierScope scope;
    CHECK(scope.claim("prod") == "prod");
    CHECK(scope.claim("prod") == "prod_2");
    CHECK(scope.claim("prod!") == "prod_");
    CHECK(scope.claim("prod_2") == "prod_2_2");
    CHECK(scope.claim("prod") == "prod_3");
    const std::string long_name(200, 'z');
    const std::string first = scope.claim(long_name);
    const std::string second = scope.claim(long_name);
    CHECK(first.size() == 128);
    CHECK(second.size() == 128);
    CHECK(first != second);
    CHECK(std::regex_match(second, helpers::harness_rule()));
}
