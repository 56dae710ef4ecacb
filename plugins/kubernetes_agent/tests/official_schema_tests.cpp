// Every generated object checked against the official Kubernetes OpenAPI
// schema of its apiVersion (kubernetes-models, from npm, run under node),
// not only against the hand-written subsets in schemas/.
#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "support.hpp"

namespace {

struct Validation {
    int exit_code = -1;
    std::string output;
};

// Writes `objects` (a JSON array) to a temporary file and runs the validator.
Validation validate(const std::string& objects_json) {
    const std::string modules = KUBERNETES_NODE_MODULES;
    if (!std::filesystem::exists(modules + "/kubernetes-models"))
        FAIL("kubernetes-models not found in " << modules << ": run `make deps` (tools/install-deps runs npm ci)");
    std::string file = std::filesystem::temp_directory_path() / ("k8s-objects-" + std::to_string(::getpid()) + ".json");
    std::ofstream(file) << objects_json;
    std::string command = "node '" + std::string(KUBERNETES_VALIDATOR) + "' '" + file + "' '" + modules + "' 2>&1";
    Validation result;
    FILE* pipe = ::popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::array<char, 4096> buffer{};
    while (size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) result.output.append(buffer.data(), n);
    int status = ::pclose(pipe);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::filesystem::remove(file);
    return result;
}

std::string as_array(const k8s::Generated& generated) {
    std::string array = "[";
    for (const auto& artifact : generated.artifacts) {
        if (array.size() > 1) array += ",";
        rapidjson::StringBuffer buffer;
        rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
        k8s_test::yaml_object(artifact.content).Accept(writer);
        array += buffer.GetString();
    }
    return array + "]";
}

}  // namespace

TEST_CASE("every object of a full request is valid against the official Kubernetes schemas", "[official]") {
    auto context = k8s_test::parse_context(k8s_test::full_context);
    k8s::Generated generated = k8s::generate(context, "", k8s::Config{});
    REQUIRE(generated.artifacts.size() == 6);
    Validation result = validate(as_array(generated));
    INFO(result.output);
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.output, Catch::Contains("validated 6 objects"));
}

TEST_CASE("defaults and a free-text task also give officially valid objects", "[official]") {
    auto empty = k8s_test::parse_context("{}");
    k8s::Generated generated =
        k8s::generate(empty, "Deploy the checkout service, image ghcr.io/acme/checkout:5.2.0, port 8000", k8s::Config{});
    Validation result = validate(as_array(generated));
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
