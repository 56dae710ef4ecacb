// One request to the testing agent, start to end, without SDK types (so
// tests call it directly): a contract suite from an OpenAPI document,
// pytest tests for a Python module, or the review of a suite's coverage.
#pragma once

#include <devkit/artifacts.hpp>
#include <rapidjson/document.h>

#include <string>
#include <string_view>
#include <vector>

#include "coverage_review.hpp"

namespace testgen {

struct Outcome {
    std::string mode;  // generate | review
    std::string kind;  // openapi_contract | python_unit (generate)
    std::vector<devkit::Artifact> artifacts;
    std::string base_url;
    std::size_t operations = 0;
    std::size_t functions = 0;
    std::size_t tests = 0;
    std::size_t negative_tests = 0;
    std::vector<std::string> warnings;
    CoverageReport coverage;
    std::string summary;
};

// Throws InputError (or devkit::FieldError) naming the field.
Outcome handle(const rapidjson::Value& context, std::string_view task);

rapidjson::Document result_json(const Outcome& outcome);

}  // namespace testgen
