// Pieces both targets share: each service's settings as the module sees
// them, and the HCL of variables.
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "terraform.hpp"

namespace terraform::detail {

struct EnvVar {
    std::string name;      // as the code reads it
    std::string variable;  // the Terraform variable holding its value (or secret reference)
    bool secret = false;
    std::string source;    // "file:line" where the code reads it
};

struct ServicePlan {
    std::string name;   // DNS label
    std::string label;  // Terraform identifier
    int port = 8080;
    std::string health_path;  // "/" when none is known
    bool health_known = false;
    std::vector<EnvVar> env;
    std::vector<std::string> backing_services;
};

std::vector<ServicePlan> plan_services(const devkit::RepositoryContext& context, const Options& options,
                                       std::vector<std::string>& notes);

struct Variable {
    std::string name, type, description, default_hcl;  // default_hcl empty: required
    bool sensitive = false;
};
std::string variable_block(const Variable& variable);
// `backend "<type>" {}` (partial configuration: the operator's
// -backend-config supplies the rest) when options.backend names one.
std::string backend_block(const Options& options);

}  // namespace terraform::detail
