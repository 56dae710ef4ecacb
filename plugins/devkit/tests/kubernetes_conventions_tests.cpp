#include <catch2/catch.hpp>

#include <string>

#include "devkit/kubernetes_conventions.hpp"

using devkit::kubernetes::is_dns_label;
using devkit::kubernetes::to_dns_label;

TEST_CASE("names become DNS-1123 labels", "[kubernetes]") {
    CHECK(to_dns_label("QA_env") == "qa-env");
    CHECK(to_dns_label("Pre_Prod") == "pre-prod");
    CHECK(to_dns_label("prod") == "prod");
    CHECK(to_dns_label("  EU west (1) ") == "eu-west-1");
    CHECK(to_dns_label("--a__b--") == "a-b");
    CHECK(to_dns_label("___").empty());
    const std::string long_name = to_dns_label(std::string(70, 'a') + "-b");
    CHECK(long_name.size() == 63);
    CHECK(is_dns_label(long_name));
    // Cut at 63 without leaving a trailing '-'.
    CHECK(to_dns_label(std::string(62, 'a') + "_b") == std::string(62, 'a'));
    for (const char* name : {"QA_env", "Pre Prod!", "ÜBER-prod", "x", "1st"}) {
        CAPTURE(name);
        CHECK(is_dns_label(to_dns_label(name)));
    }
}

TEST_CASE("the label rule", "[kubernetes]") {
    CHECK(is_dns_label("qa-env"));
    CHECK(is_dns_label("1st"));
    CHECK_FALSE(is_dns_label("QA_env"));
    CHECK_FALSE(is_dns_label("-a"));
    CHECK_FALSE(is_dns_label("a-"));
    CHECK_FALSE(is_dns_label(""));
    CHECK_FALSE(is_dns_label(std::string(64, 'a')));
}

TEST_CASE("the objects the strategies act on", "[kubernetes]") {
    using namespace devkit::kubernetes;
    CHECK(color_deployment("search", blue) == "search-blue");
    CHECK(color_deployment("search", green) == "search-green");
    CHECK(canary_deployment("search") == "search-canary");
    CHECK(container_name("search") == "search");
}
