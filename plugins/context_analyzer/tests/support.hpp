// Shared by context_analyzer's tests: analysing a fixture repository and
// finding a service or an environment variable in the result.
#pragma once

#include <catch2/catch.hpp>

#include <string>

#include "analyzer.hpp"

namespace ctx_test {

inline devkit::RepositoryContext analyze_fixture(const std::string& name) {
    std::vector<std::string> warnings;
    const auto files = ctx::read_tree(std::string(CONTEXT_FIXTURES) + "/" + name, {}, warnings);
    auto context = ctx::analyze(files, name, name);
    CHECK(warnings.empty());
    return context;
}

inline const devkit::ServiceContext& service_at(const devkit::RepositoryContext& context, const std::string& path) {
    for (const auto& service : context.services)
        if (service.path == path) return service;
    FAIL("no service at " << path);
    throw;  // unreachable
}

inline const devkit::Finding* env_var(const devkit::ServiceContext& service, const std::string& name) {
    for (const auto& env : service.env_vars)
        if (env.value == name) return &env;
    return nullptr;
}

// "value @ file:line", so one CHECK shows all three on failure.
inline std::string where(const devkit::Finding& finding) {
    return finding.value + " @ " + finding.file + ":" + std::to_string(finding.line);
}

}  // namespace ctx_test
