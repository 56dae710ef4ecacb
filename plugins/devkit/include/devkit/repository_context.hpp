// What context_analyzer learns about a repository and the generators after
// it (dockerfile_generator, terraform_generator) build on: one model, its
// JSON form (the `repository_context` thread-memory entry and
// context_analyzer's result), and reading it back. Every finding carries
// the file and line it came from, so a person can check it.
#pragma once

#include <rapidjson/document.h>

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace devkit {

// The thread-memory key the analysis is kept under (seed 000's name).
inline constexpr const char* repository_context_key = "repository_context";

// One fact and where it was read. `value` empty: not found. `note` says why
// a value is a convention rather than read (e.g. "Spring Boot's default").
struct Finding {
    std::string value;
    std::string file;  // relative to the repository root
    int line = 0;      // 1-based; 0 when the file as a whole says it
    std::string note;
    bool found() const { return !value.empty(); }
};

struct ServiceContext {
    std::string name;  // a DNS-1123 label
    std::string path;  // relative to the repository root, "." for the root
    Finding language, language_version, framework, package_manager, entrypoint, port, health_path;
    std::vector<std::string> lock_files;               // relative to the service's path
    std::vector<std::string> manifests;                // requirements.txt, package.json, ...
    std::map<std::string, Finding> commands;           // install, build, test, start
    std::vector<Finding> env_vars;                     // value: the variable's name
    std::vector<Finding> backing_services;             // value: postgresql, redis, ...; note: the dependency
    std::string dockerfile;                            // an existing Dockerfile in the service's folder
};

struct RepositoryContext {
    std::string source;  // the path or URL analysed
    std::string commit;  // HEAD of a cloned repository
    std::vector<ServiceContext> services;
    std::vector<Finding> dockerfiles, iac, ci;  // what is already there; value: its kind
    std::vector<std::string> warnings;
    int files_scanned = 0;
};

struct ContextError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

rapidjson::Document to_json(const RepositoryContext& context);

// Reads the JSON form back (from memory or a request's context). Throws
// ContextError naming the member when it is not a repository context.
RepositoryContext repository_context_from_json(const rapidjson::Value& json);

// The numeric port of a service, or `fallback` when none was found.
int port_or(const ServiceContext& service, int fallback);

}  // namespace devkit
