// A Python module's public functions, read from its source without running
// it (plugins never exec), and pytest tests for them: the examples of their
// docstrings (doctest's `>>> call` / expected repr) as assertions, return
// types their annotations promise, and edge cases from the parameter types
// (empty, zero, negative, huge, non-ASCII, None for Optional) that may
// raise only ValueError or TypeError, never crash with anything else.
#pragma once

#include <devkit/artifacts.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace testgen {

struct PyParam {
    std::string name;
    std::string annotation;  // as written, "" when none
    std::string default_value;  // as written, "" when none
};

struct PyFunction {
    std::string name;
    std::vector<PyParam> params;  // positional-or-keyword ones we can fill
    bool has_varargs = false;
    bool is_async = false;
    std::string returns;  // annotation as written
    std::string docstring;
    int line = 0;
};

// Top-level `def`s not starting with '_' (and those __all__ lists, if any).
std::vector<PyFunction> public_functions(std::string_view source);

struct PythonTests {
    std::vector<devkit::Artifact> files;
    std::size_t functions = 0;
    std::size_t tests = 0;
    std::size_t doc_examples = 0;
    std::vector<std::string> warnings;
};

// `module` is the importable name (its file is written next to the tests
// as <module>.py when `include_module` is set).
PythonTests python_tests(std::string_view source, const std::string& module, bool include_module);

}  // namespace testgen
