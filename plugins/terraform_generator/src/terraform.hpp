// terraform_generator's logic, free of SDK glue: a Terraform module for the
// services of a repository context, for AWS ECS Fargate (default) or
// Kubernetes, and the reference checks every module passes before it is
// answered (each var.X declared, each resource reference resolvable).
#pragma once

#include <devkit/artifacts.hpp>
#include <devkit/repository_context.hpp>

#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace terraform {

struct InputError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// What the Dockerfile generator decided per service (thread memory
// `dockerfiles`), which wins over the analysis for port and health path.
struct ImageFacts {
    int port = 0;
    std::string health_path;
};

struct Options {
    std::string target = "ecs";  // ecs | kubernetes
    std::string project;         // name prefix of everything; a DNS label
    std::string region = "us-east-1";
    std::string directory = "terraform";
    std::string backend;  // a remote state backend type for versions.tf (partial config); empty: none
    std::map<std::string, ImageFacts> images;  // by service name
};

struct Module {
    std::vector<devkit::Artifact> files;  // versions.tf, variables.tf, main.tf, outputs.tf
    std::vector<std::string> notes;
};

Module generate(const devkit::RepositoryContext& context, const Options& options);

// ---- Reference checks ---------------------------------------------------

struct ReferenceReport {
    std::vector<std::string> undeclared_variables;  // var.X used, no variable "X"
    std::vector<std::string> unresolved_references;  // aws_x.y / data.x.y / local.x / module.x with no block
    std::vector<std::string> unused_variables;       // declared, never used
    bool ok() const { return undeclared_variables.empty() && unresolved_references.empty(); }
};
ReferenceReport check_references(const std::vector<devkit::Artifact>& files);

// Names as Terraform wants them: "orders-api" -> "orders_api".
std::string identifier(std::string_view name);
// A quoted HCL string ("${" and "%{" escaped, so data never becomes code).
std::string quoted(std::string_view text);
// Environment variables whose values are secrets (passwords, tokens, URLs
// with credentials): never a plain value, always from a secret store.
bool is_secret_name(std::string_view name);

}  // namespace terraform
