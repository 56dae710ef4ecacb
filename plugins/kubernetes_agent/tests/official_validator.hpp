// Runs devkit/testing/validate_kubernetes_objects.js: Kubernetes objects checked against the official
// OpenAPI schemas of their apiVersion (kubernetes-models under node).
#ifndef KUBERNETES_AGENT_TESTS_OFFICIAL_VALIDATOR_HPP
#define KUBERNETES_AGENT_TESTS_OFFICIAL_VALIDATOR_HPP

#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "support.hpp"

namespace k8s_test {

struct Validation {
    int exit_code = -1;
    std::string output;
};

// Writes `objects_json` (an array, or an object of label -> array) to a
// temporary file and runs the validator on it.
inline Validation validate_officially(const std::string& objects_json) {
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

// The generated objects as one JSON array.
inline std::string as_json_array(const k8s::Generated& generated) {
    std::string array = "[";
    for (const auto& artifact : generated.artifacts) {
        if (array.size() > 1) array += ",";
        rapidjson::StringBuffer buffer;
        rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
        yaml_object(artifact.content).Accept(writer);
        array += buffer.GetString();
    }
    return array + "]";
}

}  // namespace k8s_test

#endif
