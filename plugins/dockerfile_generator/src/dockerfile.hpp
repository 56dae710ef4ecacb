// dockerfile_generator's logic, free of SDK glue: production Dockerfiles
// and .dockerignore files from a repository context, and a review of
// existing Dockerfiles by the rules hadolint enforces.
#pragma once

#include <devkit/artifacts.hpp>
#include <devkit/repository_context.hpp>

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace dockerfile {

struct InputError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// ---- Reading a Dockerfile --------------------------------------------------

// One instruction, continuation lines joined.
struct Instruction {
    std::string keyword;    // upper case: FROM, RUN, ...
    std::string arguments;  // the rest, continuations joined with a space
    int line = 0;           // where it starts (1-based)
};
std::vector<Instruction> parse(std::string_view text);

// ---- Review ------------------------------------------------------------------

struct Finding {
    std::string rule;      // hadolint's code (DL3007, ...) or AH for ours
    std::string severity;  // error, warning, info
    int line = 0;
    std::string message;
};
std::vector<Finding> review(std::string_view text);

// ---- Generation ----------------------------------------------------------

// A base image per language (and stage), pinned to a full version.
struct BaseImages {
    std::string build, runtime;
};
BaseImages base_images(const devkit::ServiceContext& service);

struct Generated {
    std::string service;
    std::string dockerfile_path, dockerignore_path;
    std::string dockerfile, dockerignore;
    std::string runtime_image;
    int port = 0;
    std::string health_path;  // empty: no HEALTHCHECK
    std::vector<std::string> notes;
};
// Throws InputError when the service's language has no recipe.
Generated generate(const devkit::ServiceContext& service);
std::string dockerignore_for(const devkit::ServiceContext& service);

// The command as exec-form JSON (["a", "b"]); a command that needs a shell
// (&&, |, $VAR, ...) runs through sh -c.
std::string exec_form(std::string_view command);

}  // namespace dockerfile
