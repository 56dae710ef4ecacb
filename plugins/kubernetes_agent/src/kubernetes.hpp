// The kubernetes agent's logic, free of SDK types: manifest generation,
// manifest review, and YAML <-> JSON conversion through yaml-cpp. Linked into
// the plugin and into the tests.
#ifndef KUBERNETES_AGENT_KUBERNETES_HPP
#define KUBERNETES_AGENT_KUBERNETES_HPP

#include <rapidjson/document.h>

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace k8s {

// Bad input from the request: the plugin turns it into InvalidInput.
struct InputError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct CpuMemory {
    std::string cpu;
    std::string memory;
};
struct Resources {
    CpuMemory requests{"100m", "128Mi"};
    CpuMemory limits{"500m", "256Mi"};
};

struct Config {
    Resources default_resources;
    std::string registry_prefix;
    // apply mode: the kubectl binary's name, run through the host's exec
    // service (it must be in agents.kubernetes_agent.exec.allow).
    std::string kubectl = "kubectl";
    std::vector<std::string> kubectl_args;
    int kubectl_timeout_seconds = 120;
};

// Reads the agent config (manifest config_schema); throws std::invalid_argument.
Config config_from_json(const rapidjson::Value& config);

// ---- YAML through yaml-cpp ------------------------------------------------

// Emits one JSON value as a YAML document with yaml-cpp. Strings a YAML
// reader would take for a number, bool or null are double-quoted.
std::string to_yaml(const rapidjson::Value& value);

// Parses every document of a YAML stream into JSON values (null documents
// dropped). Quoted scalars stay strings; plain ones become null, bool,
// integer or number when they read as such (YAML 1.1 booleans included, as
// Kubernetes reads them). Throws YamlError with a 1-based line and column.
struct YamlError : std::runtime_error {
    YamlError(const std::string& message, int line, int column)
        : std::runtime_error(message), line(line), column(column) {}
    int line;
    int column;
};
std::vector<rapidjson::Document> yaml_documents(std::string_view text);

// ---- Generate -------------------------------------------------------------

struct Artifact {
    std::string kind;
    std::string name;
    std::string path;
    std::string content;  // one YAML document
};

struct Generated {
    std::vector<Artifact> artifacts;
    std::string summary;
    std::vector<std::string> warnings;
};

// Generates the manifests from the request's context, filling what the
// context lacks from the free-text task and then from defaults. Throws
// InputError naming the offending field.
Generated generate(const rapidjson::Value& context, std::string_view task, const Config& config);

// ---- Review ---------------------------------------------------------------

struct Finding {
    std::string severity;  // "error" or "warning"
    std::string object;    // "Kind/name"
    std::string field;     // e.g. "spec.template.spec.containers[0].image"
    std::string message;
};

struct Review {
    std::vector<Finding> findings;
    std::size_t objects = 0;
    std::string summary;
};

// Reviews a YAML stream; a YAML syntax error throws InputError with its line
// and column.
Review review(std::string_view manifests);

}  // namespace k8s

#endif  // KUBERNETES_AGENT_KUBERNETES_HPP
