// One generation: request in, artifacts, summary and warnings out.
#ifndef CODEGEN_GENERATE_HPP
#define CODEGEN_GENERATE_HPP

#include <functional>
#include <string>
#include <vector>

#include "api.hpp"
#include "artifact.hpp"
#include "request.hpp"

namespace codegen {

struct Generated {
    std::vector<Artifact> artifacts;
    std::string summary;
    std::vector<std::string> warnings;
    std::string package_name;
    std::string client_name;  // empty for a JSON Schema (no client)
    std::vector<std::string> languages;
    std::size_t models = 0;
    std::size_t operations = 0;
    std::string source;  // "openapi" or "json_schema"
};

// Called between steps with a message and the fraction done; may throw to
// stop (cancellation).
using Progress = std::function<void(const std::string& message, double fraction)>;

// Throws SpecError (document problems, named by location) and InputError
// (bad names or options).
Generated generate(const Request& request, const Config& config, const Progress& progress = {});

}  // namespace codegen

#endif
