// Review mode: which operations of a spec, and which of their declared
// responses, a test suite never exercises. A test covers an operation when
// it names its operationId, or sends its method to a URL matching its path
// template; it covers a response when, in a test covering the operation,
// the status code appears (== 404, status_code=201, expected={200}...).
#pragma once

#include <string>
#include <vector>

#include "openapi_input.hpp"

namespace testgen {

struct TestFile {
    std::string path;
    std::string content;
};

struct Gap {
    std::string operation_id;
    std::string method;
    std::string path;
    std::string status;  // "" for a whole operation
};

struct CoverageReport {
    std::size_t operations = 0;
    std::size_t operations_covered = 0;
    std::size_t responses = 0;
    std::size_t responses_covered = 0;
    std::size_t tests_found = 0;
    std::vector<Gap> uncovered_operations;
    std::vector<Gap> uncovered_responses;
};

CoverageReport review_coverage(const OpenApiInput& input, const std::vector<TestFile>& tests);

}  // namespace testgen
