// An OpenAPI document to a pytest contract suite that needs only the
// standard library: every operation called with schema-valid example data,
// its status checked against the declared ones and every JSON body
// validated against the declared response schema; plus negative cases
// (unknown ids, a missing required field, a wrong type). Each assertion
// names the operation, so a failing run says which one broke the spec.
#pragma once

#include <devkit/artifacts.hpp>

#include <string>
#include <vector>

#include "openapi_input.hpp"

namespace testgen {

struct ContractSuite {
    std::vector<devkit::Artifact> files;
    std::size_t operations = 0;
    std::size_t positive_tests = 0;
    std::size_t negative_tests = 0;
    std::vector<std::string> warnings;  // operations or bodies the suite could not exercise fully
};

// `directory` is where the files go ("tests/contract"); `base_url` the
// default for API_BASE_URL.
ContractSuite contract_suite(const OpenApiInput& input, const std::string& base_url, const std::string& directory);

}  // namespace testgen
