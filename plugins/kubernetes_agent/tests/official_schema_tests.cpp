// Every generated object checked against the official Kubernetes OpenAPI
// schema of its apiVersion (kubernetes-models, from npm, run under node),
// not only against the hand-written subsets in schemas/.
#include <catch2/catch.hpp>

#include <string>

#include "official_validator.hpp"

using k8s_test::as_json_array;
using k8s_test::Validation;

namespace {
Validation validate(const std::string& objects) { return k8s_test::validate_officially(objects); }
}  // namespace

TEST_CASE("every object of a full request is valid against the official Kubernetes schemas", "[official]") {
    auto context = k8s_test::parse_context(k8s_test::full_context);
    k8s::Generated generated = k8s::generate(context, "", k8s::Config{});
    REQUIRE(generated.artifacts.size() == 6);
    Validation result = validate(as_json_array(generated));
    INFO(result.output);
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.output, Catch::Contains("validated 6 objects"));
}

TEST_CASE("defaults and a free-text task also give officially valid objects", "[official]") {
    auto empty = k8s_test::parse_context("{}");
    k8s::Generated generated =
        k8s::generate(empty, "Deploy the checkout service, image ghcr.io/acme/checkout:5.2.0, port 8000", k8s::Config{});
    Validation result = validate(as_json_array(generated));
    INFO(result.output);
    CHECK(result.exit_code == 0);
}

TEST_CASE("the official validator rejects what the API server would", "[official]") {
    // Proves the check has teeth: a string port and a Deployment without a
    // selector are refused, naming the field.
    Validation result = validate(R"([{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"bad"},
        "spec":{"template":{"spec":{"containers":[{"name":"c","image":"i","ports":[{"containerPort":"eighty"}]}]}}}}])");
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.output, Catch::Contains("Deployment/bad") && Catch::Contains("selector") &&
                                  Catch::Contains("containerPort"));
}
